/** REST routes for workshops: create, look up by code, join a table, who am I, change settings. */
import type { IncomingMessage, ServerResponse } from 'node:http'
import * as Y from 'yjs'
import type { z } from 'zod'
import {
  CreateWorkshopRequest,
  type CreateWorkshopResponse,
  JoinRequest,
  type JoinResponse,
  ROUTES,
  type ServerConfigResponse,
  type WhoAmIResponse,
  type WorkshopInfo,
  type WorkshopSettings,
  WorkshopSettingsRequest,
} from '../../shared/api.ts'
import { DocName, ErrorCode } from '../../shared/protocol.ts'
import { listTables, readMeta } from '../../shared/schema.ts'
import { writePhases } from '../../shared/control.ts'
import { DEFAULT_PHASES } from '../../shared/control-actions.ts'
import { DEFAULT_TEMPLATE, applyTemplate } from '../../shared/template.ts'
import { stampCurrentVersion } from '../../shared/migrations.ts'
import { DEFAULT_BOARD_POLICY } from '../../shared/permissions.ts'
import { mirrorSettings } from '../settings-mirror.ts'
import { restampWorkshopPresence } from '../relay/presence-restamp.ts'
import { hashSecret, isCreateKey, newId, newJoinCode, newSecret } from '../identity.ts'
import { caller, requireFacilitator, workshopById, workshopByJoinCode } from './auth.ts'
import type { WorkshopRow } from '../store/store.ts'
import { HttpError, parseBody, sendJson } from './respond.ts'
import { retally } from './rounds.ts'
import { DEFAULT_MIN_TABLE_VOTERS } from '../../shared/tally-privacy.ts'
import { joinBase } from './qr.ts'
import { publishJoined } from '../voting/joined.ts'
import type { RouteContext } from './context.ts'

function baseUrl(ctx: RouteContext, req: IncomingMessage): string {
  return ctx.config.publicUrl ?? `http://${req.headers.host ?? 'localhost'}`
}

async function uniqueJoinCode(ctx: RouteContext): Promise<string> {
  for (let i = 0; i < 20; i++) {
    const code = newJoinCode(ctx.config.random)
    if (!(await ctx.config.store.workshopByCode(code))) return code
  }
  throw new HttpError(503, { error: ErrorCode.Internal, message: 'could not allocate a join code' })
}

export interface NewWorkshop {
  title: string
  language: 'nl' | 'en'
  anonymity: WorkshopRow['anonymity']
  /** A follow-up keeps its parent's; DEFAULT_MIN_TABLE_VOTERS otherwise. */
  minTableVoters?: number
  /** Fills the new board; the default template when absent. */
  fillBoard: (board: Y.Doc, tableIds: () => string[]) => void
  /** Adds to the new control doc after its default phases (a follow-up keeps the chosen tasks). */
  fillControl?: (control: Y.Doc) => void
}

/**
 * Creates the row and the first log entries of both docs, in one transaction; returns what the
 * creator needs.
 */
