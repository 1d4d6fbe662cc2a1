/**
 * Tables are the layout: the cards of a table are arranged in its zone, never placed freely.
 * Pure (no DOM): the board, the projector and the replay draw the same arrangement from the same
 * doc, given each card's measured height.
 *
 * Why two columns per table, vision | what is needed. The meeting of the seeds (a diner pensant:
 * three tables, one perspective each) asks every table the same two-part question, "how do you
 * see the future in 5 years, and what is needed for it?", and its reports list the answers in
 * exactly those two groups ("Zo is het nodig dat we: ..."). Side by side columns with a header
 * read as that answer; a flowing grid would mix the two and make the reader sort them again.
 * A column's slot order is the reading order; dropping a card in the other column makes it that
 * kind (tasks and notes, which no table adds, sit in the right-hand column and keep their kind).
 *
 * Why zones grow down. Tables sit in a row (shared/template.ts), so a zone that only gets taller
 * never reaches its neighbours; a board whose zones were stacked by hand is still safe: a table
 * that would overlap an earlier (grown) zone is pushed below it.
 */
import { CARD_SIZE, type Card, CardKind, type Table } from './schema.ts'

export interface Box {
  x: number
  y: number
  w: number
  h: number
}

/** World px. The zone header (styles.css .zone-head: 84 px + 4 px border) sits above the columns. */
export const LAYOUT = {
  zoneHead: 96,
  /** The column header (kind name and count) above each column's cards. */
  columnHead: 36,
  /** Space around and between the columns and between cards. */
  pad: 16,
  /** Extra room under the last card, so an empty slot at the end can take a drop. */
  tail: 56,
  /** Between a grown zone and a table pushed below it. */
  tableGap: 80,
} as const

/** A card is never drawn smaller than this, nor (unless opened with "more") taller. */
export const CARD_MIN_H = 96
export const CARD_MAX_H = 320
/** Height assumed for a card not measured yet (first paint, or never in view). */
export const CARD_DEFAULT_H = CARD_SIZE.h

export type Column = 0 | 1
export const COLUMNS: readonly Column[] = [0, 1]
/** The kind a column gives a card dropped in it (the right column keeps a task or note as is). */
export const COLUMN_KIND: Record<Column, CardKind> = { 0: CardKind.Vision, 1: CardKind.Need }

export const columnOf = (kind: CardKind): Column => (kind === CardKind.Vision ? 0 : 1)

/** The kind of `card` once it sits in `column`. */
export function kindInColumn(kind: CardKind, column: Column): CardKind {
  return columnOf(kind) === column ? kind : COLUMN_KIND[column]
}

export type LayoutCard = Pick<Card, 'id' | 'kind' | 'table' | 'x' | 'y' | 'w' | 'h' | 'created'> & {
  order?: number | undefined
}

/**
 * A card's place in its column. Cards written before slot order existed have no `order`: they
 * keep the reading order of where they were put (top to bottom, then left to right), in the same
 * number space, so a card given an order between two of them lands between them and no older
 * doc needs rewriting.
 */
export function slotKey(card: LayoutCard): number {
  return card.order ?? card.y + card.x * 1e-6
}

export function compareSlots(a: LayoutCard, b: LayoutCard): number {
  return (
    slotKey(a) - slotKey(b) || a.created - b.created || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  )
}

/** Between consecutive new cards at the end of a column. */
export const ORDER_STEP = 1

/** An order that sorts after `before` and before `after` (either may be absent: an end). */
export function orderBetween(before: number | undefined, after: number | undefined): number {
  if (before === undefined && after === undefined) return 0
  if (before === undefined) return after! - ORDER_STEP
  if (after === undefined) return before + ORDER_STEP
  return (before + after) / 2
}

/** A table's cards, column by column, in slot order. */
export function columnsOf<C extends LayoutCard>(tableId: string, cards: readonly C[]): [C[], C[]] {
  const cols: [C[], C[]] = [[], []]
  for (const c of cards) if (c.table === tableId) cols[columnOf(c.kind)].push(c)
  cols[0].sort(compareSlots)
  cols[1].sort(compareSlots)
  return cols
}

/** Where a card goes: a column of a table, before the card now at `index` (or at the end). */
export interface Slot {
  table: string
  column: Column
  index: number
}

