/** REST routes for workshops: create, look up by code, join a table, who am I. */
import type { IncomingMessage, ServerResponse } from 'node:http'
import * as Y from 'yjs'
import {
  CreateWorkshopRequest,
  type CreateWorkshopResponse,
  JoinCodeSchema,
  JoinRequest,
  type JoinResponse,
  ROUTES,
  type WhoAmIResponse,
  type WorkshopInfo,
} from '../../shared/api.ts'
import { DocName, ErrorCode } from '../../shared/protocol.ts'
import { listTables, readMeta } from '../../shared/schema.ts'
import { DEFAULT_PHASES, writePhases } from '../../shared/control.ts'
import { DEFAULT_TEMPLATE, applyTemplate } from '../../shared/template.ts'
import { stampCurrentVersion } from '../../shared/migrations.ts'
import { hashSecret, newId, newJoinCode, newSecret } from '../identity.ts'
import { caller, workshopById } from './auth.ts'
import type { Config } from '../config.ts'
import type { RoomRegistry } from '../relay/rooms.ts'
import type { WorkshopRow } from '../store/store.ts'
import { HttpError, parseBody, sendJson } from './respond.ts'
import { joinBase } from './qr.ts'

export interface RouteContext {
  config: Config
  rooms: RoomRegistry
}

const workshopNotFound = () =>
  new HttpError(404, { error: ErrorCode.WorkshopNotFound, message: 'no workshop with this id or code' })

function baseUrl(ctx: RouteContext, req: IncomingMessage): string {
  return ctx.config.publicUrl ?? `http://${req.headers.host ?? 'localhost'}`
}

function uniqueJoinCode(ctx: RouteContext): string {
  for (let i = 0; i < 20; i++) {
    const code = newJoinCode(ctx.config.random)
    if (!ctx.config.store.workshopByCode(code)) return code
  }
  throw new HttpError(503, { error: ErrorCode.Internal, message: 'could not allocate a join code' })
}

export interface NewWorkshop {
  title: string
  language: 'nl' | 'en'
  anonymity: WorkshopRow['anonymity']
  /** Fills the new board; the default template when absent. */
  fillBoard: (board: Y.Doc, tableIds: () => string[]) => void
  /** Adds to the new control doc after its default phases (a follow-up keeps the chosen tasks). */
  fillControl?: (control: Y.Doc) => void
}

/** Creates the rows and the first log entries of both docs; returns what the creator needs. */
export function newWorkshop(ctx: RouteContext, req: IncomingMessage, spec: NewWorkshop): CreateWorkshopResponse {
  const { store, random, clock } = ctx.config
  const now = clock.now()
  const id = newId(random)
  const facilitatorKey = newSecret(random)
  const row: WorkshopRow = {
    id,
    joinCode: uniqueJoinCode(ctx),
    facilitatorKeyHash: hashSecret(facilitatorKey),
    title: spec.title,
    language: spec.language,
    anonymity: spec.anonymity,
    createdAt: now,
  }
  const board = new Y.Doc()
  spec.fillBoard(board, () => DEFAULT_TEMPLATE.tables.map(() => newId(random)))
  const control = new Y.Doc()
  writePhases(control, DEFAULT_PHASES[spec.language].map((p) => ({ ...p, id: newId(random) })))
  spec.fillControl?.(control)
  stampCurrentVersion(DocName.Board, board)
  stampCurrentVersion(DocName.Control, control)
  store.createWorkshop(row)
  store.appendUpdates([
    { workshopId: id, doc: DocName.Board, time: now, participantId: null, data: Y.encodeStateAsUpdate(board) },
    { workshopId: id, doc: DocName.Control, time: now, participantId: null, data: Y.encodeStateAsUpdate(control) },
  ])
  board.destroy()
  control.destroy()
  const base = baseUrl(ctx, req)
  ctx.config.log.info('workshop.created', { workshop: id })
  return {
    id,
    joinCode: row.joinCode,
    facilitatorKey,
    links: {
      // the participant link is for other devices: never localhost when a network address serves
      participant: joinBase(ctx.config, req).base + ROUTES.join(row.joinCode),
      facilitator: base + ROUTES.facilitate(id, facilitatorKey),
      projector: base + ROUTES.present(id, row.joinCode),
    },
  }
}

export async function createWorkshop(ctx: RouteContext, req: IncomingMessage, res: ServerResponse) {
  const body = await parseBody(req, CreateWorkshopRequest)
  const reply = newWorkshop(ctx, req, {
    title: body.title,
    language: body.language,
    anonymity: body.anonymity,
    fillBoard: (board, tableIds) =>
      applyTemplate(board, DEFAULT_TEMPLATE, {
        title: body.title,
        language: body.language,
        anonymity: body.anonymity,
        question: body.question,
        tableIds: tableIds(),
      }),
  })
  sendJson(res, 201, reply)
}

function info(ctx: RouteContext, w: WorkshopRow): WorkshopInfo {
  return ctx.rooms.read(w.id, DocName.Board, (doc) => {
    const meta = readMeta(doc)
    return {
      id: w.id,
      joinCode: w.joinCode,
      title: meta?.title ?? w.title,
      question: meta?.question ?? '',
      language: w.language,
      anonymity: w.anonymity,
      tables: listTables(doc),
      createdAt: w.createdAt,
    }
  })
}

export function lookupByCode(ctx: RouteContext, code: string, res: ServerResponse) {
  const parsed = JoinCodeSchema.safeParse(code)
  const w = parsed.success ? ctx.config.store.workshopByCode(parsed.data) : null
  if (!w) throw workshopNotFound()
  sendJson(res, 200, info(ctx, w))
}

export async function join(ctx: RouteContext, req: IncomingMessage, res: ServerResponse) {
  const body = await parseBody(req, JoinRequest)
  const { store, random, clock } = ctx.config
  const w = store.workshopByCode(body.code)
  if (!w) throw workshopNotFound()
  const tables = ctx.rooms.read(w.id, DocName.Board, listTables)
  if (!tables.some((t) => t.id === body.tableId)) {
    throw new HttpError(400, { error: ErrorCode.TableNotFound, message: 'no such table in this workshop' })
  }
  const token = newSecret(random)
  const participantId = newId(random)
  store.addParticipant({
    id: participantId,
    workshopId: w.id,
    tokenHash: hashSecret(token),
    name: body.name,
    tableId: body.tableId,
    createdAt: clock.now(),
  })
  ctx.config.log.info('workshop.joined', { workshop: w.id })
  const reply: JoinResponse = { workshopId: w.id, participantId, token, tableId: body.tableId, name: body.name }
  sendJson(res, 201, reply)
}

export function whoami(ctx: RouteContext, id: string, req: IncomingMessage, res: ServerResponse) {
  const w = workshopById(ctx.config.store, id)
  const who = caller(ctx.config.store, w, req)
  const reply: WhoAmIResponse = { workshopId: w.id, joinCode: w.joinCode, ...who }
  sendJson(res, 200, reply)
}

export function workshopInfo(ctx: RouteContext, id: string, req: IncomingMessage, res: ServerResponse) {
  const w = workshopById(ctx.config.store, id)
  caller(ctx.config.store, w, req)
  sendJson(res, 200, info(ctx, w))
}

