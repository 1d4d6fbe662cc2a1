/**
 * Meeting history on the wire and its local replay. The server sends both docs' whole update logs
 * once; the client replays them into a doc, keeping its own checkpoints every few hundred
 * updates, so a seek is "nearest checkpoint + at most that many updates" and never a network trip.
 */
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import { z } from 'zod/mini'
import { CONTROL_KEY, controlRoots, readPhaseId, readPhases, readRound } from './control.ts'

export interface HistoryEntry {
  seq: number
  time: number
  data: Uint8Array
}

export const SnapshotInfoSchema = z.object({
  id: z.string(),
  label: z.string(),
  kind: z.enum(['manual', 'phase', 'auto', 'restore']),
  createdAt: z.number(),
  boardSeq: z.number(),
  controlSeq: z.number(),
})
export type SnapshotInfo = z.infer<typeof SnapshotInfoSchema>

/** Where each doc's log stood at some point (a snapshot records one). */
export interface LogPosition {
  boardSeq: number
  controlSeq: number
}

export interface History {
  board: HistoryEntry[]
  control: HistoryEntry[]
  snapshots: SnapshotInfo[]
}

const HISTORY_FORMAT = 1

/** One doc's entries in the history's binary form (also a replay segment's, shared/replay-segments.ts). */
export function writeEntries(e: encoding.Encoder, entries: HistoryEntry[]): void {
  encoding.writeVarUint(e, entries.length)
  for (const x of entries) {
    encoding.writeVarUint(e, x.seq)
    encoding.writeFloat64(e, x.time)
    encoding.writeVarUint8Array(e, x.data)
  }
}

export function readEntries(d: decoding.Decoder): HistoryEntry[] {
  const n = decoding.readVarUint(d)
  const out: HistoryEntry[] = []
  for (let i = 0; i < n; i++) {
    out.push({
      seq: decoding.readVarUint(d),
      time: decoding.readFloat64(d),
      data: decoding.readVarUint8Array(d),
    })
  }
  return out
}

export function encodeHistory(h: History): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, HISTORY_FORMAT)
  writeEntries(e, h.board)
  writeEntries(e, h.control)
  encoding.writeVarString(e, JSON.stringify(h.snapshots))
  return encoding.toUint8Array(e)
}

export function decodeHistory(bytes: Uint8Array): History {
  const d = decoding.createDecoder(bytes)
  if (decoding.readVarUint(d) !== HISTORY_FORMAT) throw new Error('unknown history format')
  const board = readEntries(d)
  const control = readEntries(d)
  const snapshots = z.array(SnapshotInfoSchema).parse(JSON.parse(decoding.readVarString(d)))
  return { board, control, snapshots }
}

/** Index of the last item whose key is <= `value` in items sorted by key; -1 if none. */
export function lastAtOrBefore<T>(
  items: readonly T[],
  key: (item: T) => number,
  value: number,
): number {
  let lo = 0
  let hi = items.length - 1
  let ans = -1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    if (key(items[mid]!) <= value) {
      ans = mid
      lo = mid + 1
    } else hi = mid - 1
  }
  return ans
}

/** Positions in one doc's log, found by time or by seq (the log is in commit order). */
export class LogIndex {
  constructor(readonly entries: HistoryEntry[]) {}

  /** Index of the last entry at or before `time`, -1 if none. */
  indexAt(time: number): number {
    return lastAtOrBefore(this.entries, (e) => e.time, time)
  }

  /** Index of the last entry with a seq at or below `seq`, -1 if none. */
  indexOfSeq(seq: number): number {
    return lastAtOrBefore(this.entries, (e) => e.seq, seq)
  }
}

/**
 * A replay segment's base state into a fresh doc. What a stored checkpoint left pending is dropped,
 * as the server drops it loading the doc (server/store/store.ts applyStored); true if there was any.
 */
export function applyBase(doc: Y.Doc, base: Uint8Array): boolean {
  Y.applyUpdate(doc, base)
  const dropped = doc.store.pendingDs !== null || doc.store.pendingStructs !== null
  doc.store.pendingDs = null
  doc.store.pendingStructs = null
  return dropped
}

/** Called with the pass's doc before the first entry; what it returns runs after every entry. */
export type PassWatcher = (doc: Y.Doc) => (entry: HistoryEntry) => void

/** Replays one doc's log. Checkpoint spacing bounds the work of any seek. */
export class DocReplay extends LogIndex {
  private readonly checkpoints: { index: number; state: Uint8Array }[] = []
  private current: { doc: Y.Doc; index: number } | null = null
  private pass: { doc: Y.Doc; after: ((entry: HistoryEntry) => void) | null } | null
  private builtCount = 0

  constructor(
    entries: HistoryEntry[],
    private readonly every = 300,
    /**
     * lazy: build nothing yet (the caller runs {@link buildTo} in slices); watch: see PassWatcher;
     * base: the doc's state before the first entry (a replay segment's start), index -1.
     */
    opts: { lazy?: boolean; watch?: PassWatcher; base?: Uint8Array | null } = {},
  ) {
    super(entries)
    const doc = new Y.Doc()
    if (opts.base) {
      const dropped = applyBase(doc, opts.base)
      this.checkpoints.push({ index: -1, state: dropped ? Y.encodeStateAsUpdate(doc) : opts.base })
    }
    this.pass = { doc, after: opts.watch?.(doc) ?? null }
    if (!opts.lazy) this.buildTo(entries.length)
  }

