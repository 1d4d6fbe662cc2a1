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
import { DocName, ErrorCode, ID_PATTERN } from '../../shared/protocol.ts'
import { listTables, readMeta } from '../../shared/schema.ts'
import { DEFAULT_TEMPLATE, applyTemplate } from '../../shared/template.ts'
import { hashSecret, newId, newJoinCode, newSecret, resolveBearer } from '../identity.ts'
import type { Config } from '../config.ts'
import type { RoomRegistry } from '../relay/rooms.ts'
import type { WorkshopRow } from '../store/store.ts'
import { HttpError, parseBody, sendJson } from './respond.ts'

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

export async function createWorkshop(ctx: RouteContext, req: IncomingMessage, res: ServerResponse) {
  const body = await parseBody(req, CreateWorkshopRequest)
  const { store, random, clock } = ctx.config
  const now = clock.now()
  const id = newId(random)
  const facilitatorKey = newSecret(random)
  const row: WorkshopRow = {
    id,
    joinCode: uniqueJoinCode(ctx),
    facilitatorKeyHash: hashSecret(facilitatorKey),
    title: body.title,
    language: body.language,
    anonymity: body.anonymity,
    createdAt: now,
  }
  const board = new Y.Doc()
  applyTemplate(board, DEFAULT_TEMPLATE, {
    title: body.title,
    language: body.language,
    anonymity: body.anonymity,
    question: body.question,
    tableIds: DEFAULT_TEMPLATE.tables.map(() => newId(random)),
  })
  store.createWorkshop(row)
  store.appendUpdates([
    { workshopId: id, doc: DocName.Board, time: now, participantId: null, data: Y.encodeStateAsUpdate(board) },
  ])
  board.destroy()
  const base = baseUrl(ctx, req)
  const reply: CreateWorkshopResponse = {
    id,
    joinCode: row.joinCode,
    facilitatorKey,
    links: {
      participant: base + ROUTES.join(row.joinCode),
      facilitator: base + ROUTES.facilitate(id, facilitatorKey),
      projector: base + ROUTES.present(id, row.joinCode),
    },
  }
  ctx.config.log.info('workshop.created', { workshop: id })
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

function workshopById(ctx: RouteContext, id: string): WorkshopRow {
  const w = ID_PATTERN.test(id) ? ctx.config.store.workshop(id) : null
  if (!w) throw workshopNotFound()
  return w
}

export function whoami(ctx: RouteContext, id: string, req: IncomingMessage, res: ServerResponse) {
  const w = workshopById(ctx, id)
  const who = resolveBearer(ctx.config.store, w, req.headers.authorization)
  if (!who) throw new HttpError(401, { error: ErrorCode.Unauthorized, message: 'unknown token or key' })
  const reply: WhoAmIResponse = { workshopId: w.id, ...who }
  sendJson(res, 200, reply)
}

export function workshopInfo(ctx: RouteContext, id: string, req: IncomingMessage, res: ServerResponse) {
  const w = workshopById(ctx, id)
  if (!resolveBearer(ctx.config.store, w, req.headers.authorization)) {
    throw new HttpError(401, { error: ErrorCode.Unauthorized, message: 'unknown token or key' })
  }
  sendJson(res, 200, info(ctx, w))
}

