/** The per-user undo manager over the cards map, with its button state. */
import { useEffect, useMemo, useState } from 'react'
import type * as Y from 'yjs'
import { createUndoManager } from './actions.ts'

export function useUndo(doc: Y.Doc) {
  const [manager, setManager] = useState<Y.UndoManager | null>(null)
  const [state, setState] = useState({ canUndo: false, canRedo: false })
  useEffect(() => {
    const um = createUndoManager(doc)
    const update = () => setState({ canUndo: um.canUndo(), canRedo: um.canRedo() })
    um.on('stack-item-added', update)
    um.on('stack-item-popped', update)
    um.on('stack-cleared', update)
    setManager(um)
    update()
    return () => {
      um.destroy()
      setManager(null)
    }
  }, [doc])
  return useMemo(
    () => ({
      ...state,
      undo: () => manager?.undo() != null,
      redo: () => manager?.redo() != null,
      stopCapturing: () => manager?.stopCapturing(),
    }),
    [manager, state],
  )
}
