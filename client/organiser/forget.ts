/**
 * After a workshop is deleted, this device forgets it too: the stored session, facilitator key and
 * join code, and the offline copies of both docs (which would otherwise outlive the deletion).
 * The key names mirror client/app/session.ts and the cache names client/sync/connection.ts.
 */
import { DocName } from '../../shared/protocol.ts'

export function forgetWorkshop(workshopId: string): void {
  for (const key of [`stip:p:${workshopId}`, `stip:fac:${workshopId}`, `stip:code:${workshopId}`]) {
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
