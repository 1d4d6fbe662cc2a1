/**
 * The person's undo for React: undo()/redo() (true when something was undone, and then announced
 * with what it was), whether each can run, and what each would do, as a kind and as words
 * ("kaart verwijderen") for the controls and the announcement. Board, list view and the card
 * editor share this one API; the screen provides it to the editor through UndoContext.
 */
import { createContext, useEffect, useMemo, useRef, useState } from 'react'
import type * as Y from 'yjs'
import { type MessageKey, type Translate, useI18n } from '../i18n/index.ts'
import { createUndoManager } from './actions.ts'
import { type UndoKind, undoKindOf } from './undoManager.ts'

export interface UndoApi {
  canUndo: boolean
  canRedo: boolean
  /** What undo() would undo, or null when there is nothing. */
  undoKind: UndoKind | null
  redoKind: UndoKind | null
  /** The same in words for the UI language ("kaart verwijderen"), or null. */
  undoLabel: string | null
  redoLabel: string | null
  undo(): boolean
  redo(): boolean
  /** The next write starts a step of its own. */
  stopCapturing(): void
  /** The manager itself (for an editor to drive it, sharedUndo.ts); null until it exists. */
  manager: Y.UndoManager | null
}

/** The screen's undo, for the card and statement editors it hosts. */
export const UndoContext = createContext<UndoApi | null>(null)

/** An undo or redo control's name: what it would do ("Ongedaan maken: kaart verplaatsen"). */
export function undoButtonName(t: Translate, undo: UndoApi, which: 'undo' | 'redo'): string {
  const what = which === 'undo' ? undo.undoLabel : undo.redoLabel
  if (which === 'undo')
    return undo.canUndo && what ? t('toolbar.undoWhat', { what }) : t('toolbar.undo')
  return undo.canRedo && what ? t('toolbar.redoWhat', { what }) : t('toolbar.redo')
}

interface StackState {
  undoKind: UndoKind | null
  redoKind: UndoKind | null
  canUndo: boolean
  canRedo: boolean
}

const EMPTY: StackState = { undoKind: null, redoKind: null, canUndo: false, canRedo: false }

export function useUndo(doc: Y.Doc, announce?: (message: string) => void): UndoApi {
  const { t } = useI18n()
  const announceRef = useRef(announce)
  announceRef.current = announce
  const [manager, setManager] = useState<Y.UndoManager | null>(null)
  const [state, setState] = useState<StackState>(EMPTY)
  useEffect(() => {
    const undo = createUndoManager(doc)
    const um = undo.manager
    let live = true
    const update = () =>
      setState({
        canUndo: um.canUndo(),
        canRedo: um.canRedo(),
        undoKind: undoKindOf(um.undoStack.at(-1)),
        redoKind: undoKindOf(um.redoStack.at(-1)),
      })
    um.on('stack-item-added', update)
    um.on('stack-item-updated', update)
    um.on('stack-item-popped', update)
    um.on('stack-cleared', update)
    // Card text is written by the editor's sync plugin under its own origin. Loading its module
    // here costs nothing extra: the board preloads the editor chunk that holds it anyway.
    void import('@tiptap/y-tiptap')
      .then(({ ySyncPluginKey }) => live && undo.track(ySyncPluginKey))
      .catch(() => {})
    setManager(um)
    update()
    return () => {
      live = false
      undo.dispose()
      setManager(null)
    }
  }, [doc])
  return useMemo(() => {
    const undoLabel = state.undoKind && t(`undo.kind.${state.undoKind}`)
    const redoLabel = state.redoKind && t(`undo.kind.${state.redoKind}`)
    const say = (done: boolean, what: string | null, named: MessageKey, plain: MessageKey) => {
      if (done) announceRef.current?.(what ? t(named, { what }) : t(plain))
      return done
    }
    return {
      ...state,
      undoLabel,
      redoLabel,
      undo: () => say(manager?.undo() != null, undoLabel, 'announce.undoneWhat', 'announce.undone'),
      redo: () => say(manager?.redo() != null, redoLabel, 'announce.redoneWhat', 'announce.redone'),
      stopCapturing: () => manager?.stopCapturing(),
      manager,
    }
  }, [manager, state, t])
}