  /** How many entries the pass has taken in; seeks beyond them build up to there first. */
  get built(): number {
    return this.builtCount
  }

  /** Runs the pass up to entry `end` (exclusive); once at the end its doc is let go. */
  buildTo(end: number): void {
    const pass = this.pass
    if (!pass) return
    const last = Math.min(end, this.entries.length)
    for (let i = this.builtCount; i < last; i++) {
      const entry = this.entries[i]!
      Y.applyUpdate(pass.doc, entry.data)
      pass.after?.(entry)
      if ((i + 1) % this.every === 0)
        this.checkpoints.push({ index: i, state: Y.encodeStateAsUpdate(pass.doc) })
    }
    this.builtCount = Math.max(this.builtCount, last)
    if (this.builtCount === this.entries.length) {
      pass.doc.destroy()
      this.pass = null
    }
  }

  /** The doc as it was after entry `index` (owned by the replay; do not destroy). */
  docAtIndex(index: number): Y.Doc {
    if (index >= this.builtCount) this.buildTo(index + 1)
    const cur = this.current
    if (cur && cur.index <= index && index - cur.index <= this.every) {
      // playing forward: apply only what is new
      for (let i = cur.index + 1; i <= index; i++) Y.applyUpdate(cur.doc, this.entries[i]!.data)
      cur.index = index
      return cur.doc
    }
    cur?.doc.destroy()
    const doc = new Y.Doc()
    let start = 0
    for (let c = this.checkpoints.length - 1; c >= 0; c--) {
      const cp = this.checkpoints[c]!
      if (cp.index <= index) {
        Y.applyUpdate(doc, cp.state)
        start = cp.index + 1
        break
      }
    }
    doc.transact(() => {
      for (let i = start; i <= index; i++) Y.applyUpdate(doc, this.entries[i]!.data)
    })
    this.current = { doc, index }
    return doc
  }

  docAt(time: number): Y.Doc {
    return this.docAtIndex(this.indexAt(time))
  }

  destroy(): void {
    this.current?.doc.destroy()
    this.current = null
  }
}

export type MarkerKind = 'phase' | 'round-open' | 'round-close' | 'round-reveal' | 'snapshot'
export interface Marker {
  time: number
  kind: MarkerKind
  label: string
  /** A snapshot marker opens the snapshot's own state, not the moment it was taken. */
  snapshot?: SnapshotInfo
}

/**
 * Phase changes and voting-round events, read while the control log is replayed once. Incremental:
 * after each entry only what it touched is read again (the phase when its id changed, the rounds
 * whose keys changed), so an old log with follow-me's view written at 5 Hz costs one apply per
 * entry, not a parse of every round after each of them.
 */
export function watchMarkers(out: Marker[]): PassWatcher {
  return (doc) => {
    const roots = controlRoots(doc)
    let phase: string | null = null
    let phaseTouched = false
    const roundsTouched = new Set<string>()
    const seen = new Map<string, string>()
    roots.state.observe((e) => {
      if (e.keysChanged.has(CONTROL_KEY.phaseId)) phaseTouched = true
    })
    roots.rounds.observe((e) => {
      for (const id of e.keysChanged) roundsTouched.add(id)
    })
    return (entry) => {
      if (phaseTouched) {
        phaseTouched = false
        const now = readPhaseId(doc)
        if (now !== phase) {
          phase = now
          const name = readPhases(doc).find((p) => p.id === now)?.name
          if (now !== null) out.push({ time: entry.time, kind: 'phase', label: name ?? now })
        }
      }
      if (roundsTouched.size === 0) return
      const touched = [...roundsTouched].flatMap((id) => readRound(doc, id) ?? [])
      roundsTouched.clear()
      for (const r of touched.sort((a, b) => a.openedAt - b.openedAt)) {
        if (seen.get(r.id) === r.status) continue
        seen.set(r.id, r.status)
        const kind: MarkerKind =
          r.status === 'open'
            ? 'round-open'
            : r.status === 'closed'
              ? 'round-close'
              : 'round-reveal'
        out.push({ time: entry.time, kind, label: r.title || r.id })
      }
    }
  }
}

/** Phase changes and voting-round events, found by replaying the control log once. */
export function controlMarkers(entries: HistoryEntry[]): Marker[] {
  const doc = new Y.Doc()
  const out: Marker[] = []
  const after = watchMarkers(out)(doc)
  for (const entry of entries) {
    Y.applyUpdate(doc, entry.data)
    after(entry)
  }
  doc.destroy()
  return out
}

/** Time of each phase: start, end (next phase start or null while running), for the report. */
export function phaseTimeline(
  entries: HistoryEntry[],
): { label: string; start: number; end: number | null }[] {
  const phases = controlMarkers(entries).filter((m) => m.kind === 'phase')
  return phases.map((m, i) => ({ label: m.label, start: m.time, end: phases[i + 1]?.time ?? null }))
}
