/**
 * "Pause live updates" (WCAG 2.2.2): the board the person sees holds still while others keep
 * editing. Nothing is lost or delayed on the wire: the doc stays live, only the view is frozen.
 * The person's own edits refresh the view (they must see what they did), and resuming shows
 * everything that arrived meanwhile.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import type * as Y from 'yjs'
import type { BoardSnapshot } from '../model/model.ts'

export interface PausedView {
  /** What to render: the live board, or the board as it was when paused. */
  shown: BoardSnapshot
  paused: boolean
  /** Remote updates that arrived since the view was frozen (or last refreshed by an own edit). */
  waiting: number
  toggle(): void
}

export function usePausedView(live: BoardSnapshot, doc: Y.Doc, remoteOrigin: unknown): PausedView {
  const [frozen, setFrozen] = useState<BoardSnapshot | null>(null)
  const [waiting, setWaiting] = useState(0)
  const ownEdit = useRef(false)
  const paused = frozen !== null

  useEffect(() => {
    if (!paused) return
    const onUpdate = (_u: Uint8Array, origin: unknown) => {
      if (origin === remoteOrigin) setWaiting((n) => n + 1)
      else ownEdit.current = true
    }
    doc.on('update', onUpdate)
    return () => doc.off('update', onUpdate)
  }, [doc, remoteOrigin, paused])

  // the live snapshot changes after the doc's update event; take it then
  useEffect(() => {
    if (!ownEdit.current) return
    ownEdit.current = false
    setFrozen((f) => (f ? live : f))
    setWaiting(0)
  }, [live])

  const toggle = useCallback(() => {
    setFrozen((f) => (f ? null : live))
    setWaiting(0)
  }, [live])

  return { shown: frozen ?? live, paused, waiting, toggle }
}
