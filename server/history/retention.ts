/** Removing workshops: on request, and by the retention sweep when RETENTION_DAYS is set. */
import { CloseCode, ErrorCode } from '../../shared/protocol.ts'
import type { RoomRegistry } from '../relay/rooms.ts'
import type { Store } from '../store/store.ts'
import type { Clock, Logger } from '../deps.ts'

export const DAY_MS = 24 * 60 * 60_000
/** How often the sweep looks for expired workshops. */
export const RETENTION_SWEEP_EVERY_MS = 60 * 60_000

/** Closes the workshop's sockets (4410), drops its rooms unwritten, deletes every row. */
export function purgeWorkshop(
  rooms: RoomRegistry,
  store: Store,
  log: Logger,
  id: string,
  why: string,
): void {
  rooms.evict(id, CloseCode.WorkshopDeleted, ErrorCode.WorkshopNotFound)
  store.deleteWorkshop(id)
  log.info('workshop.deleted', { workshop: id, why })
}

export function sweepRetention(
  deps: { rooms: RoomRegistry; store: Store; clock: Clock; log: Logger },
  days: number,
): number {
  const expired = deps.store.workshopsCreatedBefore(deps.clock.now() - days * DAY_MS)
  for (const id of expired) purgeWorkshop(deps.rooms, deps.store, deps.log, id, 'retention')
  return expired.length
}
