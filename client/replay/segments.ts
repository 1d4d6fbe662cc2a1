/**
 * One doc's log as the server's segments (shared/replay-segments.ts): positions are global log
 * indices as if the whole log were one array, but each segment is fetched and built on its own,
 * from the state before its first entry, so the replay can show a moment once its segment is in.
 */
import * as Y from 'yjs'
import { type HistoryEntry, lastAtOrBefore } from '../../shared/history.ts'
import type { Segment, SegmentInfo } from '../../shared/replay-segments.ts'

/** A segment's replay (BoardTimeline, DocReplay): local index -1 is its base state. */
export interface SegmentReplay {
  readonly built: number
  buildTo(end: number): void
  docAtIndex(index: number): Y.Doc
  destroy(): void
}

/** Where a lookup landed: a global entry index (-1: before any), or a segment to fetch first. */
export type Lookup = { index: number } | { missing: number }

export interface Part<T extends SegmentReplay> {
  readonly info: SegmentInfo
  /** Global index of its first entry. */
  readonly offset: number
  entries: HistoryEntry[] | null
  replay: T | null
}

export class SegmentedLog<T extends SegmentReplay> {
  readonly parts: Part<T>[]
  readonly total: number
  private empty: Y.Doc | null = null
  private provided: { index: number; doc: Y.Doc } | null = null

  constructor(
    infos: readonly SegmentInfo[],
    private readonly make: (entries: HistoryEntry[], base: Uint8Array | null) => T,
  ) {
    let offset = 0
    this.parts = infos.map((info) => {
      const part = { info, offset, entries: null, replay: null }
      offset += info.count
      return part
    })
    this.total = offset
  }

  get loaded(): number {
    return this.parts.reduce((n, p) => n + (p.entries ? p.info.count : 0), 0)
  }

  get built(): number {
    return this.parts.reduce((n, p) => n + (p.replay?.built ?? 0), 0)
  }

  add(index: number, segment: Segment): void {
    const part = this.parts[index]
    if (!part || part.replay) return
    part.entries = segment.entries
    part.replay = this.make(segment.entries, segment.base)
  }

  /** Builds up to `entries` more entries of the segments in; returns how many it built. */
  buildSome(entries: number): number {
    let left = entries
    for (const p of this.parts) {
      if (!p.replay || left <= 0) continue
      const before = p.replay.built
      p.replay.buildTo(Math.min(p.info.count, before + left))
      left -= p.replay.built - before
    }
    return entries - left
  }

  /** The last entry at or before `time`. */
  indexAt(time: number): Lookup {
    return this.find(
      time,
      (i) => i.firstTime,
      (i) => i.lastTime,
      (e) => e.time,
    )
  }

  /** The last entry with a seq at or below `seq`. */
  indexOfSeq(seq: number): Lookup {
    return this.find(
      seq,
      (i) => i.base + 1,
      (i) => i.last,
      (e) => e.seq,
    )
  }

  private find(
    value: number,
    first: (i: SegmentInfo) => number,
    last: (i: SegmentInfo) => number,
    key: (e: HistoryEntry) => number,
  ): Lookup {
    const k = lastAtOrBefore(this.parts, (p) => first(p.info), value)
    if (k < 0) return { index: -1 }
    const p = this.parts[k]!
    if (value >= last(p.info)) return { index: p.offset + p.info.count - 1 }
    if (!p.entries) return { missing: k }
    return { index: p.offset + lastAtOrBefore(p.entries, key, value) }
  }

  /** The part that can show global entry `index`, if one is in; -1: the empty doc, before any. */
  private partFor(index: number): { part: number; local: number } | null {
    if (index < 0) return { part: -1, local: -1 }
    const k = lastAtOrBefore(this.parts, (p) => p.offset, index)
    const p = this.parts[k]
    if (p?.replay) return { part: k, local: index - p.offset }
    // the last entry of a segment is also the next one's base
    const next = this.parts[k + 1]
    if (p && next?.replay && index === p.offset + p.info.count - 1)
      return { part: k + 1, local: -1 }
    return null
  }

  /** The part to fetch so that global entry `index` can be shown; null: nothing to fetch. */
  missingFor(index: number): number | null {
    if (this.partFor(index) || this.provided?.index === index) return null
    return lastAtOrBefore(this.parts, (p) => p.offset, index)
  }

  /**
   * The doc after global entry `index` as the server built it (the meeting's end), shown until
   * its segment is in and built that far here: so the first frame waits for no segment.
   */
  provide(index: number, doc: Y.Doc): void {
    this.provided?.doc.destroy()
    this.provided = { index, doc }
  }

  /** The doc after global entry `index` (owned by the log); undefined: its segment is not in yet. */
  docAtIndex(index: number): Y.Doc | undefined {
    const at = this.partFor(index)
    const provided = this.provided?.index === index ? this.provided.doc : undefined
    if (!at) return provided
    if (at.part < 0) return (this.empty ??= new Y.Doc())
    const replay = this.parts[at.part]!.replay!
    if (provided && replay.built <= at.local) return provided
    return replay.docAtIndex(at.local)
  }

  destroy(): void {
    for (const p of this.parts) p.replay?.destroy()
    this.empty?.destroy()
    this.empty = null
    this.provided?.doc.destroy()
    this.provided = null
  }
}
