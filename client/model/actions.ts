/**
 * Local card writes. Every write is one transaction with LOCAL_ORIGIN so the per-user undo
 * manager tracks it (remote edits are never undone here).
 */
import type * as Y from 'yjs'
import {
  CARD_SIZE,
  type Card,
  type CardKind,
  type Table,
  addCard,
  deleteCard,
  placeCard,
  setCardKind,
} from '../../shared/schema.ts'
import {
  type Slot,
  columnOf,
  columnsOf,
  kindInColumn,
  orderForSlot,
  stepSlot,
} from '../../shared/layout.ts'
import { type BoardUndo, createBoardUndoManager } from './undoManager.ts'

export const LOCAL_ORIGIN = Symbol('stip:local')

/** Undo steps closer together than this merge into one (a burst of arrow-key moves). */
const UNDO_CAPTURE_MS = 400

const managers = new WeakMap<Y.Doc, Y.UndoManager>()
const shared = new WeakMap<Y.Doc, BoardUndo>()

/** The person's undo over the whole board (undoManager.ts): these actions, the panels', card text. */
export function createUndoManager(doc: Y.Doc): BoardUndo {
  const undo = createBoardUndoManager(doc, {
    localOrigin: LOCAL_ORIGIN,
    captureTimeoutMs: UNDO_CAPTURE_MS,
  })
  // the latest manager for a doc wins; a destroyed one only ignores calls
  managers.set(doc, undo.manager)
  return undo
}

/**
 * The tab's one undo for `doc`, made on first use and kept as long as the doc lives: the board
 * and the list view are screens over the same connection, so switching between them keeps the
 * history (each screen used to make its own, and the history started over).
 */
export function boardUndoFor(doc: Y.Doc): BoardUndo {
  const known = shared.get(doc)
  if (known) return known
  const undo = createUndoManager(doc)
  shared.set(doc, undo)
  doc.on('destroy', () => {
    shared.delete(doc)
    undo.dispose()
  })
  return undo
}

/** A write that may merge with neighbours into one undo step (drag frames, arrow-key bursts). */
function local(doc: Y.Doc, fn: () => void): void {
  doc.transact(fn, LOCAL_ORIGIN)
}

/** A write that is always its own undo step (add, delete, kind, move to table, drop). */
function discrete(doc: Y.Doc, fn: () => void): void {
  const um = managers.get(doc)
  um?.stopCapturing()
  doc.transact(fn, LOCAL_ORIGIN)
  um?.stopCapturing()
}

export function newCardId(): string {
  return crypto.randomUUID()
}

export function addLocalCard(
  doc: Y.Doc,
  opts: { kind: CardKind; table: Table; author: string; cards: Card[] },
): string {
  const id = newCardId()
  const column = columnsOf(opts.table.id, opts.cards)[columnOf(opts.kind)]
  discrete(doc, () =>
    addCard(doc, {
      id,
      kind: opts.kind,
      table: opts.table.id,
      // not read while the card is at a table; where it stays if it is ever taken off
      x: opts.table.x + CARD_SIZE.w / 10,
      y: opts.table.y + CARD_SIZE.h,
      w: CARD_SIZE.w,
      h: CARD_SIZE.h,
      order: orderForSlot(column, column.length),
      author: opts.author,
      created: Date.now(),
    }),
  )
  return id
}

/** A drag begins: its drop becomes one undo step of its own. */
export function beginGesture(doc: Y.Doc): void {
  managers.get(doc)?.stopCapturing()
}

export interface KeyboardMove {
  um: Y.UndoManager | undefined
  /** The undo stack's depth before the move's first step. */
  depth: number
}

/** Arrow-key steps begin on a card: they are the undo steps from here (cancelKeyboardMove). */
export function beginKeyboardMove(doc: Y.Doc): KeyboardMove {
  const um = managers.get(doc)
  um?.stopCapturing()
  return { um, depth: um?.undoStack.length ?? 0 }
}

/**
 * Takes a keyboard move back (Escape): its steps are undone, and dropped from redo as well, so the
 * history is as before the move. The card holds focus meanwhile, so the steps above the depth
 * are the move's own. False when there was nothing to take back.
 */
export function cancelKeyboardMove(move: KeyboardMove): boolean {
  const um = move.um
  if (!um) return false
  if (um.undoStack.length <= move.depth) return false
  const redoDepth = um.redoStack.length
  while (um.undoStack.length > move.depth && um.undo()) {
    // each undo moves one of the move's steps to the redo stack
  }
  um.redoStack.splice(redoDepth)
  // the stacks changed without an event of their own: the undo controls re-read them on this one
  um.emit('stack-cleared', [{ undoStackCleared: false, redoStackCleared: true }])
  return true
}

/** The write that puts `card` in `slot` (its kind follows the column). */
function writeSlot(doc: Y.Doc, card: Card, slot: Slot, cards: readonly Card[]): void {
  const column = columnsOf(
    slot.table,
    cards.filter((c) => c.id !== card.id),
  )[slot.column]
  placeCard(doc, card.id, {
    table: slot.table,
    order: orderForSlot(column, slot.index),
    kind: kindInColumn(card.kind, slot.column),
  })
}

/**
 * The end of a drag: into a slot of a table, or (no slot: dropped off every zone) loose at x/y.
 * Returns the card's new table when it changed, else undefined.
 */
export function dropCard(
  doc: Y.Doc,
  card: Card,
  to: { slot: Slot } | { x: number; y: number },
  cards: readonly Card[],
): string | null | undefined {
  if ('slot' in to) discrete(doc, () => writeSlot(doc, card, to.slot, cards))
  else
    discrete(doc, () =>
      placeCard(doc, card.id, { table: null, x: Math.round(to.x), y: Math.round(to.y) }),
    )
  const table = 'slot' in to ? to.slot.table : null
  return table === card.table ? undefined : table
}

/**
 * An arrow key on a card at a table: one slot up or down its column, or to the neighbouring
 * column (the next table's after the right one). Returns the slot, or null at the end of the way.
 * A quick burst of steps undoes as one.
 */
export function stepCard(
  doc: Y.Doc,
  card: Card,
  dir: 'up' | 'down' | 'left' | 'right',
  tables: readonly Table[],
  cards: readonly Card[],
): Slot | null {
  const slot = stepSlot(tables, cards, card, dir)
  if (slot) local(doc, () => writeSlot(doc, card, slot, cards))
  return slot
}

/** An arrow-key step of a loose card; into `slot` when it reached a zone. */
export function nudgeLooseCard(
  doc: Y.Doc,
  card: Card,
  x: number,
  y: number,
  slot: Slot | null,
  cards: readonly Card[],
): void {
  if (slot) local(doc, () => writeSlot(doc, card, slot, cards))
  else
    local(doc, () => placeCard(doc, card.id, { table: null, x: Math.round(x), y: Math.round(y) }))
}

/** The "move to table" menu: the end of the card's column at that table. */
export function moveCardToTable(
  doc: Y.Doc,
  card: Card,
  table: Table,
  cards: readonly Card[],
): void {
  const column = columnOf(card.kind)
  const index = columnsOf(
    table.id,
    cards.filter((c) => c.id !== card.id),
  )[column].length
  discrete(doc, () => writeSlot(doc, card, { table: table.id, column, index }, cards))
}

export function setLocalCardKind(doc: Y.Doc, id: string, kind: CardKind): void {
  discrete(doc, () => setCardKind(doc, id, kind))
}

export function deleteLocalCard(doc: Y.Doc, id: string): void {
  discrete(doc, () => deleteCard(doc, id))
}
