/** Who is calling a route: `Authorization: Bearer <facilitator key | participant token>`. */
import type { IncomingMessage } from 'node:http'
import { ErrorCode, ID_PATTERN } from '../../shared/protocol.ts'
import { isRevokedBearer, resolveBearer, type Identity } from '../identity.ts'
import type { WorkshopRow } from '../store/store.ts'
import type { AsyncStore } from '../store/async-store.ts'
import { JoinCodeSchema } from '../../shared/api.ts'
import { HttpError } from './respond.ts'
import type { AbuseLimits } from './rate-limit.ts'

export async function workshopById(store: AsyncStore, id: string): Promise<WorkshopRow> {
  const w = ID_PATTERN.test(id) ? await store.workshop(id) : null
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
export async function workshopByJoinCode(
  store: AsyncStore,
  limits: AbuseLimits,
  req: IncomingMessage,
  code: string,
): Promise<WorkshopRow> {
  const address = limits.admitJoin(req)
  const parsed = JoinCodeSchema.safeParse(code)
  const w = parsed.success ? await store.workshopByCode(parsed.data) : null
  if (!w) {
    limits.joinFailed(address)
    throw new HttpError(404, {
      error: ErrorCode.WorkshopNotFound,
      message: 'no workshop with this code',
    })
  }
  return w
}

export async function caller(
  store: AsyncStore,
  w: WorkshopRow,
  req: IncomingMessage,
): Promise<Identity> {
  const who = await resolveBearer(store, w, req.headers.authorization)
  if (who) return who
  // a link the facilitator revoked is known and refused, not unknown
  if (await isRevokedBearer(store, w, req.headers.authorization))
    throw new HttpError(403, {
      error: ErrorCode.Forbidden,
      message: 'this co-facilitator link was revoked',
    })
  throw new HttpError(401, { error: ErrorCode.Unauthorized, message: 'unknown token or key' })
}

export async function requireFacilitator(
  store: AsyncStore,
  w: WorkshopRow,
  req: IncomingMessage,
): Promise<Identity> {
  const who = await caller(store, w, req)
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
export async function requireOwner(
  store: AsyncStore,
  w: WorkshopRow,
  req: IncomingMessage,
): Promise<void> {
  if ((await requireFacilitator(store, w, req)).coFacilitatorId) {
    throw new HttpError(403, {
      error: ErrorCode.Forbidden,
      message: 'only the facilitator key can do this, not a co-facilitator link',
    })
  }
}
