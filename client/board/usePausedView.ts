/**
 * "Pause live updates" (WCAG 2.2.2): the board the person sees holds still while others keep
 * editing. Nothing is lost or delayed on the wire: the doc stays live, only the view is frozen
 * (the model holds others' changes back from every reader, model.ts setPaused). The person's own
 * edits refresh the view (they must see what they did), and resuming shows everything that
 * arrived meanwhile.
 */
import { useCallback, useEffect, useState } from 'react'
import type * as Y from 'yjs'
import type { BoardModel } from '../model/model.ts'
import { changedAnything } from '../sync/localUpdates.ts'

export interface PausedView {
  paused: boolean
  /** Remote updates that arrived since the view was frozen (or last refreshed by an own edit). */
  waiting: number
  toggle(): void
}

export function usePausedView(
  model: BoardModel | null,
  doc: Y.Doc,
  remoteOrigin: unknown,
): PausedView {
  const [paused, setPaused] = useState(false)
  const [waiting, setWaiting] = useState(0)

  useEffect(() => {
    if (!model) return
    model.setPaused(paused)
    return () => model.setPaused(false)
  }, [model, paused])

  useEffect(() => {
    if (!paused) return
    // an own edit shows everything (model.ts): nothing is waiting any more
    // 'afterTransaction', not 'update': an 'update' listener makes Yjs encode every server update
    const onTransaction = (tr: Y.Transaction) => {
      if (changedAnything(tr)) setWaiting((n) => (tr.origin === remoteOrigin ? n + 1 : 0))
    }
    doc.on('afterTransaction', onTransaction)
    return () => doc.off('afterTransaction', onTransaction)
  }, [doc, remoteOrigin, paused])

  const toggle = useCallback(() => {
    setPaused((p) => !p)
    setWaiting(0)
  }, [])

  return { paused, waiting, toggle }
}
