/** Removing workshops: on request, and by the retention sweep when RETENTION_DAYS is set. */
import { CloseCode, ErrorCode } from '../../shared/protocol.ts'
import type { RoomRegistry } from '../relay/rooms.ts'
import type { AsyncStore } from '../store/async-store.ts'
import type { Clock, Logger } from '../deps.ts'

export const DAY_MS = 24 * 60 * 60_000
/** How often the sweep looks for expired workshops. */
export const RETENTION_SWEEP_EVERY_MS = 60 * 60_000

/**
 * Closes the workshop's sockets (4410), drops its rooms unwritten, deletes every row. The rows go
 * only once no commit of those rooms is still in flight, so none lands after the deletion.
 */
export async function purgeWorkshop(
  rooms: RoomRegistry,
  store: AsyncStore,
  log: Logger,
  id: string,
  why: string,
): Promise<void> {
  await rooms.evict(id, CloseCode.WorkshopDeleted, ErrorCode.WorkshopNotFound)
  try {
    await store.deleteWorkshop(id)
  } catch (err) {
    rooms.readmit(id)
    throw err
  }
  log.info('workshop.deleted', { workshop: id, why })
}

export async function sweepRetention(
  deps: {
    rooms: RoomRegistry
    store: AsyncStore
    clock: Clock
    log: Logger
    /** Several instances: whether this one owns the workshop now (taking it if nobody does). */
    owns?: (workshopId: string) => Promise<boolean>
  },
  days: number,
): Promise<number> {
  const expired = await deps.store.workshopsCreatedBefore(deps.clock.now() - days * DAY_MS)
  let purged = 0
  for (const id of expired) {
    if (deps.owns && !(await deps.owns(id))) continue
    await purgeWorkshop(deps.rooms, deps.store, deps.log, id, 'retention')
    purged++
  }
  return purged
}
