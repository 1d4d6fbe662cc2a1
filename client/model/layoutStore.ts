/**
 * The board's layout (shared/layout.ts) kept outside React and redone a zone at a time: a write to
 * one card lays out that card's table again (both, when it changed table) and no other, and every
 * card box that did not move keeps its object. Cards, zones and the canvas each subscribe to what
 * they draw: a moved card re-renders that card (and those its move pushed), not the board.
 *
 * Framework-free; useBoardLayout.ts wires it to a BoardModel and to what only the browser knows
 * (measured heights, cards opened with "more", the slot a dragged card hovers).
 */
import type { Card, Table } from '../../shared/schema.ts'
import { KeyedListeners } from '../lib/keyedListeners.ts'
import {
  type BoardLayout,
  type Box,
  type ColumnLayout,
  type Slot,
  layoutBoard,
  stackBelow,
} from '../../shared/layout.ts'

export interface LayoutSource {
  tables: readonly Table[]
  /** In board order. */
  cards: readonly Card[]
}

export interface LayoutInputs {
  height(id: string, width: number): number | undefined
  expanded(id: string): boolean
}

export interface Drag {
  id: string
  h: number
  slot: Slot | null
}

/** What a zone draws: its box, its column headers and how many cards it holds. */
export interface ZoneView {
  zone: Box
  columns: readonly ColumnLayout[]
  count: number
}

export interface ZonesView {
  zones: ReadonlyMap<string, ZoneView>
  placeholder: BoardLayout['placeholder']
}

interface TableEntry {
  table: Table | null
  cards: readonly Card[]
  heights: number
  inputs: number
  layout: BoardLayout
  /** The layout moved down by `dy` (stackBelow), cached for the last dy. */
  shifted: { dy: number; layout: BoardLayout } | null
}

const sameBox = (a: Box, b: Box) => a.x === b.x && a.y === b.y && a.w === b.w && a.h === b.h
const LOOSE = ''
const NO_CARDS: readonly Card[] = []
const tableOrder = (a: Table, b: Table) => a.order - b.order || (a.id < b.id ? -1 : 1)

const sameCards = (a: readonly Card[], b: readonly Card[]) =>
  a.length === b.length && a.every((c, i) => c === b[i])

function shift(l: BoardLayout, dy: number): BoardLayout {
  const moved = (b: Box) => ({ ...b, y: b.y + dy })
  const boxes = new Map<string, Box>()
  for (const [id, b] of l.boxes) boxes.set(id, moved(b))
  return {
    zones: new Map([...l.zones].map(([id, z]) => [id, moved(z)])),
    columns: l.columns.map((c) => ({
      ...c,
      head: moved(c.head),
      box: moved(c.box),
      boxes: c.cards.map((id) => boxes.get(id)!),
    })),
    boxes,
    placeholder: l.placeholder && { ...l.placeholder, y: l.placeholder.y + dy },
  }
}

function sameColumnHeads(a: readonly ColumnLayout[], b: readonly ColumnLayout[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (c, i) =>
        c.column === b[i]!.column &&
        c.cards.length === b[i]!.cards.length &&
        sameBox(c.head, b[i]!.head),
    )
  )
}

export class LayoutStore {
  private readonly tables = new Map<string, TableEntry>()
  private groups = new Map<string, readonly Card[]>()
  /** The table (LOOSE: none) each card was last laid out at. */
  private readonly tableOf = new Map<string, string>()
  private readonly heightsByTable = new Map<string, number>()
  private inputsVersion = 0
  private drag: Drag | null = null
  /** Without the dragged card's placeholder: what slots are read from. */
  private base: BoardLayout = { zones: new Map(), columns: [], boxes: new Map(), placeholder: null }
  private shown: BoardLayout = this.base
  private zonesView: ZonesView = { zones: new Map(), placeholder: null }
  /** What the layout was made from; a read that finds the source changed lays out again. */
  private laid: LayoutSource = { tables: [], cards: [] }
  /** What the box and layout listeners, and the zones' listeners, last heard. */
  private announced: BoardLayout = this.shown
  private announcedZones: ZonesView = this.zonesView
  private readonly boxListeners = new KeyedListeners()
  private readonly layoutListeners = new Set<() => void>()
  private readonly moveListeners = new Set<(ids: ReadonlySet<string>) => void>()
  private readonly zonesListeners = new Set<() => void>()

  constructor(
    private readonly source: () => LayoutSource,
    private readonly inputs: LayoutInputs,
  ) {
    this.update()
  }

