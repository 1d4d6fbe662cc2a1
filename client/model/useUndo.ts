/**
 * The person's undo for React: undo()/redo() (true when something was undone, and then announced
 * with what it was), whether each can run, and what each would do, as a kind and as words
 * ("kaart verwijderen") for the controls and the announcement, and why a step cannot run when
 * the server would refuse it. Board, list view and the card editor share this one API; the
 * screen provides it to the editor through UndoContext.
 */
import { createContext, useEffect, useMemo, useRef, useState } from 'react'
import type * as Y from 'yjs'
import type { CardWriter } from '../../shared/permissions.ts'
import { type Translate, useI18n } from '../i18n/index.ts'
import { boardUndoFor } from './actions.ts'
import { useBoardPolicy } from './boardPolicy.ts'
import { type UndoBlock, undoBlock } from './undoCheck.ts'
import { type UndoKind, undoKindOf } from './undoManager.ts'

export interface UndoApi {
  /** There is a step to undo and the server would take it now. */
  canUndo: boolean
  canRedo: boolean
  /** What undo() would undo, or null when there is nothing. */
  undoKind: UndoKind | null
  redoKind: UndoKind | null
  /** The same in words for the UI language ("kaart verwijderen"), or null. */
  undoLabel: string | null
  redoLabel: string | null
  /**
   * Why the next step cannot be undone (or redone) now, in words, or null: the server would
   * refuse it (undoCheck.ts). The controls stay greyed with this reason.
   */
  undoBlocked: string | null
  redoBlocked: string | null
  undo(): boolean
  redo(): boolean
  /**
   * Drops the next step the server would refuse, writing nothing, so the steps below it can be
   * undone (or redone); says what was dropped. False when that step is not blocked.
   */
  skip(which: 'undo' | 'redo'): boolean
  /** The next write starts a step of its own. */
  stopCapturing(): void
  /** The manager itself (for an editor to drive it, sharedUndo.ts); null until it exists. */
  manager: Y.UndoManager | null
}

/** The screen's undo, for the card and statement editors it hosts. */
export const UndoContext = createContext<UndoApi | null>(null)

/**
 * An undo or redo control's name: what it would do ("Ongedaan maken: kaart verplaatsen"), also
 * while the server would refuse it (the reason comes with it as the description).
 */
export function undoButtonName(t: Translate, undo: UndoApi, which: 'undo' | 'redo'): string {
  const what = undoStepName(undo, which)
  if (which === 'undo') return what ? t('toolbar.undoWhat', { what }) : t('toolbar.undo')
  return what ? t('toolbar.redoWhat', { what }) : t('toolbar.redo')
}

/** The step an undo or redo control names, or null when it has none to take. */
export function undoStepName(undo: UndoApi, which: 'undo' | 'redo'): string | null {
  const what = which === 'undo' ? undo.undoLabel : undo.redoLabel
  const live =
    which === 'undo' ? undo.canUndo || !!undo.undoBlocked : undo.canRedo || !!undo.redoBlocked
  return live && what ? what : null
}

interface StackState {
  undoKind: UndoKind | null
  redoKind: UndoKind | null
  hasUndo: boolean
  hasRedo: boolean
  undoBlock: UndoBlock | null
  redoBlock: UndoBlock | null
}

const EMPTY: StackState = {
  undoKind: null,
  redoKind: null,
  hasUndo: false,
  hasRedo: false,
  undoBlock: null,
  redoBlock: null,
}

const sameState = (a: StackState, b: StackState) =>
  (Object.keys(a) as (keyof StackState)[]).every((k) => a[k] === b[k])

export interface UndoOptions {
  /** Says what was undone or redone (the screen's live region). */
  announce?: (message: string) => void
  /** Who writes, for the check of what the server would refuse; null: no check (facilitators). */
  who?: CardWriter | null
  /** After a step was undone or redone and written (the refusal notice is matched to it). */
  onStep?: (which: 'undo' | 'redo', label: string | null) => void
}

