/**
 * Local card writes. Every write is one transaction with LOCAL_ORIGIN so the per-user undo
 * manager tracks it (remote edits are never undone here).
 */
import * as Y from 'yjs'
import {
  CARD_SIZE,
  type Card,
  type CardKind,
  type Table,
  addCard,
  cardMap,
  deleteCard,
  moveCard,
  nextSlot,
  readCard,
  setCardKind,
  tableAt,
} from '../../shared/schema.ts'
import { type BoardUndo, createBoardUndoManager } from './undoManager.ts'

export const LOCAL_ORIGIN = Symbol('stip:local')

/** Undo steps closer together than this merge into one (a burst of arrow-key moves). */
const UNDO_CAPTURE_MS = 400

const managers = new WeakMap<Y.Doc, Y.UndoManager>()

/** The person's undo over the whole board (undoManager.ts): these actions, the panels', card text. */
export function createUndoManager(doc: Y.Doc): BoardUndo {
  const undo = createBoardUndoManager(doc, { localOrigin: LOCAL_ORIGIN, captureTimeoutMs: UNDO_CAPTURE_MS })
  // the latest manager for a doc wins (StrictMode mounts twice); a destroyed one only ignores calls
  managers.set(doc, undo.manager)
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
  const atTable = opts.cards.filter((c) => c.table === opts.table.id).length
  const slot = nextSlot(opts.table, atTable)
  discrete(doc, () =>
    addCard(doc, {
      id,
      kind: opts.kind,
      table: opts.table.id,
      x: slot.x,
      y: slot.y,
      w: CARD_SIZE.w,
      h: CARD_SIZE.h,
      author: opts.author,
      created: Date.now(),
    }),
  )
  return id
}

/** A position write during a drag: no table change until the drop. */
export function dragCardTo(doc: Y.Doc, id: string, x: number, y: number): void {
  local(doc, () => moveCard(doc, id, { x: Math.round(x), y: Math.round(y) }))
}

/** A drag begins: its frames and drop become one undo step of their own. */
export function beginGesture(doc: Y.Doc): void {
  managers.get(doc)?.stopCapturing()
}

/** Returns the card's new table id, or undefined when it stayed at the same table. */
function placeCard(doc: Y.Doc, card: Card, x: number, y: number, tables: Table[]): string | null | undefined {
  const table = tableAt(tables, x + card.w / 2, y + card.h / 2)?.id ?? null
  const map = cardMap(doc, card.id)
  const before = map ? readCard(map)?.table : undefined
  // the table is written only when it changes, so peers do not hear a move that was a nudge
  const changed = before === undefined || before !== table
  local(doc, () => moveCard(doc, card.id, { x: Math.round(x), y: Math.round(y), ...(changed && { table }) }))
  return changed ? table : undefined
}

/** Final position of a drag; the card joins the table whose zone holds its centre. */
export function dropCard(doc: Y.Doc, card: Card, x: number, y: number, tables: Table[]): string | null | undefined {
  const moved = placeCard(doc, card, x, y, tables)
  managers.get(doc)?.stopCapturing()
  return moved
}

/** An arrow-key step; a quick burst of steps undoes as one. Returns the new table if it changed. */
export function nudgeCard(doc: Y.Doc, card: Card, dx: number, dy: number, tables: Table[]): string | null | undefined {
  return placeCard(doc, card, card.x + dx, card.y + dy, tables)
}

/** The "move to table" menu: place the card in the next free slot of that table. */
export function moveCardToTable(doc: Y.Doc, card: Card, table: Table, cards: Card[]): void {
  const others = cards.filter((c) => c.table === table.id && c.id !== card.id).length
  const slot = nextSlot(table, others)
  discrete(doc, () => moveCard(doc, card.id, { x: slot.x, y: slot.y, table: table.id }))
}

export function setLocalCardKind(doc: Y.Doc, id: string, kind: CardKind): void {
  discrete(doc, () => setCardKind(doc, id, kind))
}

export function deleteLocalCard(doc: Y.Doc, id: string): void {
  discrete(doc, () => deleteCard(doc, id))
}