/** The order to write for `card` so it sits at `slot` (`column` lists that column without it). */
export function orderForSlot(column: readonly LayoutCard[], index: number): number {
  const i = Math.max(0, Math.min(index, column.length))
  const before = column[i - 1]
  const after = column[i]
  return orderBetween(before && slotKey(before), after && slotKey(after))
}

export interface ColumnLayout {
  table: string
  column: Column
  /** The header above the cards. */
  head: Box
  /** The column's whole extent, header to the zone's bottom padding. */
  box: Box
  /** Card ids in slot order (a dragged card is not in it). */
  cards: string[]
  /** Each card's box, same order. */
  boxes: Box[]
}

export interface BoardLayout {
  /** Each table's zone, grown to hold its cards and moved below any zone it would overlap. */
  zones: Map<string, Box>
  columns: ColumnLayout[]
  /** Every card: arranged cards in their slot, loose cards where they were put. */
  boxes: Map<string, Box>
  /** While dragging: the empty slot the card would drop into. */
  placeholder: (Box & { slot: Slot }) | null
}

export interface LayoutInput<C extends LayoutCard> {
  tables: readonly Table[]
  cards: readonly C[]
  /**
   * A card's height at `width` world px: measured, or estimated before it is; undefined when
   * neither is known (CARD_DEFAULT_H is used).
   */
  height(id: string, width: number): number | undefined
  /** Cards opened with "more" (or being edited): their full height, not bounded. */
  expanded?(id: string): boolean
  /** A card being dragged: taken out of its slot; with a slot, an empty place is kept there. */
  drag?: { id: string; h: number; slot: Slot | null } | null
}

export function cardHeight(measured: number | undefined, expanded: boolean): number {
  const h = Math.max(CARD_MIN_H, measured ?? CARD_DEFAULT_H)
  return expanded ? h : Math.min(h, CARD_MAX_H)
}

const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h

/**
 * How far `zone` moves down so it overlaps none of the zones placed before it (and its cards with
 * it): a zone that would overlap an earlier one goes below it.
 */
export function stackBelow(zone: Box, placed: Iterable<Box>): number {
  const others = [...placed]
  let dy = 0
  for (let moved = true; moved;) {
    moved = false
    for (const other of others) {
      const z = { ...zone, y: zone.y + dy }
      if (overlaps(z, other)) {
        dy = other.y + other.h + LAYOUT.tableGap - zone.y
        moved = true
      }
    }
  }
  return dy
}

/** Places every card of the board: see the file comment. */
export function layoutBoard<C extends LayoutCard>(input: LayoutInput<C>): BoardLayout {
  const { pad, zoneHead, columnHead, tail } = LAYOUT
  const drag = input.drag ?? null
  const known = new Set(input.tables.map((t) => t.id))
  const byTable = new Map<string, C[]>()
  const boxes = new Map<string, Box>()
  for (const c of input.cards) {
    if (c.table && known.has(c.table)) {
      if (c.id === drag?.id) continue
      const list = byTable.get(c.table)
      if (list) list.push(c)
      else byTable.set(c.table, [c])
    } else {
      // loose, or at a table that is gone: where it was put
      boxes.set(c.id, { x: c.x, y: c.y, w: c.w, h: cardHeight(input.height(c.id, c.w), true) })
    }
  }

  const zones = new Map<string, Box>()
  const columns: ColumnLayout[] = []
  let placeholder: BoardLayout['placeholder'] = null
  const tables = [...input.tables].sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : 1))
  for (const table of tables) {
    const colW = Math.max(CARD_MIN_H, (table.w - 3 * pad) / 2)
    const top = table.y + zoneHead
    const cols = columnsOf(table.id, byTable.get(table.id) ?? [])
    let bottom = top + columnHead
    const placed: ColumnLayout[] = []
    for (const column of COLUMNS) {
      const x = table.x + pad + column * (colW + pad)
      let y = top + columnHead
      const ids: string[] = []
      const cardBoxes: Box[] = []
      const list = cols[column]
      const slotHere =
        drag?.slot && drag.slot.table === table.id && drag.slot.column === column ? drag.slot : null
      for (let i = 0; i <= list.length; i++) {
        if (slotHere && i === Math.min(slotHere.index, list.length)) {
          placeholder = { x, y, w: colW, h: drag!.h, slot: { ...slotHere, index: i } }
          y += drag!.h + pad
        }
        const c = list[i]
        if (!c) break
        const box = {
          x,
          y,
          w: colW,
          h: cardHeight(input.height(c.id, colW), input.expanded?.(c.id) ?? false),
        }
        boxes.set(c.id, box)
        ids.push(c.id)
        cardBoxes.push(box)
        y += box.h + pad
      }
      bottom = Math.max(bottom, y)
      placed.push({
        table: table.id,
        column,
        head: { x, y: top, w: colW, h: columnHead },
        box: { x, y: top, w: colW, h: 0 },
        cards: ids,
        boxes: cardBoxes,
      })
    }
    const zone: Box = {
      x: table.x,
      y: table.y,
      w: table.w,
      h: Math.max(table.h, bottom + tail - table.y),
    }
    const dy = stackBelow(zone, zones.values())
    zone.y += dy
    zones.set(table.id, zone)
    for (const col of placed) {
      col.head.y += dy
      col.box = {
        x: col.box.x,
        y: col.box.y + dy,
        w: col.box.w,
        h: zone.y + zone.h - pad - (col.box.y + dy),
      }
      for (const b of col.boxes) b.y += dy
      columns.push(col)
    }
    if (placeholder?.slot.table === table.id) placeholder.y += dy
  }
  return { zones, columns, boxes, placeholder }
}

