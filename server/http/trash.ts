/**
 * Recently deleted cards: the server keeps a copy of every card it deletes in the board's trash
 * (relay/room.ts); a facilitator puts one back here. The restore is a server write, so it is in
 * the log like any edit and every peer sees the card return with its author and text.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { RestoreCardResponse } from '../../shared/api.ts'
import { DocName, ErrorCode } from '../../shared/protocol.ts'
import { restoreTrashed } from '../../shared/schema.ts'
import { requireFacilitator, workshopById } from './auth.ts'
import { HttpError, sendJson } from './respond.ts'
import type { RouteContext } from './context.ts'

export async function restoreCard(
  ctx: RouteContext,
  id: string,
  cardId: string,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const { store } = ctx.config
  const w = await workshopById(store, id)
  await requireFacilitator(store, w, req)
  const out = { restored: false }
  await ctx.rooms.write(
    w.id,
    DocName.Board,
    (doc) => void (out.restored = restoreTrashed(doc, cardId)),
  )
  if (!out.restored)
    throw new HttpError(404, { error: ErrorCode.NotFound, message: 'no such card in the trash' })
  ctx.config.log.info('workshop.card_restored', { workshop: w.id })
  const reply: RestoreCardResponse = { restored: cardId }
  sendJson(res, 200, reply)
}
