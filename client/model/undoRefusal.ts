/**
 * An undo the server refused after all (issue #14 point 5): the check before undoing (undoCheck.ts)
 * reads this tab's copy of the board, which can be behind the server's (an undo made offline, a
 * policy changed a moment ago). The server then cuts the step and says FORBIDDEN, and this tab
 * holds what the board does not. The refusal notice is matched to the step here, so the
 * refused-edit toast can say which undo it was and offer the board as the server has it.
 *
 * A step is matched while its save barrier is not acknowledged: the server acks nothing it
 * refused, and acks everything before it.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { DocName, ErrorCode, type Notice } from '../../shared/protocol.ts'
import type { WorkshopConnection } from '../sync/connection.ts'
import type { ShownNotice } from '../sync/useWorkshop.ts'

/** A notice, and for a refused undo or redo which step it was (in words). */
export type BoardNotice = ShownNotice & { refusedStep?: RefusedStep }

export interface RefusedStep {
  which: 'undo' | 'redo'
  /** What the step did ("kaart verplaatsen"), or null when it has no name. */
  label: string | null
}

interface Pending extends RefusedStep {
  barrier: number
}

export function useUndoRefusal(
  conn: WorkshopConnection,
  notices: ShownNotice[],
): {
  notices: BoardNotice[]
  /** Call after an undo or redo was written. */
  onStep(which: 'undo' | 'redo', label: string | null): void
} {
  const pending = useRef<Pending | null>(null)
  const [refused, setRefused] = useState<RefusedStep | null>(null)
  const tracker = conn.boardLink.tracker
  const onStep = useCallback(
    (which: 'undo' | 'redo', label: string | null) => {
      // the step's own barrier: the board link counted its update as it was written
      pending.current = { which, label, barrier: tracker.latest }
    },
    [tracker],
  )
  useEffect(() => {
    const onNotice = (n: Notice, doc: DocName) => {
      if (n.code !== ErrorCode.Forbidden || doc !== DocName.Board) return
      const step = pending.current
      // one refused-edit toast at a time (a newer notice replaces it): it speaks of this refusal
      setRefused(step && step.barrier > tracker.acknowledged ? step : null)
    }
    conn.on('notice', onNotice)
    return () => conn.off('notice', onNotice)
  }, [conn, tracker])
  const shown = useMemo(
    () =>
      refused
        ? notices.map((n) => (n.code === ErrorCode.Forbidden ? { ...n, refusedStep: refused } : n))
        : notices,
    [notices, refused],
  )
  return { notices: shown, onStep }
}