  /** The board changed: lay out again the tables whose cards changed (the model gave them new objects). */
  update(): void {
    this.layOut(this.source())
    this.announce()
  }

  /**
   * Reads see the board as the model has it now. The model tells its listeners of others' changes
   * on the remote tick, but anything that renders meanwhile reads its new cards; laid out only
   * then, a card that had just arrived was drawn at its stored x/y, outside its table, for a
   * tick. Listeners hear of such a layout with the next update.
   */
  private fresh(): void {
    const s = this.source()
    if (s.cards !== this.laid.cards || s.tables !== this.laid.tables) this.layOut(s)
  }

  private layOut(source: LayoutSource): void {
    this.laid = source
    const { tables, cards } = source
    const known = new Set(tables.map((t) => t.id))
    const groups = new Map<string, Card[]>()
    for (const c of cards) {
      const key = c.table && known.has(c.table) ? c.table : LOOSE
      const g = groups.get(key)
      if (g) g.push(c)
      else groups.set(key, [c])
    }
    // a table none of whose cards changed keeps its list, so its layout is not redone
    const next = new Map<string, readonly Card[]>()
    for (const [key, list] of groups) {
      const prev = this.groups.get(key)
      next.set(key, prev && sameCards(prev, list) ? prev : list)
    }
    this.groups = next
    for (const [key, list] of next) for (const c of list) this.tableOf.set(c.id, key)

    const boxes = new Map<string, Box>()
    const zones = new Map<string, Box>()
    const columns: ColumnLayout[] = []
    const placed: Box[] = []
    for (const table of [...tables].sort(tableOrder)) {
      const l = this.tableLayout(table, next.get(table.id) ?? NO_CARDS)
      const zone = l.zones.get(table.id)!
      const dy = stackBelow(zone, placed)
      const at = dy === 0 ? l : this.shifted(table.id, l, dy)
      const z = at.zones.get(table.id)!
      placed.push(z)
      zones.set(table.id, z)
      columns.push(...at.columns)
      for (const [id, b] of at.boxes) boxes.set(id, b)
    }
    const loose = next.get(LOOSE)
    if (loose) {
      const l = this.tableLayout(null, loose)
      for (const [id, b] of l.boxes) boxes.set(id, b)
    }
    for (const id of this.tableOf.keys()) if (!boxes.has(id)) this.tableOf.delete(id)
    this.base = { zones, columns, boxes, placeholder: null }
    this.compose()
  }

  private tableLayout(table: Table | null, cards: readonly Card[]): BoardLayout {
    const key = table?.id ?? LOOSE
    const heights = this.heightsByTable.get(key) ?? 0
    const old = this.tables.get(key)
    if (
      old &&
      old.table === table &&
      old.cards === cards &&
      old.heights === heights &&
      old.inputs === this.inputsVersion
    )
      return old.layout
    const l = layoutBoard({
      tables: table ? [table] : [],
      cards,
      height: this.inputs.height,
      expanded: this.inputs.expanded,
      drag: this.drag ? { id: this.drag.id, h: this.drag.h, slot: null } : null,
    })
    // boxes that did not move keep their objects, so their cards skip a render (and the columns
    // hold the same objects, not a second box per card)
    if (old) {
      for (const [id, b] of l.boxes) {
        const prev = old.layout.boxes.get(id)
        if (prev && sameBox(prev, b)) l.boxes.set(id, prev)
      }
      for (const col of l.columns)
        col.cards.forEach((id, i) => (col.boxes[i] = l.boxes.get(id) ?? col.boxes[i]!))
    }
    this.tables.set(key, {
      table,
      cards,
      heights,
      inputs: this.inputsVersion,
      layout: l,
      shifted: null,
    })
    return l
  }

  private shifted(key: string, l: BoardLayout, dy: number): BoardLayout {
    const entry = this.tables.get(key)!
    if (entry.shifted?.dy !== dy) entry.shifted = { dy, layout: shift(l, dy) }
    return entry.shifted.layout
  }

  /** The shown layout (with a dragged card's placeholder) from the base, and tells who changed. */
  private show(): void {
    this.compose()
    this.announce()
  }

