/**
 * Whether the board is locked right now. A lock can start on its own (timer runs out with
 * lock-on-end), so while that can happen the clock is checked; the state changes only on a flip.
 */
import { useEffect, useState } from 'react'
import { boardLocked } from '../../shared/control.ts'
import type { WorkshopConnection } from '../sync/connection.ts'
import { serverNow, trackServerClock } from './serverClock.ts'
import { useControl } from './useControl.ts'

const LOCK_CHECK_MS = 250

export function useBoardLocked(conn: WorkshopConnection): boolean {
  trackServerClock(conn)
  const control = useControl(conn.control)
  const [locked, setLocked] = useState(() => boardLocked(conn.control, serverNow(conn)))
  const waitingForEnd = control.lockOnTimerEnd && control.timer.status === 'running'
  useEffect(() => {
    const check = () => setLocked(boardLocked(conn.control, serverNow(conn)))
    check()
    if (!waitingForEnd) return
    const id = setInterval(check, LOCK_CHECK_MS)
    return () => clearInterval(id)
  }, [conn, control, waitingForEnd])
  return locked
}
