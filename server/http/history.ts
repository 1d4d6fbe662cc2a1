/**
 * Organiser routes (facilitator key): snapshots, compare, restore, follow-up workshop, the replay
 * history, the report, and export / deletion of a whole workshop.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import * as Y from 'yjs'
import { FollowUpRequest, LIVE, ReportQuery, SnapshotRequest } from '../../shared/api.ts'
import { DocName, ErrorCode } from '../../shared/protocol.ts'
import { purgeWorkshop } from '../history/retention.ts'
import { Anonymity, boardRoot, readMeta, writeMeta } from '../../shared/schema.ts'
import { diffBoards } from '../../shared/diff.ts'
import { restoreBoard } from '../../shared/restore.ts'
import { encodeHistory, phaseTimeline } from '../../shared/history.ts'
import { buildReport } from '../../shared/report.ts'
import { RoundStatus, listRounds, readChosen, setChosen } from '../../shared/control.ts'
import { SnapshotKind, type WorkshopRow } from '../store/store.ts'
import type { Snapshots } from '../history/snapshots.ts'
import { renderMarkdown } from '../export/markdown.ts'
import { renderHtml } from '../export/html.ts'
import { requireFacilitator, workshopById } from './auth.ts'
import { HttpError, SECURITY_HEADERS, isStorageFailure, parseBody, sendJson } from './respond.ts'
import { newWorkshop, type RouteContext } from './workshops.ts'

export interface HistoryContext extends RouteContext {
  snapshots: Snapshots
}

function organiser(ctx: HistoryContext, id: string, req: IncomingMessage): WorkshopRow {
  const w = workshopById(ctx.config.store, id)
  requireFacilitator(ctx.config.store, w, req)
  return w
}

const snapshotNotFound = () => new HttpError(404, { error: ErrorCode.NotFound, message: 'no such snapshot' })

/** A live doc's state, committed first; while storage fails, what the log already holds. */
function committedOrStored(ctx: HistoryContext, workshopId: string, doc: DocName): Uint8Array {
  try {
    return ctx.rooms.committedState(workshopId, doc).state
  } catch (err) {
    if (!isStorageFailure(err)) throw err
    return ctx.rooms.storedState(workshopId, doc).state
  }
}

/** Both docs at a snapshot, or now; the caller destroys them. */
function docsAt(ctx: HistoryContext, w: WorkshopRow, snapshotId: string): { board: Y.Doc; control: Y.Doc; controlSeq: number | null } {
  const board = new Y.Doc()
  const control = new Y.Doc()
  if (snapshotId === LIVE) {
    Y.applyUpdate(board, committedOrStored(ctx, w.id, DocName.Board))
    Y.applyUpdate(control, committedOrStored(ctx, w.id, DocName.Control))
    return { board, control, controlSeq: null }
  }
  const snap = ctx.config.store.snapshot(w.id, snapshotId)
  if (!snap) throw snapshotNotFound()
  Y.applyUpdate(board, snap.board)
  Y.applyUpdate(control, snap.control)
  return { board, control, controlSeq: snap.controlSeq }
}

export async function createSnapshot(ctx: HistoryContext, id: string, req: IncomingMessage, res: ServerResponse) {
  const w = organiser(ctx, id, req)
  const body = await parseBody(req, SnapshotRequest)
  sendJson(res, 201, ctx.snapshots.take(w.id, SnapshotKind.Manual, body.label))
}

export function listSnapshots(ctx: HistoryContext, id: string, req: IncomingMessage, res: ServerResponse) {
  const w = organiser(ctx, id, req)
  sendJson(res, 200, ctx.config.store.snapshots(w.id))
}

export function openSnapshot(ctx: HistoryContext, id: string, sid: string, req: IncomingMessage, res: ServerResponse) {
  const w = organiser(ctx, id, req)
  const snap = ctx.config.store.snapshot(w.id, sid)
  if (!snap) throw snapshotNotFound()
  const { board, control, ...meta } = snap
  sendJson(res, 200, { ...meta, board: Buffer.from(board).toString('base64'), control: Buffer.from(control).toString('base64') })
}

export function compareSnapshots(ctx: HistoryContext, id: string, a: string, b: string, req: IncomingMessage, res: ServerResponse) {
  const w = organiser(ctx, id, req)
  const before = docsAt(ctx, w, a)
  const after = docsAt(ctx, w, b)
  try {
    sendJson(res, 200, diffBoards(before.board, after.board))
  } finally {
    for (const d of [before.board, before.control, after.board, after.control]) d.destroy()
  }
}

export function restoreSnapshot(ctx: HistoryContext, id: string, sid: string, req: IncomingMessage, res: ServerResponse) {
  const w = organiser(ctx, id, req)
  if (!ctx.snapshots.restore(w.id, sid)) throw snapshotNotFound()
  sendJson(res, 200, { ok: true })
}

