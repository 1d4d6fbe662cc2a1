/**
 * The replay's outline and segments (shared/replay-segments.ts), as heavy jobs: the outline reads
 * both logs' positions, replays the control log for its markers and brings both docs as they were
 * at the meeting's end along (all the first frame needs); a segment rebuilds its doc's state at
 * the segment's base from the nearest stored checkpoint, so no request replays a long log from zero.
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
import { type StoredDoc, applyStored } from '../store/store.ts'
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
  const [boardEnd, controlEnd] = await Promise.all([
    endOf(reader, w, DocName.Board, outline.board.at(-1)?.last, smallBoard),
    endOf(reader, w, DocName.Control, outline.control.at(-1)?.last, stateOf),
  ])
  return encodeReplayHead({ outline, boardEnd, controlEnd })
}

/** A doc at seq `last` as it is stored (a checkpoint and the updates after it), made into a state. */
async function endOf(
  reader: HeavyReader,
  workshopId: string,
  name: DocName,
  last: number | undefined,
  make: (stored: StoredDoc) => Uint8Array,
): Promise<Uint8Array | null> {
  return last === undefined ? null : make(await reader.storedAt(workshopId, name, last))
}

/** As the relay would load it. */
function stateOf(stored: StoredDoc): Uint8Array {
  const doc = new Y.Doc()
  try {
    applyStored(doc, stored, null)
    return Y.encodeStateAsUpdate(doc)
  } finally {
    doc.destroy()
  }
}

/**
 * The board written afresh as the client's timeline writes a moment: the same values without the
 * tombstones every drag leaves, so the first frame decodes a few KiB, not the meeting. The stored
 * checkpoint is its base and the updates after it its entries: the long state is decoded once.
 */
function smallBoard(stored: StoredDoc): Uint8Array {
  const entries = stored.updates.map((data, i) => ({
    seq: stored.checkpointSeq + i + 1,
    time: 0,
    data,
  }))
  const timeline = new BoardTimeline(entries, BOARD_LAYOUT, { base: stored.checkpoint })
  try {
    return Y.encodeStateAsUpdate(timeline.docAtIndex(entries.length - 1))
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
