/**
 * Whether the board is locked right now: the control doc's one lock field, which the server also
 * sets when the timer runs out with lock-on-end. No clock is read here, so every screen shows the
 * lock the server enforces.
 */
import type { WorkshopConnection } from '../sync/connection.ts'
import { useControl } from '../model/useControl.ts'

export function useBoardLocked(conn: WorkshopConnection): boolean {
  return useControl(conn.control).lock.locked
}
