/**
 * The replay's history in segments, so the replay screen starts from the state nearest the moment
 * it opens on instead of replaying a 3-hour log from zero. The outline (JSON, within the binary
 * head) says where each doc's segments lie and carries the markers, read by the server; a segment
 * (binary) is the doc's state before its first entry plus its entries, so the client can build any
 * segment on its own. The head brings both docs as they were at the meeting's end along.
 */
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import { z } from 'zod/mini'
import { type HistoryEntry, SnapshotInfoSchema, readEntries, writeEntries } from './history.ts'
import { DocName } from './protocol.ts'

/** Entries per segment unless the client asks otherwise: a seek into a segment not built yet builds at most this many. */
export const SEGMENT_ENTRIES = 2500
export const MIN_SEGMENT_ENTRIES = 20
export const MAX_SEGMENT_ENTRIES = 20_000

/** A run of consecutive entries of one doc's log. */
export const SegmentInfo = z.object({
  /** The seq its base state holds the log up to (0: the empty doc). */
  base: z.int().check(z.nonnegative()),
  /** Seq of its last entry. */
  last: z.int().check(z.positive()),
  count: z.int().check(z.positive()),
  firstTime: z.number(),
  lastTime: z.number(),
})
export type SegmentInfo = z.infer<typeof SegmentInfo>

export const ReplayDocName = z.enum([DocName.Board, DocName.Control])

export const ControlMarker = z.object({
  time: z.number(),
  kind: z.enum(['phase', 'round-open', 'round-close', 'round-reveal']),
  label: z.string(),
})

export const ReplayOutline = z.object({
  board: z.array(SegmentInfo),
  control: z.array(SegmentInfo),
  /** Phase changes and voting-round events, in log order. */
  markers: z.array(ControlMarker),
  snapshots: z.array(SnapshotInfoSchema),
})
export type ReplayOutline = z.infer<typeof ReplayOutline>

const querySize = z.pipe(
  z.pipe(z.coerce.number(), z.int()),
  z.transform((n) => Math.min(MAX_SEGMENT_ENTRIES, Math.max(MIN_SEGMENT_ENTRIES, n))),
)

export const OutlineQuery = z.object({ segment: z._default(querySize, SEGMENT_ENTRIES) })

export const SegmentQuery = z
  .object({
    doc: ReplayDocName,
    base: z.pipe(z.coerce.number(), z.int()).check(z.nonnegative()),
    last: z.pipe(z.coerce.number(), z.int()).check(z.positive()),
  })
  .check(z.refine((q) => q.base < q.last, 'base must be below last'))
export type SegmentQuery = z.infer<typeof SegmentQuery>

/**
 * Cuts a log (seq and time of each entry, in order) into segments of about `every` entries. Where
 * the server stored checkpoints (`cuts`: their seqs), a segment starts after one, so its base is a
 * stored state and costs the server a read; a stretch without any is cut at twice `every`.
 */
export function planSegments(
  log: readonly { seq: number; time: number }[],
  every: number,
  cuts: ReadonlySet<number> = new Set(),
): SegmentInfo[] {
  const out: SegmentInfo[] = []
  const push = (from: number, to: number) =>
    out.push({
      base: from === 0 ? 0 : log[from - 1]!.seq,
      last: log[to]!.seq,
      count: to - from + 1,
      firstTime: log[from]!.time,
      lastTime: log[to]!.time,
    })
  let from = 0
  for (let i = 1; i < log.length; i++) {
    const n = i - from
    if ((n >= every && (cuts.size === 0 || cuts.has(log[i - 1]!.seq))) || n >= 2 * every) {
      push(from, i - 1)
      from = i
    }
  }
  if (log.length) push(from, log.length - 1)
  return out
}

export interface Segment {
  /** The doc's state after entry `base` (null: the empty doc). */
  base: Uint8Array | null
  entries: HistoryEntry[]
}

const SEGMENT_FORMAT = 1

export function encodeSegment(s: Segment): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, SEGMENT_FORMAT)
  encoding.writeVarUint8Array(e, s.base ?? new Uint8Array())
  writeEntries(e, s.entries)
  return encoding.toUint8Array(e)
}

const bytes = z.custom<Uint8Array>((v) => v instanceof Uint8Array)
const SegmentShape = z.object({
  base: z.nullable(bytes),
  entries: z.array(z.object({ seq: z.int().check(z.positive()), time: z.number(), data: bytes })),
})

/**
 * A segment as the server sent it, checked against what the outline said of it: a reply that does
 * not fit (another log, a truncated body) throws rather than showing a wrong moment.
 */
export function decodeSegment(body: Uint8Array, info: SegmentInfo): Segment {
  const d = decoding.createDecoder(body)
  if (decoding.readVarUint(d) !== SEGMENT_FORMAT) throw new Error('unknown segment format')
  const base = decoding.readVarUint8Array(d)
  const entries = readEntries(d)
  if (decoding.hasContent(d)) throw new Error('trailing bytes after the segment')
  const segment = SegmentShape.parse({ base: base.length ? base : null, entries })
  const last = segment.entries[segment.entries.length - 1]
  if (
    segment.entries.length !== info.count ||
    last?.seq !== info.last ||
    segment.entries[0]!.seq <= info.base ||
    (info.base === 0) !== (segment.base === null)
  )
    throw new Error('the segment does not match the outline')
  return segment
}

/**
 * The outline and both docs at the meeting's end, where the replay opens unless told otherwise:
 * all the first frame needs. The segments, the end's too, are fetched after the screen shows.
 */
export interface ReplayHead {
  outline: ReplayOutline
  /**
   * The board after its last entry as a BoardTimeline writes it: a small doc with no tombstones,
   * read at once, while the log's long meeting state waits to be built.
   */
  boardEnd: Uint8Array | null
  /** The control doc's state after its last entry (a small doc: phases, rounds, results). */
  controlEnd: Uint8Array | null
}

const HEAD_FORMAT = 2

export function encodeReplayHead(head: ReplayHead): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, HEAD_FORMAT)
  encoding.writeVarString(e, JSON.stringify(head.outline))
  encoding.writeVarUint8Array(e, head.boardEnd ?? new Uint8Array())
  encoding.writeVarUint8Array(e, head.controlEnd ?? new Uint8Array())
  return encoding.toUint8Array(e)
}

/** The outline parsed with its schema and the docs at the end; throws on anything else. */
export function decodeReplayHead(body: Uint8Array): ReplayHead {
  const d = decoding.createDecoder(body)
  if (decoding.readVarUint(d) !== HEAD_FORMAT) throw new Error('unknown replay head format')
  const outline = ReplayOutline.parse(JSON.parse(decoding.readVarString(d)))
  const boardEnd = decoding.readVarUint8Array(d)
  const controlEnd = decoding.readVarUint8Array(d)
  if (decoding.hasContent(d)) throw new Error('trailing bytes after the replay head')
  const end = (state: Uint8Array, parts: SegmentInfo[]) => {
    if (!state.length) return null
    if (!parts.length) throw new Error('an end state for an empty log')
    return state
  }
  return {
    outline,
    boardEnd: end(boardEnd, outline.board),
    controlEnd: end(controlEnd, outline.control),
  }
}
