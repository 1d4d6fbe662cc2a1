/**
 * Co-facilitator links (issue #11 point 2): the facilitator makes a second secret for a colleague
 * and can revoke it. Each link is its own hash row; revoking closes the link's sockets at once
 * (4401) and its REST calls are refused with 403 from then on.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  type CoFacilitatorInfo,
  type CoFacilitatorList,
  CoFacilitatorRequest,
  type CreateCoFacilitatorResponse,
  MAX_CO_FACILITATOR_LINKS,
  ROUTES,
} from '../../shared/api.ts'
import { CloseCode, ErrorCode } from '../../shared/protocol.ts'
import { hashSecret, newId, newSecret } from '../identity.ts'
import type { CoFacilitatorRow } from '../store/store.ts'
import { requireOwner, workshopById } from './auth.ts'
import { joinBase } from './qr.ts'
import { HttpError, parseBody, sendJson } from './respond.ts'
import type { RouteContext } from './context.ts'

const toInfo = (r: CoFacilitatorRow): CoFacilitatorInfo => ({
  id: r.id,
  label: r.label,
  createdAt: r.createdAt,
  revokedAt: r.revokedAt,
})

export async function createCoFacilitator(
  ctx: RouteContext,
  id: string,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const { store, random, clock } = ctx.config
  const w = await workshopById(store, id)
  await requireOwner(store, w, req)
  const body = await parseBody(req, CoFacilitatorRequest)
  const live = (await store.coFacilitators(w.id)).filter((r) => r.revokedAt === null).length
  if (live >= MAX_CO_FACILITATOR_LINKS) {
    throw new HttpError(409, {
      error: ErrorCode.TooLarge,
      message: `at most ${MAX_CO_FACILITATOR_LINKS} co-facilitator links: revoke one first`,
    })
  }
  const key = newSecret(random)
  const row: CoFacilitatorRow = {
    id: newId(random),
    workshopId: w.id,
    keyHash: hashSecret(key),
    label: body.label,
    createdAt: clock.now(),
    revokedAt: null,
  }
  await store.addCoFacilitator(row)
  ctx.config.log.info('workshop.co_facilitator_created', { workshop: w.id })
  // for another device: the address participants reach, and the code so its header is complete
  const link = `${joinBase(ctx.config, req).base}${ROUTES.facilitate(w.id, key)}&code=${w.joinCode}`
  const reply: CreateCoFacilitatorResponse = { ...toInfo(row), key, link }
  sendJson(res, 201, reply)
}

export async function listCoFacilitators(
  ctx: RouteContext,
  id: string,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const { store } = ctx.config
  const w = await workshopById(store, id)
  await requireOwner(store, w, req)
  const reply: CoFacilitatorList = { links: (await store.coFacilitators(w.id)).map(toInfo) }
  sendJson(res, 200, reply)
}

export async function revokeCoFacilitator(
  ctx: RouteContext,
  id: string,
  linkId: string,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const { store, clock } = ctx.config
  const w = await workshopById(store, id)
  await requireOwner(store, w, req)
  if (!(await store.revokeCoFacilitator(w.id, linkId, clock.now()))) {
    throw new HttpError(404, { error: ErrorCode.NotFound, message: 'no such live link' })
  }
  // after the row: a socket that reconnects at once is refused by its hello
  const closed = ctx.linkSockets.closeAll(
    w.id,
    linkId,
    CloseCode.Unauthorized,
    ErrorCode.Unauthorized,
  )
  ctx.config.log.info('workshop.co_facilitator_revoked', { workshop: w.id, sockets: closed })
  sendJson(res, 200, { revoked: linkId })
}
