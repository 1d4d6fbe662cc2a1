/**
 * The heavy organiser routes' work (report, compare, export, history, replay), as jobs that run where they
 * cannot block the relay: in a worker thread, or in-thread for an in-memory store. A job gets only
 * plain data (ids and log positions) and reads the rest itself; its answer is the finished body.
 */
import * as Y from 'yjs'
import { z } from 'zod'
import { DocName, ErrorCode, IdSchema } from '../../shared/protocol.ts'
import { Anonymity, AnonymitySchema } from '../../shared/schema.ts'
import { diffBoards } from '../../shared/diff.ts'
import { encodeHistory, phaseTimeline } from '../../shared/history.ts'
import { buildReport } from '../../shared/report.ts'
import { RoundStatus, listRounds, readTally } from '../../shared/control.ts'
import { protectTally } from '../../shared/tally-privacy.ts'
import { applyStored } from '../store/store.ts'
import { renderMarkdown } from '../export/markdown.ts'
import { renderHtml } from '../export/html.ts'
import type { HeavyReader } from './reader.ts'
import {
  Position,
  ReplayOutlineJob,
  ReplaySegmentJob,
  replayOutline,
  replaySegment,
} from './replay.ts'

/** Both docs as they are now (committed up to these positions). */
export const LiveAt = z.object({ kind: z.literal('live'), board: Position, control: Position })
export type LiveAt = z.infer<typeof LiveAt>
const DocsAt = z.discriminatedUnion('kind', [
  LiveAt,
  z.object({ kind: z.literal('snapshot'), id: z.string().max(64) }),
])
export type DocsAt = z.infer<typeof DocsAt>

export const ReportFormat = z.enum(['md', 'html', 'json'])
export type ReportFormat = z.infer<typeof ReportFormat>

export const HeavyJob = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('compare'), workshopId: IdSchema, a: DocsAt, b: DocsAt }),
  z.object({
    kind: z.literal('report'),
    workshopId: IdSchema,
    at: DocsAt,
    lang: z.enum(['nl', 'en']),
    format: ReportFormat,
    generatedAt: z.number(),
    /** The workshop row's settings: it owns title, language and anonymity (not the doc's meta). */
    workshop: z.object({
      title: z.string(),
      language: z.enum(['nl', 'en']),
      anonymity: AnonymitySchema,
      minTableVoters: z.number().int().positive(),
    }),
  }),
  z.object({ kind: z.literal('export'), workshopId: IdSchema, at: LiveAt }),
  z.object({ kind: z.literal('history'), workshopId: IdSchema, at: LiveAt }),
  ReplayOutlineJob,
  ReplaySegmentJob,
])
export type HeavyJob = z.infer<typeof HeavyJob>

/** The body, or a refusal the route answers as an ApiError (the snapshot or workshop is gone). */
export const JobOutcome = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), body: z.custom<Uint8Array>((v) => v instanceof Uint8Array) }),
  z.object({
    ok: z.literal(false),
    status: z.literal(404),
    error: z.enum([ErrorCode.NotFound, ErrorCode.WorkshopNotFound]),
    message: z.string(),
  }),
])
export type JobOutcome = z.infer<typeof JobOutcome>

class Missing extends Error {
  constructor(
    readonly error: typeof ErrorCode.NotFound | typeof ErrorCode.WorkshopNotFound,
    message: string,
  ) {
    super(message)
  }
}

const utf8 = (text: string) => new TextEncoder().encode(text)

/**
 * A doc as the route has always built it: the state encoded and applied to a fresh doc, so keys
 * come out in the same order whether the state was live, replayed from the log or a snapshot.
 */
function fromState(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, state)
  return doc
}

async function storedDoc(
  reader: HeavyReader,
  workshopId: string,
  name: DocName,
  upTo: number | null,
): Promise<Y.Doc> {
  const stored = await reader.storedAt(workshopId, name, upTo)
  const replayed = new Y.Doc()
  try {
    applyStored(replayed, stored, null)
    return fromState(Y.encodeStateAsUpdate(replayed))
  } finally {
    replayed.destroy()
  }
}

interface Docs {
  board: Y.Doc
  control: Y.Doc
  /** Where the control log stood: the snapshot's position, or the live one (null: all of it). */
  controlSeq: number | null
}

async function docsAt(reader: HeavyReader, workshopId: string, at: DocsAt): Promise<Docs> {
  if (at.kind === 'live') {
    const board = await storedDoc(reader, workshopId, DocName.Board, at.board)
    return {
      board,
      control: await storedDoc(reader, workshopId, DocName.Control, at.control).catch((err) => {
        board.destroy()
        throw err
      }),
      controlSeq: at.control,
    }
  }
  const snap = await reader.snapshot(workshopId, at.id)
  if (!snap) throw new Missing(ErrorCode.NotFound, 'no such snapshot')
  return {
    board: fromState(snap.board),
    control: fromState(snap.control),
    controlSeq: snap.controlSeq,
  }
}

const destroy = (...docs: Docs[]) => docs.forEach((d) => (d.board.destroy(), d.control.destroy()))

async function compare(
  reader: HeavyReader,
  job: Extract<HeavyJob, { kind: 'compare' }>,
): Promise<Uint8Array> {
  const before = await docsAt(reader, job.workshopId, job.a)
  try {
    const after = await docsAt(reader, job.workshopId, job.b)
    try {
      return utf8(JSON.stringify(diffBoards(before.board, after.board)))
    } finally {
      destroy(after)
    }
  } finally {
    destroy(before)
  }
}

