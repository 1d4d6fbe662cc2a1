/** Who is calling a route: `Authorization: Bearer <facilitator key | participant token>`. */
import type { IncomingMessage } from 'node:http'
import { ErrorCode, ID_PATTERN } from '../../shared/protocol.ts'
import { resolveBearer, type Identity } from '../identity.ts'
import type { Store, WorkshopRow } from '../store/store.ts'
import { HttpError } from './respond.ts'

export function workshopById(store: Store, id: string): WorkshopRow {
  const w = ID_PATTERN.test(id) ? store.workshop(id) : null
  if (!w) throw new HttpError(404, { error: ErrorCode.WorkshopNotFound, message: 'no workshop with this id or code' })
  return w
}

export function caller(store: Store, w: WorkshopRow, req: IncomingMessage): Identity {
  const who = resolveBearer(store, w, req.headers.authorization)
  if (!who) throw new HttpError(401, { error: ErrorCode.Unauthorized, message: 'unknown token or key' })
  return who
}

export function requireFacilitator(store: Store, w: WorkshopRow, req: IncomingMessage): void {
  if (caller(store, w, req).role !== 'facilitator') {
    throw new HttpError(403, { error: ErrorCode.Forbidden, message: 'only the facilitator can do this' })
  }
}
