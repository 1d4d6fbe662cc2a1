/**
 * The organiser's credential is the facilitator key. It arrives once in `#key=` and then lives on
 * this device (localStorage), like on the facilitator board, so it never has to sit in a link.
 */
import { hashParams } from '../lib/router.ts'
import { loadFacilitatorKey, saveFacilitatorKey } from '../lib/session.ts'

export function takeOrganiserKey(workshopId: string, hash: string): string | null {
  const fromHash = hashParams(hash).get('key')
  if (fromHash) {
    saveFacilitatorKey(workshopId, fromHash)
    return fromHash
  }
  return loadFacilitatorKey(workshopId)
}

/** Keep the secret out of the address bar (screenshots, projector, browser history). */
export function clearHashFromAddressBar(): void {
  if (location.hash) history.replaceState(null, '', location.pathname + location.search)
}