/**
 * The slot under a world point: the zone that holds it, the nearer column, and the place among
 * that column's cards (before the first card whose middle is below the point). Read it from a
 * layout made without the placeholder, so the slot does not move as the placeholder opens.
 */
export function slotAt(layout: BoardLayout, x: number, y: number): Slot | null {
  let table: string | null = null
  for (const [id, z] of layout.zones)
    if (x >= z.x && x < z.x + z.w && y >= z.y && y < z.y + z.h) table = id
  if (!table) return null
  const cols = layout.columns.filter((c) => c.table === table)
  let best: ColumnLayout | undefined
  for (const c of cols)
    if (
      !best ||
      Math.abs(x - (c.box.x + c.box.w / 2)) < Math.abs(x - (best.box.x + best.box.w / 2))
    )
      best = c
  if (!best) return null
  let index = 0
  while (index < best.boxes.length && best.boxes[index]!.y + best.boxes[index]!.h / 2 < y) index++
  return { table, column: best.column, index }
}

/** The extent of zones and cards, for fitting the view. */
export function layoutExtent(layout: BoardLayout): Box | null {
  const all = [...layout.zones.values(), ...layout.boxes.values()]
  if (all.length === 0) return null
  const x0 = Math.min(...all.map((b) => b.x))
  const y0 = Math.min(...all.map((b) => b.y))
  const x1 = Math.max(...all.map((b) => b.x + b.w))
  const y1 = Math.max(...all.map((b) => b.y + b.h))
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 }
}

/**
 * A keyboard step through the slots: up/down within the column, left/right to the neighbouring
 * column, across tables in their order (the right column of one table, then the left of the next).
 * Null when there is no slot that way.
 */
export function stepSlot(
  tables: readonly Table[],
  cards: readonly LayoutCard[],
  card: LayoutCard,
  dir: 'up' | 'down' | 'left' | 'right',
): Slot | null {
  if (!card.table) return null
  const others = cards.filter((c) => c.id !== card.id)
  const column = columnOf(card.kind)
  const mine = columnsOf(card.table, cards)[column]
  const index = mine.findIndex((c) => c.id === card.id)
  if (dir === 'up' || dir === 'down') {
    const to = index + (dir === 'up' ? -1 : 1)
    if (index < 0 || to < 0 || to >= mine.length) return null
    return { table: card.table, column, index: to }
  }
  const order = [...tables].sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : 1))
  const seq = order.flatMap((t) => COLUMNS.map((col) => ({ table: t.id, column: col })))
  const at = seq.findIndex((s) => s.table === card.table && s.column === column)
  const next = seq[at + (dir === 'left' ? -1 : 1)]
  if (at < 0 || !next) return null
  const target = columnsOf(next.table, others)[next.column]
  return { ...next, index: Math.min(Math.max(index, 0), target.length) }
}
