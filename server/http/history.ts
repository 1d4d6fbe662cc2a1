/**
 * Organiser routes (facilitator key): snapshots, compare, restore, follow-up workshop, the replay
 * history, the report, and export / deletion of a whole workshop. The heavy ones (compare, report,
 * export, history) only check the caller and fix log positions here; server/heavy does the work.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import * as Y from 'yjs'
import {
  type ApiError,
  FollowUpRequest,
  LIVE,
  ReportQuery,
  SnapshotRequest,
} from '../../shared/api.ts'
import { DocName, ErrorCode } from '../../shared/protocol.ts'
import { purgeWorkshop } from '../history/retention.ts'
import { boardRoot, readMeta, writeMeta } from '../../shared/schema.ts'
import { restoreBoard } from '../../shared/restore.ts'
import { readChosen, setChosen } from '../../shared/control.ts'
import { SnapshotKind, type WorkshopRow } from '../store/store.ts'
import type { Snapshots } from '../history/snapshots.ts'
import type { DocsAt, HeavyJob, LiveAt, ReportFormat } from '../heavy/jobs.ts'
import { HeavyRefused, HeavyStopped, type HeavyRunner } from '../heavy/pool.ts'
import { requireFacilitator, requireOwner, workshopById } from './auth.ts'
import { HttpError, SECURITY_HEADERS, isStorageFailure, parseBody, sendJson } from './respond.ts'
import type { RouteContext } from './context.ts'
import { newWorkshop } from './workshops.ts'

export interface HistoryContext extends RouteContext {
  snapshots: Snapshots
  heavy: HeavyRunner
}

export async function organiser(
  ctx: HistoryContext,
  id: string,
  req: IncomingMessage,
): Promise<WorkshopRow> {
  const w = await workshopById(ctx.config.store, id)
  await requireFacilitator(ctx.config.store, w, req)
  return w
}

const snapshotNotFound = () =>
  new HttpError(404, { error: ErrorCode.NotFound, message: 'no such snapshot' })

/**
 * The committed log position of a doc, committing first if it is live; null when it is not (the
 * job reads what is stored). Room.commitNow would also encode the whole doc here, on the relay's
 * thread (50–75 ms for 10,000 cards); the job rebuilds that state from the log up to this position.
 */
async function committedPosition(
  ctx: HistoryContext,
  workshopId: string,
  doc: DocName,
): Promise<number | null> {
  const room = ctx.rooms.get(workshopId, doc)
  // while storage fails the edits not yet committed stay out: the job reads what is stored
  return room ? room.committedPosition() : null
}

/** A live doc's state, committed first; while storage fails, what the log already holds. */
async function committedOrStored(
  ctx: HistoryContext,
  workshopId: string,
  doc: DocName,
): Promise<Uint8Array> {
  try {
    return (await ctx.rooms.committedState(workshopId, doc)).state
  } catch (err) {
    if (!isStorageFailure(err)) throw err
    return (await ctx.rooms.storedState(workshopId, doc)).state
  }
}

export const liveAt = async (ctx: HistoryContext, workshopId: string): Promise<LiveAt> => {
  const [board, control] = await Promise.all([
    committedPosition(ctx, workshopId, DocName.Board),
    committedPosition(ctx, workshopId, DocName.Control),
  ])
  return { kind: 'live', board, control }
}

const heavyAt = async (
  ctx: HistoryContext,
  workshopId: string,
  snapshotId: string,
): Promise<DocsAt> =>
  snapshotId === LIVE ? liveAt(ctx, workshopId) : { kind: 'snapshot', id: snapshotId }

/**
 * Runs a heavy job off the relay's thread. Resolves with the body, or with null once it has
 * answered 429 itself (the cap: an ApiError with a Retry-After, which HttpError cannot carry).
 */
