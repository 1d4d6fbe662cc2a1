/**
 * An undo the server refused after all (issue #14 point 5): the check before undoing (undoCheck.ts)
 * reads this tab's copy of the board, which can be behind the server's (an undo made offline, a
 * policy changed a moment ago). The server then cuts the step and says FORBIDDEN, and this tab
 * holds what the board does not. The refusal notice is matched to the step here, so the
 * refused-edit toast can say which undo it was and offer the board as the server has it.
 *
 * The notice names the writer's last barrier the server had when the refused update came
 * (Notice.after): a tab sends a barrier right after each update, so the refused update is the one
 * before barrier `after + 1`, and a step is that update when its barrier is that one. With no
 * barrier yet on the socket (`after` 0) the refused update was the first: the reply to the
 * server's sync, which carries every edit the server has not acknowledged, or the first edit made
 * live. From an older server without `after`, the latest step not acknowledged is taken.
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

export interface PendingStep extends RefusedStep {
  /** The save barrier the board link sent right after the step's update. */
  barrier: number
}

/** Steps kept for matching: more than a person undoes within one round trip. */
const MAX_PENDING = 20

/** Which of `steps` (oldest first) the refused update was, or null when none of them. */
export function refusedStepOf(
  steps: readonly PendingStep[],
  after: number | undefined,
  acknowledged: number,
): PendingStep | null {
  if (after === undefined || after === 0) {
    const last = steps.at(-1)
    return last && last.barrier > acknowledged ? last : null
  }
  return steps.find((s) => s.barrier === after + 1) ?? null
}

export function useUndoRefusal(
  conn: WorkshopConnection,
  notices: ShownNotice[],
): {
  notices: BoardNotice[]
  /** Call after an undo or redo was written. */
  onStep(which: 'undo' | 'redo', label: string | null): void
} {
  const pending = useRef<PendingStep[]>([])
  const [refused, setRefused] = useState<RefusedStep | null>(null)
  const tracker = conn.boardLink.tracker
  const onStep = useCallback(
    (which: 'undo' | 'redo', label: string | null) => {
      // the step's own barrier: the board link counted its update as it was written. Steps the
      // server acknowledged were taken: they cannot be the refused one
      const kept = pending.current.filter((p) => p.barrier > tracker.acknowledged)
      kept.push({ which, label, barrier: tracker.latest })
      pending.current = kept.slice(-MAX_PENDING)
    },
    [tracker],
  )
  useEffect(() => {
    const onNotice = (n: Notice, doc: DocName) => {
      if (n.code !== ErrorCode.Forbidden || doc !== DocName.Board) return
      const step = refusedStepOf(pending.current, n.after, tracker.acknowledged)
      // one refused-edit toast at a time (a newer notice replaces it): it speaks of this refusal
      setRefused(step ? { which: step.which, label: step.label } : null)
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
