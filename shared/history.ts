/**
 * Meeting history on the wire and its local replay. The server sends both docs' whole update logs
 * once; the client replays them into a doc, keeping its own checkpoints every few hundred
 * updates, so a seek is "nearest checkpoint + at most that many updates" and never a network trip.
 */
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import { z } from 'zod'
import { listRounds, readPhaseId, readPhases } from './control.ts'

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

function writeEntries(e: encoding.Encoder, entries: HistoryEntry[]): void {
  encoding.writeVarUint(e, entries.length)
  for (const x of entries) {
    encoding.writeVarUint(e, x.seq)
    encoding.writeFloat64(e, x.time)
    encoding.writeVarUint8Array(e, x.data)
  }
}

function readEntries(d: decoding.Decoder): HistoryEntry[] {
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

/** Replays one doc's log. Checkpoint spacing bounds the work of any seek. */
export class DocReplay extends LogIndex {
  private readonly checkpoints: { index: number; state: Uint8Array }[] = []
  private current: { doc: Y.Doc; index: number } | null = null

  constructor(
    entries: HistoryEntry[],
    private readonly every = 300,
  ) {
    super(entries)
    const doc = new Y.Doc()
    entries.forEach((entry, i) => {
      Y.applyUpdate(doc, entry.data)
      if ((i + 1) % every === 0)
        this.checkpoints.push({ index: i, state: Y.encodeStateAsUpdate(doc) })
    })
    doc.destroy()
  }

  /** The doc as it was after entry `index` (owned by the replay; do not destroy). */
  docAtIndex(index: number): Y.Doc {
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

/** Phase changes and voting-round events, found by replaying the control log once. */
export function controlMarkers(entries: HistoryEntry[]): Marker[] {
  const doc = new Y.Doc()
  const out: Marker[] = []
  let phase: string | null = null
  const seen = new Map<string, string>()
  for (const entry of entries) {
    Y.applyUpdate(doc, entry.data)
    const now = readPhaseId(doc)
    if (now !== phase) {
      phase = now
      const name = readPhases(doc).find((p) => p.id === now)?.name
      if (now !== null) out.push({ time: entry.time, kind: 'phase', label: name ?? now })
    }
    for (const r of listRounds(doc)) {
      if (seen.get(r.id) === r.status) continue
      seen.set(r.id, r.status)
      const kind: MarkerKind =
        r.status === 'open' ? 'round-open' : r.status === 'closed' ? 'round-close' : 'round-reveal'
      out.push({ time: entry.time, kind, label: r.title || r.id })
    }
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