export async function runHeavy(
  ctx: HistoryContext,
  res: ServerResponse,
  workshopId: string,
  prepare: () => Promise<HeavyJob>,
): Promise<Uint8Array | null> {
  let outcome
  try {
    outcome = await ctx.heavy.run(workshopId, prepare)
  } catch (err) {
    if (err instanceof HeavyRefused) {
      const text = JSON.stringify({
        error: ErrorCode.RateLimited,
        message: err.message,
      } satisfies ApiError)
      res.writeHead(429, {
        ...SECURITY_HEADERS,
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': Buffer.byteLength(text),
        'Cache-Control': 'no-store',
        'Retry-After': String(err.retryAfterS),
      })
      res.end(text)
      return null
    }
    if (err instanceof HeavyStopped)
      throw new HttpError(503, { error: ErrorCode.Internal, message: `${err.message}; try again` })
    throw err
  }
  if (!outcome.ok)
    throw new HttpError(outcome.status, { error: outcome.error, message: outcome.message })
  return outcome.body
}

/** Both docs at a snapshot, or now, on this thread (follow-up writes a new workshop from them); the caller destroys them. */
async function docsAt(
  ctx: HistoryContext,
  w: WorkshopRow,
  snapshotId: string,
): Promise<{ board: Y.Doc; control: Y.Doc; controlSeq: number | null }> {
  if (snapshotId === LIVE) {
    const [boardState, controlState] = await Promise.all([
      committedOrStored(ctx, w.id, DocName.Board),
      committedOrStored(ctx, w.id, DocName.Control),
    ])
    const board = new Y.Doc()
    const control = new Y.Doc()
    Y.applyUpdate(board, boardState)
    Y.applyUpdate(control, controlState)
    return { board, control, controlSeq: null }
  }
  const snap = await ctx.config.store.snapshot(w.id, snapshotId)
  if (!snap) throw snapshotNotFound()
  const board = new Y.Doc()
  const control = new Y.Doc()
  Y.applyUpdate(board, snap.board)
  Y.applyUpdate(control, snap.control)
  return { board, control, controlSeq: snap.controlSeq }
}

export async function createSnapshot(
  ctx: HistoryContext,
  id: string,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const w = await organiser(ctx, id, req)
  const body = await parseBody(req, SnapshotRequest)
  sendJson(res, 201, await ctx.snapshots.take(w.id, SnapshotKind.Manual, body.label))
}

export async function listSnapshots(
  ctx: HistoryContext,
  id: string,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const w = await organiser(ctx, id, req)
  sendJson(res, 200, await ctx.config.store.snapshots(w.id))
}

export async function openSnapshot(
  ctx: HistoryContext,
  id: string,
  sid: string,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const w = await organiser(ctx, id, req)
  const snap = await ctx.config.store.snapshot(w.id, sid)
  if (!snap) throw snapshotNotFound()
  const { board, control, ...meta } = snap
  sendJson(res, 200, {
    ...meta,
    board: Buffer.from(board).toString('base64'),
    control: Buffer.from(control).toString('base64'),
  })
}

export async function compareSnapshots(
  ctx: HistoryContext,
  id: string,
  a: string,
  b: string,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const w = await organiser(ctx, id, req)
  const body = await runHeavy(ctx, res, w.id, async () => ({
    kind: 'compare',
    workshopId: w.id,
    a: await heavyAt(ctx, w.id, a),
    b: await heavyAt(ctx, w.id, b),
  }))
  if (!body) return
  // as sendJson writes it
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': body.byteLength,
    'Cache-Control': 'no-store',
  })
  res.end(body)
}

export async function restoreSnapshot(
  ctx: HistoryContext,
  id: string,
  sid: string,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const w = await organiser(ctx, id, req)
  if (!(await ctx.snapshots.restore(w.id, sid))) throw snapshotNotFound()
  sendJson(res, 200, { ok: true })
}