export function useUndo(doc: Y.Doc, opts: UndoOptions = {}): UndoApi {
  const { t } = useI18n()
  const optsRef = useRef(opts)
  optsRef.current = opts
  const who = opts.who ?? null
  const policy = useBoardPolicy(doc)
  const [manager, setManager] = useState<Y.UndoManager | null>(null)
  const [state, setState] = useState<StackState>(EMPTY)
  // the stack's state is read again after a skip, which Y.UndoManager has no event for
  const refresh = useRef<() => void>(() => {})
  useEffect(() => {
    // the tab's one history for this doc: it outlives the screen (board, list view)
    const undo = boardUndoFor(doc)
    const um = undo.manager
    const check = (step: (typeof um.undoStack)[number] | undefined) =>
      who ? undoBlock(doc, step, who, policy) : null
    const update = () => {
      const next: StackState = {
        hasUndo: um.canUndo(),
        hasRedo: um.canRedo(),
        undoKind: undoKindOf(um.undoStack.at(-1)),
        redoKind: undoKindOf(um.redoStack.at(-1)),
        undoBlock: check(um.undoStack.at(-1)),
        redoBlock: check(um.redoStack.at(-1)),
      }
      setState((cur) => (sameState(cur, next) ? cur : next))
    }
    // others' writes move cards out of reach (or back): the check follows the board
    const afterTransaction = (tr: Y.Transaction) => {
      if (!tr.local && (um.undoStack.length || um.redoStack.length)) update()
    }
    um.on('stack-item-added', update)
    um.on('stack-item-updated', update)
    um.on('stack-item-popped', update)
    um.on('stack-cleared', update)
    doc.on('afterTransaction', afterTransaction)
    // card text is tracked by the editor itself (CardEditor), so the editor's chunk stays out of
    // the board's mount
    setManager(um)
    refresh.current = update
    update()
    return () => {
      refresh.current = () => {}
      um.off('stack-item-added', update)
      um.off('stack-item-updated', update)
      um.off('stack-item-popped', update)
      um.off('stack-cleared', update)
      doc.off('afterTransaction', afterTransaction)
      setManager(null)
    }
  }, [doc, who, policy])
  return useMemo(() => {
    const undoLabel = state.undoKind && t(`undo.kind.${state.undoKind}`)
    const redoLabel = state.redoKind && t(`undo.kind.${state.redoKind}`)
    const undoBlocked = state.undoBlock && t(`undo.blocked.${state.undoBlock}`)
    const redoBlocked = state.redoBlock && t(`undo.blocked.${state.redoBlock}`)
    const run = (which: 'undo' | 'redo') => {
      const label = which === 'undo' ? undoLabel : redoLabel
      const blocked = which === 'undo' ? undoBlocked : redoBlocked
      const say = (m: string) => optsRef.current.announce?.(m)
      // the server would refuse it: nothing is written, the reason is said instead
      if (blocked) {
        say(blocked)
        return false
      }
      const done = (which === 'undo' ? manager?.undo() : manager?.redo()) != null
      if (!done) return false
      optsRef.current.onStep?.(which, label)
      if (which === 'undo')
        say(label ? t('announce.undoneWhat', { what: label }) : t('announce.undone'))
      else say(label ? t('announce.redoneWhat', { what: label }) : t('announce.redone'))
      return true
    }
    return {
      canUndo: state.hasUndo && !undoBlocked,
      canRedo: state.hasRedo && !redoBlocked,
      undoKind: state.undoKind,
      redoKind: state.redoKind,
      undoLabel,
      redoLabel,
      undoBlocked,
      redoBlocked,
      undo: () => run('undo'),
      redo: () => run('redo'),
      skip: (which) => {
        const blocked = which === 'undo' ? undoBlocked : redoBlocked
        const label = which === 'undo' ? undoLabel : redoLabel
        const stack = which === 'undo' ? manager?.undoStack : manager?.redoStack
        if (!blocked || !stack?.length) return false
        stack.pop()
        refresh.current()
        optsRef.current.announce?.(
          label ? t('announce.skippedWhat', { what: label }) : t('announce.skipped'),
        )
        return true
      },
      stopCapturing: () => manager?.stopCapturing(),
      manager,
    }
  }, [manager, state, t])
}
