/**
 * The replay's outline and segments (shared/replay-segments.ts), as heavy jobs: the outline reads
 * both logs' positions, replays the control log for its markers and brings the segments of the
 * meeting's end along; a segment rebuilds its doc's
 * state at the segment's base from the nearest stored checkpoint, so no request replays a long
 * log from zero.
 */
import * as Y from 'yjs'
import { z } from 'zod'
import { BoardTimeline } from '../../shared/board-timeline.ts'
import { controlMarkers } from '../../shared/history.ts'
import { DocName, IdSchema } from '../../shared/protocol.ts'
import {
  MAX_SEGMENT_ENTRIES,
  MIN_SEGMENT_ENTRIES,
  type ReplayOutline,
  ReplayDocName,
  type Segment,
  encodeReplayHead,
  encodeSegment,
  planSegments,
} from '../../shared/replay-segments.ts'
import { BOARD_LAYOUT } from '../../shared/schema.ts'
import { applyStored } from '../store/store.ts'
import type { HeavyReader } from './reader.ts'

/** A committed log position fixed by the main thread; null: the doc was not live, read the latest. */
export const Position = z.number().int().nonnegative().nullable()

export const ReplayOutlineJob = z.object({
  kind: z.literal('replay-outline'),
  workshopId: IdSchema,
  board: Position,
  control: Position,
  every: z.number().int().min(MIN_SEGMENT_ENTRIES).max(MAX_SEGMENT_ENTRIES),
})
export type ReplayOutlineJob = z.infer<typeof ReplayOutlineJob>

export const ReplaySegmentJob = z.object({
  kind: z.literal('replay-segment'),
  workshopId: IdSchema,
  doc: ReplayDocName,
  base: z.number().int().nonnegative(),
  last: z.number().int().positive(),
})
export type ReplaySegmentJob = z.infer<typeof ReplaySegmentJob>

/** The outline, with the segments of the meeting's end, where the replay opens unless told otherwise. */
export async function replayOutline(
  reader: HeavyReader,
  job: ReplayOutlineJob,
): Promise<Uint8Array> {
  const w = job.workshopId
  const cuts = async (doc: DocName, upTo: number | null) =>
    new Set(await reader.checkpointSeqs(w, doc, upTo))
  const [control, boardTimes, boardCuts, controlCuts, snapshots] = await Promise.all([
    reader.log(w, DocName.Control, job.control),
    reader.logTimes(w, DocName.Board, job.board),
    cuts(DocName.Board, job.board),
    cuts(DocName.Control, job.control),
    reader.snapshots(w),
  ])
  const outline: ReplayOutline = {
    board: planSegments(boardTimes, job.every, boardCuts),
    control: planSegments(control, job.every, controlCuts),
    markers: controlMarkers(control).flatMap(({ snapshot: _s, kind, ...m }) =>
      kind === 'snapshot' ? [] : [{ ...m, kind }],
    ),
    snapshots: snapshots.map(({ workshopId: _w, ...s }) => s),
  }
  const ends = await Promise.all(
    [DocName.Board, DocName.Control].map(async (doc) => {
      const part = outline[doc].length - 1
      const info = outline[doc][part]
      return info
        ? [{ doc, part, segment: await segmentOf(reader, w, doc, info.base, info.last) }]
        : []
    }),
  )
  const segments = ends.flat()
  const board = segments.find((s) => s.doc === DocName.Board)?.segment
  return encodeReplayHead({ outline, segments, boardEnd: board ? boardEnd(board) : null })
}

/** What the client's timeline of that segment shows after its last entry, as a small doc's state. */
function boardEnd(segment: Segment): Uint8Array {
  const timeline = new BoardTimeline(segment.entries, BOARD_LAYOUT, { base: segment.base })
  try {
    return Y.encodeStateAsUpdate(timeline.docAtIndex(segment.entries.length - 1))
  } finally {
    timeline.destroy()
  }
}

export async function replaySegment(
  reader: HeavyReader,
  job: ReplaySegmentJob,
): Promise<Uint8Array> {
  return encodeSegment(await segmentOf(reader, job.workshopId, job.doc, job.base, job.last))
}

async function segmentOf(
  reader: HeavyReader,
  workshopId: string,
  name: DocName,
  base: number,
  last: number,
): Promise<Segment> {
  const entries = await reader.logRange(workshopId, name, base, last)
  if (base === 0) return { base: null, entries }
  const stored = await reader.storedAt(workshopId, name, base)
  // a checkpoint stored at the base itself is sent as it is (the client drops what it left pending)
  if (stored.checkpoint && stored.checkpointSeq === base)
    return { base: stored.checkpoint, entries }
  const doc = new Y.Doc()
  try {
    // as the relay loads a doc: the checkpoint at or before the base, then the updates up to it
    applyStored(doc, stored, null)
    return { base: Y.encodeStateAsUpdate(doc), entries }
  } finally {
    doc.destroy()
  }
}
