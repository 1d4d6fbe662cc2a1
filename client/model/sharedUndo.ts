/**
 * The board's undo manager as a Tiptap editor's history (Collaboration's `yUndoOptions.undoManager`),
 * so text typed in the editor and the board's actions are one history per person. y-tiptap treats
 * the manager it is given as its own: it listens on it and destroys it with the editor view. This
 * stand-in gives it the board's stacks and steps, routes undo and redo through the board's undo (so
 * they are announced and named like the toolbar's), and on destroy only drops its own listeners.
 * One stand-in serves one editor at a time (an editor made anew destroys the old view first).
 */
import type * as Y from 'yjs'

type Listener = (...args: never[]) => void
type Event = 'stack-item-added' | 'stack-item-popped' | 'stack-item-updated' | 'stack-cleared'

export interface UndoRunner {
  undo(): boolean
  redo(): boolean
}

export interface SharedUndo {
  readonly doc: Y.Doc
  readonly undoStack: Y.UndoManager['undoStack']
  readonly redoStack: Y.UndoManager['redoStack']
  readonly trackedOrigins: Set<unknown>
  undo(): void
  redo(): void
  stopCapturing(): void
  on(name: Event, fn: Listener): void
  off(name: Event, fn: Listener): void
  destroy(): void
  restore: unknown
}

export function sharedUndo(um: Y.UndoManager, run: () => UndoRunner): SharedUndo {
  const mine: [Event, Listener][] = []
  const listen = um.on.bind(um) as (name: Event, fn: Listener) => void
  const unlisten = um.off.bind(um) as (name: Event, fn: Listener) => void
  return {
    doc: um.doc,
    get undoStack() {
      return um.undoStack
    },
    get redoStack() {
      return um.redoStack
    },
    get trackedOrigins() {
      return um.trackedOrigins
    },
    undo: () => void run().undo(),
    redo: () => void run().redo(),
    stopCapturing: () => um.stopCapturing(),
    on(name, fn) {
      mine.push([name, fn])
      listen(name, fn)
    },
    off(name, fn) {
      const i = mine.findIndex(([n, f]) => n === name && f === fn)
      if (i >= 0) mine.splice(i, 1)
      unlisten(name, fn)
    },
    destroy() {
      for (const [name, fn] of mine.splice(0)) unlisten(name, fn)
    },
    // Collaboration keeps a `restore` that re-attaches a destroyed manager's doc listener when the
    // view comes back; this one was never detached (a new view listens again through on())
    get restore() {
      return undefined
    },
    set restore(_ignored: unknown) {},
  }
}