/** A new workshop whose board starts from the snapshot; every card remembers where it came from. */
export async function followUp(ctx: HistoryContext, id: string, sid: string, req: IncomingMessage, res: ServerResponse) {
  const w = organiser(ctx, id, req)
  ctx.limits.admitCreate(req)
  const body = await parseBody(req, FollowUpRequest)
  const source = docsAt(ctx, w, sid)
  try {
    const meta = readMeta(source.board)
    const reply = newWorkshop(ctx, req, {
      title: body.title,
      language: w.language,
      anonymity: w.anonymity,
      fillBoard: (board) => {
        restoreBoard(board, source.board)
        // the new row's settings, mirrored (the row owns them); the question carries over
        writeMeta(board, { question: meta?.question ?? '', title: body.title, language: w.language, anonymity: w.anonymity })
        for (const [cardId, card] of boardRoot(board).cards.entries()) {
          if (!card.get('origin')) card.set('origin', { workshop: w.id, snapshot: sid, card: cardId })
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

export function history(ctx: HistoryContext, id: string, req: IncomingMessage, res: ServerResponse) {
  const w = organiser(ctx, id, req)
  ctx.rooms.committedState(w.id, DocName.Board)
  ctx.rooms.committedState(w.id, DocName.Control)
  const bytes = encodeHistory({
    board: ctx.config.store.log(w.id, DocName.Board),
    control: ctx.config.store.log(w.id, DocName.Control),
    snapshots: ctx.config.store.snapshots(w.id).map(({ workshopId: _w, ...s }) => s),
  })
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/octet-stream',
    'Content-Length': bytes.byteLength,
    'Cache-Control': 'no-store',
  })
  res.end(bytes)
}

export function report(ctx: HistoryContext, id: string, req: IncomingMessage, res: ServerResponse) {
  const w = organiser(ctx, id, req)
  const query = ReportQuery.safeParse(Object.fromEntries(new URL(req.url ?? '/', 'http://x').searchParams))
  if (!query.success) throw new HttpError(400, { error: ErrorCode.BadRequest, message: 'bad report query' })
  const lang = query.data.lang ?? w.language
  const docs = docsAt(ctx, w, query.data.snapshot ?? LIVE)
  try {
    const controlLog = ctx.config.store.log(w.id, DocName.Control)
    const data = buildReport({
      lang,
      workshop: { title: w.title, language: w.language, anonymity: w.anonymity },
      board: docs.board,
      control: docs.control,
      generatedAt: ctx.config.clock.now(),
      participantsByTable: ctx.config.store.participantCountByTable(w.id),
      names: new Map(ctx.config.store.participants(w.id).map((p) => [p.id, p.name])),
      phases: phaseTimeline(docs.controlSeq === null ? controlLog : controlLog.filter((e) => e.seq <= docs.controlSeq!)),
    })
    const file = `stip-${w.id}-${lang}`
    const send = (type: string, ext: string, text: string) => {
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'Content-Type': type,
        'Content-Disposition': `attachment; filename="${file}.${ext}"`,
        'Cache-Control': 'no-store',
      })
      res.end(text)
    }
    if (query.data.format === 'json') send('application/json; charset=utf-8', 'json', JSON.stringify(data, null, 2))
    else if (query.data.format === 'html') send('text/html; charset=utf-8', 'html', renderHtml(data, lang))
    else send('text/markdown; charset=utf-8', 'md', renderMarkdown(data, lang))
  } finally {
    docs.board.destroy()
    docs.control.destroy()
  }
}

/**
 * Everything stored about a workshop, for the organiser's records (GDPR access/portability): both
 * docs, every update log entry, every snapshot's states, participants and ballots. Two limits
 * hold here as everywhere: ballots of a round that is not revealed stay secret (only their count),
 * and names appear only when the workshop is set to named.
 */
export function exportWorkshop(ctx: HistoryContext, id: string, req: IncomingMessage, res: ServerResponse) {
  const w = organiser(ctx, id, req)
  const { store } = ctx.config
  // first: commits both live docs, so the log below holds everything they show
  const docs = docsAt(ctx, w, LIVE)
  try {
    const b64 = (u: Uint8Array) => Buffer.from(u).toString('base64')
    const named = w.anonymity === Anonymity.Named
    const { facilitatorKeyHash: _k, ...workshop } = w
    const rounds = listRounds(docs.control).map((r) => {
      const rows = store.ballots(w.id, r.id)
      return { id: r.id, status: r.status, ballotCount: rows.length, revealed: r.status === RoundStatus.Revealed, rows }
    })
    const log = (doc: DocName) => store.log(w.id, doc).map((e) => ({ doc, seq: e.seq, time: e.time, data: b64(e.data) }))
    const body = {
      format: 'stip-export-2',
      workshop,
      participants: store.participants(w.id).map(({ tokenHash: _t, name, ...p }) => (named ? { ...p, name } : p)),
      board: { json: docs.board.toJSON(), yjsState: b64(Y.encodeStateAsUpdate(docs.board)) },
      control: { json: docs.control.toJSON(), yjsState: b64(Y.encodeStateAsUpdate(docs.control)) },
      snapshots: store.snapshots(w.id).flatMap((meta) => {
        const row = store.snapshot(w.id, meta.id)
        return row ? [{ ...meta, board: b64(row.board), control: b64(row.control) }] : []
      }),
      rounds: rounds.map(({ rows: _r, ...r }) => r),
      ballots: rounds
        .filter((r) => r.revealed)
        .flatMap((r) => r.rows.map(({ workshopId: _w, ballot, ...b }) => ({ ...b, ballot: JSON.parse(ballot) as unknown }))),
      // Yjs updates as stored, in log order; applying them in order rebuilds each doc at any seq
      log: { board: log(DocName.Board), control: log(DocName.Control) },
    }
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="stip-${w.id}-export.json"`,
      'Cache-Control': 'no-store',
    })
    res.end(JSON.stringify(body, null, 2))
  } finally {
    docs.board.destroy()
    docs.control.destroy()
  }
}

export function deleteWorkshop(ctx: HistoryContext, id: string, req: IncomingMessage, res: ServerResponse) {
  const w = organiser(ctx, id, req)
  purgeWorkshop(ctx.rooms, ctx.config.store, ctx.config.log, w.id, 'request')
  res.writeHead(204, SECURITY_HEADERS)
  res.end()
}
