/** Who is calling a route: `Authorization: Bearer <facilitator key | participant token>`. */
import type { IncomingMessage } from 'node:http'
import { ErrorCode, ID_PATTERN } from '../../shared/protocol.ts'
import { isRevokedBearer, resolveBearer, type Identity } from '../identity.ts'
import type { Store, WorkshopRow } from '../store/store.ts'
import { JoinCodeSchema } from '../../shared/api.ts'
import { HttpError } from './respond.ts'
import type { AbuseLimits } from './rate-limit.ts'

export function workshopById(store: Store, id: string): WorkshopRow {
  const w = ID_PATTERN.test(id) ? store.workshop(id) : null
  if (!w)
    throw new HttpError(404, {
      error: ErrorCode.WorkshopNotFound,
      message: 'no workshop with this id or code',
    })
  return w
}

/**
 * The workshop a join code names, under the join limit: every attempt is admitted (or refused,
 * 429) before the code is looked at, and a wrong code costs the caller more than a right one.
 */
export function workshopByJoinCode(
  store: Store,
  limits: AbuseLimits,
  req: IncomingMessage,
  code: string,
): WorkshopRow {
  const address = limits.admitJoin(req)
  const parsed = JoinCodeSchema.safeParse(code)
  const w = parsed.success ? store.workshopByCode(parsed.data) : null
  if (!w) {
    limits.joinFailed(address)
    throw new HttpError(404, {
      error: ErrorCode.WorkshopNotFound,
      message: 'no workshop with this code',
    })
  }
  return w
}

export function caller(store: Store, w: WorkshopRow, req: IncomingMessage): Identity {
  const who = resolveBearer(store, w, req.headers.authorization)
  if (who) return who
  // a link the facilitator revoked is known and refused, not unknown
  if (isRevokedBearer(store, w, req.headers.authorization))
    throw new HttpError(403, {
      error: ErrorCode.Forbidden,
      message: 'this co-facilitator link was revoked',
    })
  throw new HttpError(401, { error: ErrorCode.Unauthorized, message: 'unknown token or key' })
}

export function requireFacilitator(store: Store, w: WorkshopRow, req: IncomingMessage): Identity {
  const who = caller(store, w, req)
  if (who.role !== 'facilitator') {
    throw new HttpError(403, {
      error: ErrorCode.Forbidden,
      message: 'only the facilitator can do this',
    })
  }
  return who
}

/**
 * The workshop's own facilitator key, not a co-facilitator link: making and revoking links and
 * deleting the workshop stay with whoever holds the key (a revocable link cannot erase it all).
 */
export function requireOwner(store: Store, w: WorkshopRow, req: IncomingMessage): void {
  if (requireFacilitator(store, w, req).coFacilitatorId) {
    throw new HttpError(403, {
      error: ErrorCode.Forbidden,
      message: 'only the facilitator key can do this, not a co-facilitator link',
    })
  }
}