async function report(
  reader: HeavyReader,
  job: Extract<HeavyJob, { kind: 'report' }>,
): Promise<Uint8Array> {
  const docs = await docsAt(reader, job.workshopId, job.at)
  try {
    const [participantsByTable, participants, controlLog] = await Promise.all([
      reader.participantCountByTable(job.workshopId),
      reader.participants(job.workshopId),
      reader.log(job.workshopId, DocName.Control, docs.controlSeq),
    ])
    const data = buildReport({
      lang: job.lang,
      workshop: job.workshop,
      board: docs.board,
      control: docs.control,
      generatedAt: job.generatedAt,
      participantsByTable,
      names: new Map(participants.map((p) => [p.id, p.name])),
      phases: phaseTimeline(controlLog),
    })
    if (job.format === 'json') return utf8(JSON.stringify(data, null, 2))
    return utf8(job.format === 'html' ? renderHtml(data, job.lang) : renderMarkdown(data, job.lang))
  } finally {
    destroy(docs)
  }
}

/**
 * Everything stored about a workshop, for the organiser's records (GDPR access/portability): both
 * docs, every update log entry, every snapshot's states, participants and ballots. Three limits
 * hold here as everywhere: ballots of a round that is not revealed stay secret (only their count),
 * names appear only when the workshop is set to named, and in the anonymous modes no ballot is
 * given per person: a revealed round carries its tally, small tables pooled (shared/tally-privacy.ts).
 */
async function exportWorkshop(
  reader: HeavyReader,
  job: Extract<HeavyJob, { kind: 'export' }>,
): Promise<Uint8Array> {
  const w = await reader.workshop(job.workshopId)
  if (!w) throw new Missing(ErrorCode.WorkshopNotFound, 'no such workshop')
  const docs = await docsAt(reader, w.id, job.at)
  try {
    const b64 = (u: Uint8Array) => Buffer.from(u).toString('base64')
    const named = w.anonymity === Anonymity.Named
    const { facilitatorKeyHash: _k, ...workshop } = w
    const listed = listRounds(docs.control)
    const ballotRows = await Promise.all(listed.map((r) => reader.ballots(w.id, r.id)))
    const rounds = listed.map((r, i) => {
      const rows = ballotRows[i]!
      const revealed = r.status === RoundStatus.Revealed
      const tally = revealed ? readTally(docs.control, r.id) : null
      return {
        id: r.id,
        status: r.status,
        ballotCount: rows.length,
        revealed,
        ...(tally && { tally: protectTally(tally, w) }),
        rows,
      }
    })
    // the log up to the positions the docs show, so it holds everything they show and no more
    const upTo = { [DocName.Board]: job.at.board, [DocName.Control]: job.at.control }
    const log = async (doc: DocName) =>
      (await reader.log(w.id, doc, upTo[doc])).map((e) => ({
        doc,
        seq: e.seq,
        time: e.time,
        data: b64(e.data),
      }))
    const metas = await reader.snapshots(w.id)
    const snapshotRows = await Promise.all(metas.map((meta) => reader.snapshot(w.id, meta.id)))
    const [participants, boardLog, controlLog] = await Promise.all([
      reader.participants(w.id),
      log(DocName.Board),
      log(DocName.Control),
    ])
    const body = {
      format: 'stip-export-2',
      workshop,
      participants: participants.map(({ tokenHash: _t, name, ...p }) =>
        named ? { ...p, name } : p,
      ),
      board: { json: docs.board.toJSON(), yjsState: b64(Y.encodeStateAsUpdate(docs.board)) },
      control: { json: docs.control.toJSON(), yjsState: b64(Y.encodeStateAsUpdate(docs.control)) },
      snapshots: metas.flatMap((meta, i) => {
        const row = snapshotRows[i]
        return row ? [{ ...meta, board: b64(row.board), control: b64(row.control) }] : []
      }),
      rounds: rounds.map(({ rows: _r, ...r }) => r),
      ballots: rounds
        .filter((r) => r.revealed && named)
        .flatMap((r) =>
          r.rows.map(({ workshopId: _w, ballot, ...b }) => ({
            ...b,
            ballot: JSON.parse(ballot) as unknown,
          })),
        ),
      // Yjs updates as stored, in log order; applying them in order rebuilds each doc at any seq
      log: { board: boardLog, control: controlLog },
    }
    return utf8(JSON.stringify(body, null, 2))
  } finally {
    destroy(docs)
  }
}

async function history(
  reader: HeavyReader,
  job: Extract<HeavyJob, { kind: 'history' }>,
): Promise<Uint8Array> {
  const [board, control, snapshots] = await Promise.all([
    reader.log(job.workshopId, DocName.Board, job.at.board),
    reader.log(job.workshopId, DocName.Control, job.at.control),
    reader.snapshots(job.workshopId),
  ])
  return encodeHistory({
    board,
    control,
    snapshots: snapshots.map(({ workshopId: _w, ...s }) => s),
  })
}

/** Runs a job on one consistent view of the store. Throws on anything but a missing row. */
export async function runJob(reader: HeavyReader, job: HeavyJob): Promise<JobOutcome> {
  try {
    const body = await reader.consistent(() => {
      switch (job.kind) {
        case 'compare':
          return compare(reader, job)
        case 'report':
          return report(reader, job)
        case 'export':
          return exportWorkshop(reader, job)
        case 'history':
          return history(reader, job)
        case 'replay-outline':
          return replayOutline(reader, job)
        case 'replay-segment':
          return replaySegment(reader, job)
      }
    })
    return { ok: true, body }
  } catch (err) {
    if (err instanceof Missing)
      return { ok: false, status: 404, error: err.error, message: err.message }
    throw err
  }
}
