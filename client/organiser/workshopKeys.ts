/**
 * The storage keys this device keeps per workshop beside its session (the list's title cache, the
 * deleted mark) and the check the board route makes before it connects. Apart from
 * ./myWorkshops.ts, so the board's path does not carry the list and its schema.
 */
export const metaKey = (workshopId: string) => `stip:meta:${workshopId}`
/** Set when this device saw the workshop deleted: its pages say so even after a reload. */
export const goneKey = (workshopId: string) => `stip:gone:${workshopId}`

export function isGone(workshopId: string): boolean {
  try {
    return localStorage.getItem(goneKey(workshopId)) !== null
  } catch {
    return false
  }
}
