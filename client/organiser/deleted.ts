/**
 * A deleted workshop (issue #11 point 6): the server closes every socket with 4410 and answers a
 * later hello with 4404; both mean the workshop is not there. The screen then replaces the board
 * and this device wipes what it kept (the offline copies first, while their databases are open).
 */
import { useCallback, useEffect, useSyncExternalStore } from 'react'
import { ErrorCode } from '../../shared/protocol.ts'
import type { WorkshopConnection } from '../sync/connection.ts'
import { forgetDeletedWorkshop } from './forget.ts'

export function useWorkshopDeleted(workshopId: string, conn: WorkshopConnection | null): boolean {
  const subscribe = useCallback(
    (fn: () => void) => {
      conn?.on('change', fn)
      return () => conn?.off('change', fn)
    },
    [conn],
  )
  const deleted = useSyncExternalStore(subscribe, () => {
    const s = conn?.status
    return s?.kind === 'refused' && s.code === ErrorCode.WorkshopNotFound
  })
  useEffect(() => {
    if (!deleted || !conn) return
    void Promise.allSettled([conn.boardLink.discardLocal(), conn.controlLink.discardLocal()]).then(
      () => forgetDeletedWorkshop(workshopId),
    )
  }, [deleted, conn, workshopId])
  return deleted
}