/** A new workshop whose board starts from the snapshot; every card remembers where it came from. */
export async function followUp(
  ctx: HistoryContext,
  id: string,
  sid: string,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const w = await organiser(ctx, id, req)
  ctx.limits.admitCreate(req)
  const body = await parseBody(req, FollowUpRequest)
  const source = await docsAt(ctx, w, sid)
  try {
    const meta = readMeta(source.board)
    const reply = await newWorkshop(ctx, req, {
      title: body.title,
      language: w.language,
      anonymity: w.anonymity,
      minTableVoters: w.minTableVoters,
      fillBoard: (board) => {
        restoreBoard(board, source.board)
        // the new row's settings, mirrored (the row owns them); the question carries over
        writeMeta(board, {
          question: meta?.question ?? '',
          title: body.title,
          language: w.language,
          anonymity: w.anonymity,
        })
        for (const [cardId, card] of boardRoot(board).cards.entries()) {
          if (!card.get('origin'))
            card.set('origin', { workshop: w.id, snapshot: sid, card: cardId })
        }
      },
      // the tasks the room chose are where the follow-up meeting starts
      fillControl: (control) => {
        for (const taskId of readChosen(source.control)) setChosen(control, taskId, true)
      },
    })
    sendJson(res, 201, reply)
  } finally {
    source.board.destroy()
    source.control.destroy()
  }
}

export async function history(
  ctx: HistoryContext,
  id: string,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const w = await organiser(ctx, id, req)
  const bytes = await runHeavy(ctx, res, w.id, async () => ({
    kind: 'history',
    workshopId: w.id,
    at: await liveAt(ctx, w.id),
  }))
  if (!bytes) return
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/octet-stream',
    'Content-Length': bytes.byteLength,
    'Cache-Control': 'no-store',
  })
  res.end(bytes)
}

const REPORT_TYPES: Record<ReportFormat, string> = {
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  json: 'application/json; charset=utf-8',
}

export async function report(
  ctx: HistoryContext,
  id: string,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const w = await organiser(ctx, id, req)
  const query = ReportQuery.safeParse(
    Object.fromEntries(new URL(req.url ?? '/', 'http://x').searchParams),
  )
  if (!query.success)
    throw new HttpError(400, { error: ErrorCode.BadRequest, message: 'bad report query' })
  const { format, snapshot } = query.data
  const lang = query.data.lang ?? w.language
  const generatedAt = ctx.config.clock.now()
  const body = await runHeavy(ctx, res, w.id, async () => ({
    kind: 'report',
    workshopId: w.id,
    at: await heavyAt(ctx, w.id, snapshot ?? LIVE),
    lang,
    format,
    generatedAt,
    workshop: {
      title: w.title,
      language: w.language,
      anonymity: w.anonymity,
      minTableVoters: w.minTableVoters,
    },
  }))
  if (!body) return
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': REPORT_TYPES[format],
    'Content-Disposition': `attachment; filename="stip-${w.id}-${lang}.${format}"`,
    'Cache-Control': 'no-store',
  })
  res.end(body)
}

/** Everything stored about a workshop, for the organiser's records (built in server/heavy/jobs.ts). */
export async function exportWorkshop(
  ctx: HistoryContext,
  id: string,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const w = await organiser(ctx, id, req)
  const body = await runHeavy(ctx, res, w.id, async () => ({
    kind: 'export',
    workshopId: w.id,
    at: await liveAt(ctx, w.id),
  }))
  if (!body) return
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Disposition': `attachment; filename="stip-${w.id}-export.json"`,
    'Cache-Control': 'no-store',
  })
  res.end(body)
}

export async function deleteWorkshop(
  ctx: HistoryContext,
  id: string,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const w = await workshopById(ctx.config.store, id)
  // a co-facilitator link can be revoked; it must not be able to erase the workshop
  await requireOwner(ctx.config.store, w, req)
  await purgeWorkshop(ctx.rooms, ctx.config.store, ctx.config.log, w.id, 'request')
  res.writeHead(204, SECURITY_HEADERS)
  res.end()
}