export async function newWorkshop(
  ctx: RouteContext,
  req: IncomingMessage,
  spec: NewWorkshop,
): Promise<CreateWorkshopResponse> {
  const { store, random, clock } = ctx.config
  const now = clock.now()
  const id = newId(random)
  const facilitatorKey = newSecret(random)
  const row: WorkshopRow = {
    id,
    joinCode: await uniqueJoinCode(ctx),
    facilitatorKeyHash: hashSecret(facilitatorKey),
    title: spec.title,
    language: spec.language,
    anonymity: spec.anonymity,
    cardScope: DEFAULT_BOARD_POLICY.cardScope,
    sharedTextOpen: DEFAULT_BOARD_POLICY.sharedTextOpen,
    minTableVoters: spec.minTableVoters ?? DEFAULT_MIN_TABLE_VOTERS,
    createdAt: now,
  }
  const board = new Y.Doc()
  spec.fillBoard(board, () => DEFAULT_TEMPLATE.tables.map(() => newId(random)))
  const control = new Y.Doc()
  writePhases(
    control,
    DEFAULT_PHASES[spec.language].map((p) => ({ ...p, id: newId(random) })),
  )
  spec.fillControl?.(control)
  stampCurrentVersion(DocName.Board, board)
  stampCurrentVersion(DocName.Control, control)
  await store.createWorkshop(row, [
    {
      workshopId: id,
      doc: DocName.Board,
      time: now,
      participantId: null,
      data: Y.encodeStateAsUpdate(board),
    },
    {
      workshopId: id,
      doc: DocName.Control,
      time: now,
      participantId: null,
      data: Y.encodeStateAsUpdate(control),
    },
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

/** Rate limit first (a refused key costs too), then the organiser key when the server has one. */
export function admitCreation(ctx: RouteContext, req: IncomingMessage): void {
  ctx.limits.admitCreate(req)
  const key = ctx.config.createKey
  if (key && !isCreateKey(key, req.headers.authorization)) {
    throw new HttpError(401, {
      error: ErrorCode.CreateKeyRequired,
      message: req.headers.authorization
        ? 'wrong organiser key'
        : 'this server creates workshops only with its organiser key: Authorization: Bearer <CREATE_KEY>',
    })
  }
}

export async function createWorkshop(ctx: RouteContext, req: IncomingMessage, res: ServerResponse) {
  admitCreation(ctx, req)
  const body = await parseBody(req, CreateWorkshopRequest)
  const reply = await newWorkshop(ctx, req, {
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

function info(ctx: RouteContext, w: WorkshopRow): Promise<WorkshopInfo> {
  return ctx.rooms.read(w.id, DocName.Board, (doc) => {
    const meta = readMeta(doc)
    return {
      id: w.id,
      joinCode: w.joinCode,
      title: w.title,
      question: meta?.question ?? '',
      language: w.language,
      anonymity: w.anonymity,
      cardScope: w.cardScope,
      sharedTextOpen: w.sharedTextOpen,
      minTableVoters: w.minTableVoters,
      tables: listTables(doc),
      createdAt: w.createdAt,
    }
  })
}

export async function lookupByCode(
  ctx: RouteContext,
  code: string,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const w = await workshopByJoinCode(ctx.config.store, ctx.limits, req, code)
  sendJson(res, 200, await info(ctx, w))
}

export function serverConfig(ctx: RouteContext, res: ServerResponse) {
  const reply: ServerConfigResponse = { createKeyRequired: Boolean(ctx.config.createKey) }
  sendJson(res, 200, reply)
}

export async function join(ctx: RouteContext, req: IncomingMessage, res: ServerResponse) {
  const body = await parseBody(req, JoinRequest)
  const { store, random, clock } = ctx.config
  const w = await workshopByJoinCode(ctx.config.store, ctx.limits, req, body.code)
  const tables = await ctx.rooms.read(w.id, DocName.Board, listTables)
  if (!tables.some((t) => t.id === body.tableId)) {
    throw new HttpError(400, {
      error: ErrorCode.TableNotFound,
      message: 'no such table in this workshop',
    })
  }
  const token = newSecret(random)
  const participantId = newId(random)
  await store.addParticipant({
    id: participantId,
    workshopId: w.id,
    tokenHash: hashSecret(token),
    name: body.name,
    tableId: body.tableId,
    createdAt: clock.now(),
  })
  ctx.config.log.info('workshop.joined', { workshop: w.id })
  await publishJoined(ctx.rooms, store, w.id)
  const reply: JoinResponse = {
    workshopId: w.id,
    participantId,
    token,
    tableId: body.tableId,
    name: body.name,
  }
  sendJson(res, 201, reply)
}

export async function whoami(
  ctx: RouteContext,
  id: string,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const w = await workshopById(ctx.config.store, id)
  const who = await caller(ctx.config.store, w, req)
  const reply: WhoAmIResponse = {
    workshopId: w.id,
    joinCode: w.joinCode,
    role: who.role,
    participantId: who.participantId,
    name: who.name,
    tableId: who.tableId,
    coFacilitator: who.coFacilitatorId !== undefined,
  }
  sendJson(res, 200, reply)
}

export async function workshopInfo(
  ctx: RouteContext,
  id: string,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const w = await workshopById(ctx.config.store, id)
  await caller(ctx.config.store, w, req)
  sendJson(res, 200, await info(ctx, w))
}

/**
 * The facilitator changes title, question, language, anonymity or the board policy (who may change
 * cards, statement and principles open). The row is written first: it owns what governs privacy
 * and permissions, and presence, report, export and the write guard read it (live presence is
 * stamped again at once when anonymity changes). The board's meta then gets
 * the same values as a server write, so every peer's screen follows (nobody writes meta through
 * Yjs; the write guard refuses it).
 */
export async function updateSettings(
  ctx: RouteContext,
  id: string,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const { store } = ctx.config
  const w = await workshopById(store, id)
  await requireFacilitator(store, w, req)
  const body = await parseBody(req, WorkshopSettingsRequest)
  // one settings change at a time per workshop, and none while a round route runs: a retally
  // reads the row this writes
  await ctx.rooms.serial.run(w.id, () => changeSettings(ctx, w, body, res))
}

async function changeSettings(
  ctx: RouteContext,
  w: WorkshopRow,
  body: z.output<typeof WorkshopSettingsRequest>,
  res: ServerResponse,
) {
  // as it is now: a change queued before this one may have landed since the caller read it
  const before = (await ctx.config.store.workshop(w.id)) ?? w
  const row = await ctx.config.store.updateWorkshopSettings(w.id, {
    ...(body.title !== undefined && { title: body.title }),
    ...(body.language !== undefined && { language: body.language }),
    ...(body.anonymity !== undefined && { anonymity: body.anonymity }),
    ...(body.cardScope !== undefined && { cardScope: body.cardScope }),
    ...(body.sharedTextOpen !== undefined && { sharedTextOpen: body.sharedTextOpen }),
    ...(body.minTableVoters !== undefined && { minTableVoters: body.minTableVoters }),
  })
  if (!row)
    throw new HttpError(404, {
      error: ErrorCode.WorkshopNotFound,
      message: 'no workshop with this id',
    })
  // the write guard and presence read the row from here on every update
  ctx.rooms.rememberRow(row)
  const out: { settings?: WorkshopSettings } = {}
  await ctx.rooms.write(
    row.id,
    DocName.Board,
    (doc) => void (out.settings = mirrorSettings(doc, row, body.question)),
  )
  if (row.anonymity !== before.anonymity || row.minTableVoters !== before.minTableVoters)
    await retally(ctx, row)
  // names and tables in live presence follow at once, not with each client's next update
  if (row.anonymity !== before.anonymity) restampWorkshopPresence(ctx.rooms, row.id)
  ctx.config.log.info('workshop.settings', {
    workshop: row.id,
    fields: Object.keys(body).sort().join(','),
  })
  sendJson(res, 200, out.settings)
}
