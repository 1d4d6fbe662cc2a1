/**
 * After a workshop is deleted, this device forgets it too: the stored session, facilitator key,
 * join code and list entry, and the offline copies of both docs (which would otherwise outlive
 * the deletion). The key names mirror client/lib/session.ts and the cache names
 * client/sync/connection.ts.
 */
import { DocName } from '../../shared/protocol.ts'
import { goneKey, metaKey } from './workshopKeys.ts'

export function forgetWorkshop(workshopId: string): void {
  for (const key of [
    `stip:p:${workshopId}`,
    `stip:fac:${workshopId}`,
    `stip:code:${workshopId}`,
    metaKey(workshopId),
  ]) {
    try {
      localStorage.removeItem(key)
    } catch {
      // storage disabled: nothing was kept
    }
  }
  for (const doc of Object.values(DocName)) {
    try {
      indexedDB.deleteDatabase(`stip:${workshopId}:${doc}`)
    } catch {
      // no IndexedDB (private mode): nothing was cached
    }
  }
}

/**
 * The server says the workshop is gone: forget it, and remember only that it was deleted, so a
 * reload shows the deleted page instead of an empty board or a join form.
 */
export function forgetDeletedWorkshop(workshopId: string): void {
  forgetWorkshop(workshopId)
  try {
    localStorage.setItem(goneKey(workshopId), '1')
  } catch {
    // storage disabled: the next load asks the server and learns it again
  }
}
