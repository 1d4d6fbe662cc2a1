/**
 * Each person's undo over the board: cards (with their text), candidate tasks, principles and the
 * statement, in the order done. Only this tab's own writes are tracked: the board's actions (their
 * origin), the side panels' writes (no origin) and, once the editor is loaded, text typed in it.
 * The editor has no history of its own: it drives this one (sharedUndo.ts). Every stack item
 * carries what it does in its meta, so the undo control can say what it will undo.
 */
import * as Y from 'yjs'
import { boardRoot } from '../../shared/schema.ts'

export const UndoKind = {
  CardAdd: 'card.add',
  CardDelete: 'card.delete',
  CardMove: 'card.move',
  CardKind: 'card.kind',
  CardText: 'card.text',
  CardEdit: 'card.edit',
  TaskAdd: 'task.add',
  TaskDelete: 'task.delete',
  TaskMerge: 'task.merge',
  TaskEdit: 'task.edit',
  PrincipleAdd: 'principle.add',
  PrincipleDelete: 'principle.delete',
  PrincipleEdit: 'principle.edit',
  StatementEdit: 'statement.edit',
  Other: 'other',
} as const
export type UndoKind = (typeof UndoKind)[keyof typeof UndoKind]

/** When one step does several things, the first of these it does names it. */
const PRECEDENCE: readonly UndoKind[] = [
  UndoKind.CardDelete,
  UndoKind.TaskDelete,
  UndoKind.PrincipleDelete,
  UndoKind.CardAdd,
  UndoKind.TaskAdd,
  UndoKind.PrincipleAdd,
  UndoKind.TaskMerge,
  UndoKind.CardKind,
  UndoKind.CardMove,
  UndoKind.CardText,
  UndoKind.CardEdit,
  UndoKind.TaskEdit,
  UndoKind.PrincipleEdit,
  UndoKind.StatementEdit,
]

/** The stack item's meta key for its {@link UndoKind}. */
export const UNDO_KIND_META = 'stip:undo-kind'

// order: a slot move within its column changes nothing else
const CARD_PLACE_KEYS = new Set(['x', 'y', 'table', 'order'])
const TASK_MERGE_KEYS = new Set(['mergedInto', 'origin'])

type Subject = 'card' | 'task' | 'principle'

/** What an entry's changed fields mean. */
function entryKind(subject: Subject, keys: Set<string>): UndoKind {
  const has = (set: Set<string>) => [...keys].some((k) => set.has(k))
  switch (subject) {
    case 'card':
      return keys.has('kind')
        ? UndoKind.CardKind
        : has(CARD_PLACE_KEYS)
          ? UndoKind.CardMove
          : UndoKind.CardEdit
    case 'task':
      return has(TASK_MERGE_KEYS) ? UndoKind.TaskMerge : UndoKind.TaskEdit
    case 'principle':
      return UndoKind.PrincipleEdit
  }
}

const ROOT_ACTION = {
  card: { add: UndoKind.CardAdd, delete: UndoKind.CardDelete, update: UndoKind.CardEdit },
  task: { add: UndoKind.TaskAdd, delete: UndoKind.TaskDelete, update: UndoKind.TaskEdit },
  principle: {
    add: UndoKind.PrincipleAdd,
    delete: UndoKind.PrincipleDelete,
    update: UndoKind.PrincipleEdit,
  },
} as const

/**
 * What one transaction did to the board, from the events it raised under the undo scope
 * (`changedParentTypes` of a transaction or an undo-manager event: each type with the events in it).
 */
export function describeChange(
  doc: Y.Doc,
  changed: ReadonlyMap<unknown, readonly unknown[]>,
): UndoKind {
  const root = boardRoot(doc)
  const subjects: [Subject, unknown][] = [
    ['card', root.cards],
    ['task', root.tasks],
    ['principle', root.principles],
  ]
  const found = new Set<UndoKind>()
  for (const [subject, type] of subjects) {
    for (const ev of changed.get(type) ?? []) {
      if (!(ev instanceof Y.YEvent)) continue
      if (ev.target === type) {
        for (const change of ev.changes.keys.values())
          found.add(ROOT_ACTION[subject][change.action])
      } else if (ev.target.parent === type) {
        found.add(
          entryKind(
            subject,
            ev instanceof Y.YMapEvent ? (ev.keysChanged as Set<string>) : new Set(),
          ),
        )
      } else {
        // deeper than an entry's fields: only a card has content there (its rich text body)
        found.add(subject === 'card' ? UndoKind.CardText : entryKind(subject, new Set()))
      }
    }
  }
  if (changed.has(root.statement)) found.add(UndoKind.StatementEdit)
  return PRECEDENCE.find((k) => found.has(k)) ?? UndoKind.Other
}

export const undoKindOf = (item: { meta: Map<unknown, unknown> } | undefined): UndoKind | null => {
  const kind = item?.meta.get(UNDO_KIND_META)
  return typeof kind === 'string' && (Object.values(UndoKind) as string[]).includes(kind)
    ? (kind as UndoKind)
    : null
}

export interface BoardUndo {
  manager: Y.UndoManager
  dispose(): void
}

/**
 * Undoing an insertion never deletes a paragraph or text run that still holds text: someone else
 * may have typed into it since (y-tiptap's own undo keeps them the same way, defaultDeleteFilter).
 */
function keepOthersText(item: Y.Item): boolean {
  const content = item.content
  if (!(content instanceof Y.ContentType)) return true
  const type = content.type
  const text =
    type instanceof Y.XmlText || (type instanceof Y.XmlElement && type.nodeName === 'paragraph')
  return !text || type.length === 0
}

const tracks = (um: Y.UndoManager, origin: unknown): boolean =>
  um.trackedOrigins.has(origin) ||
  (origin !== null &&
    typeof origin === 'object' &&
    um.trackedOrigins.has((origin as { constructor: unknown }).constructor))

export function createBoardUndoManager(
  doc: Y.Doc,
  opts: { localOrigin: unknown; captureTimeoutMs: number },
): BoardUndo {
  const root = boardRoot(doc)
  const um = new Y.UndoManager([root.cards, root.tasks, root.principles, root.statement], {
    // null: the side panels' writes (tasks, principles), which name no origin
    trackedOrigins: new Set([opts.localOrigin, null]),
    captureTimeout: opts.captureTimeoutMs,
    // y-tiptap marks its own bookkeeping writes so; they are nobody's action
    captureTransaction: (tr) => tr.meta.get('addToHistory') !== false,
    deleteFilter: keepOthersText,
  })
  // Only a burst of one kind of write merges into one step (drag frames, arrow-key moves, typing):
  // a panel write is always a step of its own, and so is whatever comes after a different kind.
  let lastOrigin: unknown = undefined
  const beforeTransaction = (tr: Y.Transaction) => {
    if (!tr.local || um.undoing || um.redoing || !tracks(um, tr.origin)) return
    if (tr.origin === null || tr.origin !== lastOrigin) um.stopCapturing()
    lastOrigin = tr.origin
  }
  doc.on('beforeTransaction', beforeTransaction)
  um.on('stack-item-added', ({ stackItem, changedParentTypes }) => {
    // an undo moves its step to the redo stack (and a redo back): it keeps saying what it did
    const moved = um.undoing || um.redoing ? undoKindOf(um.currStackItem ?? undefined) : null
    stackItem.meta.set(UNDO_KIND_META, moved ?? describeChange(doc, changedParentTypes))
  })
  return {
    manager: um,
    dispose: () => {
      doc.off('beforeTransaction', beforeTransaction)
      um.destroy()
    },
  }
}