  /** Tells the listeners whose part changed since they last heard. */
  private announce(): void {
    const prev = this.announced
    const next = this.shown
    this.announced = next
    for (const fn of this.layoutListeners) fn()
    // found before anyone is told: a listener may subscribe or unsubscribe others
    const moved = new Set<string>()
    if (prev.boxes !== next.boxes) {
      for (const [id, b] of next.boxes) if (prev.boxes.get(id) !== b) moved.add(id)
      for (const id of prev.boxes.keys()) if (!next.boxes.has(id)) moved.add(id)
    }
    if (moved.size > 0) for (const fn of this.moveListeners) fn(moved)
    for (const id of moved) this.boxListeners.call(id)
    if (this.announcedZones !== this.zonesView) {
      this.announcedZones = this.zonesView
      for (const fn of this.zonesListeners) fn()
    }
  }

  /** The shown layout (with a dragged card's placeholder) from the base; nobody is told yet. */
  private compose(): void {
    const prev = this.shown
    const drag = this.drag
    let next: BoardLayout = this.base
    if (drag?.slot) {
      // while a card of ours is dragged over a slot: the whole board once per slot change
      const { tables, cards } = this.source()
      next = layoutBoard({
        tables,
        cards,
        height: this.inputs.height,
        expanded: this.inputs.expanded,
        drag,
      })
      for (const [id, b] of next.boxes) {
        const old = prev.boxes.get(id)
        if (old && sameBox(old, b)) next.boxes.set(id, old)
      }
    }
    if (drag && !next.boxes.has(drag.id)) {
      // the dragged card is out of the layout; it keeps its size while it follows the pointer
      const held = prev.boxes.get(drag.id)
      if (held) next = { ...next, boxes: new Map(next.boxes).set(drag.id, held) }
    }
    this.shown = next
    this.updateZones(next)
  }

  private updateZones(l: BoardLayout): void {
    const prev = this.zonesView
    const byTable = new Map<string, ColumnLayout[]>()
    for (const col of l.columns) byTable.set(col.table, [...(byTable.get(col.table) ?? []), col])
    const zones = new Map<string, ZoneView>()
    let changed = prev.placeholder !== l.placeholder || prev.zones.size !== l.zones.size
    for (const [id, zone] of l.zones) {
      const columns = byTable.get(id) ?? []
      const count = this.groups.get(id)?.length ?? 0
      const old = prev.zones.get(id)
      const same =
        old &&
        old.count === count &&
        sameBox(old.zone, zone) &&
        sameColumnHeads(old.columns, columns)
      zones.set(id, same ? old : { zone, columns, count })
      if (!same) changed = true
    }
    if (changed) this.zonesView = { zones, placeholder: l.placeholder }
  }

  /** A card's measured height changed: its table is laid out again. */
  heightChanged(ids: Iterable<string>): void {
    let any = false
    for (const id of ids) {
      const key = this.tableOf.get(id)
      if (key === undefined) continue
      this.heightsByTable.set(key, (this.heightsByTable.get(key) ?? 0) + 1)
      any = true
    }
    if (any) this.update()
  }

  /** Something every table reads changed (a card opened with "more", the card being edited). */
  inputsChanged(): void {
    this.inputsVersion++
    this.update()
  }

  setDrag(drag: Drag | null): void {
    const cur = this.drag
    const sameSlot = (a: Slot | null, b: Slot | null) =>
      a === b || (!!a && !!b && a.table === b.table && a.column === b.column && a.index === b.index)
    if (
      cur?.id === drag?.id &&
      cur?.h === drag?.h &&
      sameSlot(cur?.slot ?? null, drag?.slot ?? null)
    )
      return
    this.drag = drag
    if (cur?.id !== drag?.id || cur?.h !== drag?.h) this.inputsChanged()
    else this.show()
  }

  get = (): BoardLayout => {
    this.fresh()
    return this.shown
  }
  getBase = (): BoardLayout => {
    this.fresh()
    return this.base
  }
  getBox = (id: string): Box | undefined => {
    this.fresh()
    return this.shown.boxes.get(id)
  }
  getZones = (): ZonesView => {
    this.fresh()
    return this.zonesView
  }

  subscribeBox(id: string, fn: () => void): () => void {
    return this.boxListeners.add(id, fn)
  }

  subscribeLayout = (fn: () => void): (() => void) => {
    this.layoutListeners.add(fn)
    return () => this.layoutListeners.delete(fn)
  }

  /** `fn` hears the ids of the cards whose box changed (moved, resized, laid out or gone). */
  subscribeMoves(fn: (ids: ReadonlySet<string>) => void): () => void {
    this.moveListeners.add(fn)
    return () => this.moveListeners.delete(fn)
  }

  subscribeZones = (fn: () => void): (() => void) => {
    this.zonesListeners.add(fn)
    return () => this.zonesListeners.delete(fn)
  }
}
