/**
 * Tables are the layout (shared/layout.ts, issue #14 point 2): cards at a table never overlap
 * and never leave their zone, zones grow with their cards and never overlap each other, and a
 * card dropped or stepped into a slot lands in that slot.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  type BoardLayout,
  type Box,
  CARD_MAX_H,
  CARD_MIN_H,
  type LayoutCard,
  type Slot,
  columnsOf,
  layoutBoard,
  orderBetween,
  slotAt,
  stepSlot,
} from '../../shared/layout.ts'
import {
  type Card,
  type CardKind,
  type Table,
  addCard,
  listCards,
  listTables,
} from '../../shared/schema.ts'
import { DEFAULT_TEMPLATE, ZONE, applyTemplate } from '../../shared/template.ts'
import { dropCard, moveCardToTable, stepCard } from '../../client/model/actions.ts'
import { makeCard } from '../fixtures/builders.ts'
import { type Rng, mulberry32 } from '../fault/rng.ts'

const TABLE_IDS = ['t-inwoner', 't-management', 't-bestuur']

function templated(): Y.Doc {
  const doc = new Y.Doc()
  doc.clientID = 1
  applyTemplate(doc, DEFAULT_TEMPLATE, {
    title: 'Leertuin',
    language: 'nl',
    anonymity: 'table',
    tableIds: TABLE_IDS,
  })
  return doc
}

const overlap = (a: Box, b: Box) =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
const inside = (a: Box, z: Box) =>
  a.x >= z.x && a.y >= z.y && a.x + a.w <= z.x + z.w && a.y + a.h <= z.y + z.h

/** Pairs of arranged boxes (cards and the drop slot) that overlap, and boxes outside their zone. */
function problems(layout: BoardLayout, cards: readonly LayoutCard[]) {
  const arranged: { id: string; table: string; box: Box }[] = []
  for (const c of cards) {
    const box = layout.boxes.get(c.id)
    if (c.table && layout.zones.has(c.table) && box)
      arranged.push({ id: c.id, table: c.table, box })
  }
  if (layout.placeholder)
    arranged.push({ id: 'slot', table: layout.placeholder.slot.table, box: layout.placeholder })
  let overlaps = 0
  for (let i = 0; i < arranged.length; i++)
    for (let j = i + 1; j < arranged.length; j++)
      if (overlap(arranged[i]!.box, arranged[j]!.box)) overlaps++
  const outside = arranged.filter((a) => !inside(a.box, layout.zones.get(a.table)!)).length
  const zones = [...layout.zones.values()]
  let zoneOverlaps = 0
  for (let i = 0; i < zones.length; i++)
    for (let j = i + 1; j < zones.length; j++) if (overlap(zones[i]!, zones[j]!)) zoneOverlaps++
  return { overlaps, outside, zoneOverlaps }
}

function randomCards(rng: Rng, tables: Table[], n: number): Card[] {
  const kinds: CardKind[] = ['vision', 'need', 'task', 'note']
  return Array.from({ length: n }, (_, i) => {
    const t = rng.pick(tables)
    const card = makeCard({
      id: `c${i}`,
      kind: rng.pick(kinds),
      // some cards at no table or at a table that is gone: they stay where they were put
      table: rng.bool(0.9) ? t.id : rng.bool() ? null : 'gone',
      x: t.x + rng.range(-200, 1200),
      y: t.y + rng.range(-200, 3000),
      created: i,
      ...(rng.bool(0.6) && { order: rng.range(-50, 50) + rng.next() }),
    })
    const { text: _text, ...plain } = card
    return plain
  })
}

describe('table layout', () => {
  it('50 cards at one table, 5 of them long: 0 overlaps, 0 outside the zone, the zone grew', () => {
    const tables = listTables(templated())
    const table = tables[0]!
    const cards: Card[] = Array.from({ length: 50 }, (_, i) =>
      makeCard({ id: `c${i}`, table: table.id, kind: i % 2 ? 'need' : 'vision', created: i }),
    )
    // a long card measures 3,400 px unbounded; short ones vary
    const long = new Set(['c3', 'c10', 'c17', 'c30', 'c44'])
    const height = (id: string) => (long.has(id) ? 3_400 : 100 + (Number(id.slice(1)) % 7) * 20)
    const layout = layoutBoard({ tables, cards, height })
    expect(problems(layout, cards)).toEqual({ overlaps: 0, outside: 0, zoneOverlaps: 0 })
    for (const id of long) expect(layout.boxes.get(id)!.h).toBe(CARD_MAX_H)
    expect(layout.zones.get(table.id)!.h).toBeGreaterThan(table.h)
    // the other zones keep their size and place
    expect(layout.zones.get(tables[1]!.id)).toEqual({
      x: tables[1]!.x,
      y: tables[1]!.y,
      w: tables[1]!.w,
      h: tables[1]!.h,
    })
  })

  it('a card opened with "more" (or being edited) takes its full height, and the cards below make room', () => {
    const tables = listTables(templated())
    const cards = [0, 1, 2].map((i) => makeCard({ id: `c${i}`, table: tables[0]!.id, order: i }))
    const height = () => 2_000
    const closed = layoutBoard({ tables, cards, height })
    const open = layoutBoard({ tables, cards, height, expanded: (id) => id === 'c1' })
    expect(closed.boxes.get('c1')!.h).toBe(CARD_MAX_H)
    expect(open.boxes.get('c1')!.h).toBe(2_000)
    expect(open.boxes.get('c2')!.y).toBe(open.boxes.get('c1')!.y + 2_000 + 16)
    expect(problems(open, cards)).toEqual({ overlaps: 0, outside: 0, zoneOverlaps: 0 })
  })

  it('property: random boards (heights, kinds, orders, drags, stacked tables) never overlap or leave a zone', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const rng = mulberry32(seed)
      let tables = listTables(templated())
      // sometimes a facilitator stacked two zones: the grown upper one must push the lower one down
      if (rng.bool(0.3))
        tables = tables.map((t, i) =>
          i === 1 ? { ...t, x: tables[0]!.x + 100, y: tables[0]!.y + 400 } : t,
        )
      const cards = randomCards(rng, tables, rng.range(0, 120))
      const heights = new Map(
        cards.map((c) => [
          c.id,
          rng.bool(0.1) ? rng.range(400, 5_000) : rng.bool(0.2) ? undefined : rng.range(20, 330),
        ]),
      )
      const expanded = new Set(cards.filter(() => rng.bool(0.05)).map((c) => c.id))
      const dragged = cards.length && rng.bool(0.5) ? rng.pick(cards) : null
      const slot: Slot | null =
        dragged && rng.bool(0.8)
          ? { table: rng.pick(tables).id, column: rng.bool() ? 0 : 1, index: rng.range(0, 40) }
          : null
      const layout = layoutBoard({
        tables,
        cards,
        height: (id) => heights.get(id),
        expanded: (id) => expanded.has(id),
        drag: dragged ? { id: dragged.id, h: rng.range(CARD_MIN_H, CARD_MAX_H), slot } : null,
      })
      const found = problems(
        layout,
        cards.filter((c) => c.id !== dragged?.id),
      )
      expect(found, `seed ${seed}`).toEqual({ overlaps: 0, outside: 0, zoneOverlaps: 0 })
      for (const c of cards) {
        if (c.id === dragged?.id || !c.table || !layout.zones.has(c.table)) continue
        const h = layout.boxes.get(c.id)!.h
        expect(h, `seed ${seed} ${c.id}`).toBeGreaterThanOrEqual(CARD_MIN_H)
        if (!expanded.has(c.id)) expect(h, `seed ${seed} ${c.id}`).toBeLessThanOrEqual(CARD_MAX_H)
      }
    }
  })

  it('slot order: cards with an order by it; cards from before slot order by where they were put', () => {
    const old = [
      makeCard({ id: 'low', table: 't', y: 300, x: 10 }),
      makeCard({ id: 'top-right', table: 't', y: 100, x: 400 }),
      makeCard({ id: 'top-left', table: 't', y: 100, x: 10 }),
    ]
    expect(columnsOf('t', old)[0].map((c) => c.id)).toEqual(['top-left', 'top-right', 'low'])
    // a card given an order between two older ones lands between them
    const mid = makeCard({ id: 'mid', table: 't', order: orderBetween(100, 300) })
    expect(columnsOf('t', [...old, mid])[0].map((c) => c.id)).toEqual([
      'top-left',
      'top-right',
      'mid',
      'low',
    ])
    expect(orderBetween(undefined, undefined)).toBe(0)
    expect(orderBetween(4, undefined)).toBeGreaterThan(4)
    expect(orderBetween(undefined, 4)).toBeLessThan(4)
  })

  it('the slot under a point does not move while the placeholder opens', () => {
    const tables = listTables(templated())
    const cards = [0, 1, 2, 3].map((i) => makeCard({ id: `c${i}`, table: tables[0]!.id, order: i }))
    const base = layoutBoard({
      tables,
      cards,
      height: () => 120,
      drag: { id: 'c0', h: 120, slot: null },
    })
    const b2 = base.boxes.get('c2')!
    const slot = slotAt(base, b2.x + 10, b2.y + 10)!
    expect(slot).toEqual({ table: tables[0]!.id, column: 0, index: 1 })
    const shown = layoutBoard({
      tables,
      cards,
      height: () => 120,
      drag: { id: 'c0', h: 120, slot },
    })
    expect(shown.placeholder).toMatchObject({ x: b2.x, y: b2.y, slot })
    expect(shown.boxes.get('c2')!.y).toBe(b2.y + 120 + 16)
    // the right column of the zone, and off every zone
    const right = base.columns.find((c) => c.table === tables[0]!.id && c.column === 1)!
    expect(slotAt(base, right.box.x + 5, right.box.y + 5)).toEqual({
      table: tables[0]!.id,
      column: 1,
      index: 0,
    })
    expect(slotAt(base, tables[0]!.x + ZONE.w + ZONE.gap / 2, 100)).toBeNull()
  })
})

describe('slot moves on the doc', () => {
  const ids = (doc: Y.Doc, table: string, column: 0 | 1) =>
    columnsOf(table, listCards(doc))[column].map((c) => c.id)

  function withCards() {
    const doc = templated()
    for (const [i, id] of ['a', 'b', 'c'].entries())
      addCard(doc, makeCard({ id, table: TABLE_IDS[0]!, kind: 'vision', order: i }))
    addCard(doc, makeCard({ id: 'n', table: TABLE_IDS[0]!, kind: 'need', order: 0 }))
    return doc
  }
  const card = (doc: Y.Doc, id: string) => listCards(doc).find((c) => c.id === id)!

  it('a drop lands in the slot: place, column (and with it the kind) and table', () => {
    const doc = withCards()
    dropCard(
      doc,
      card(doc, 'c'),
      { slot: { table: TABLE_IDS[0]!, column: 0, index: 0 } },
      listCards(doc),
    )
    expect(ids(doc, TABLE_IDS[0]!, 0)).toEqual(['c', 'a', 'b'])
    dropCard(
      doc,
      card(doc, 'a'),
      { slot: { table: TABLE_IDS[0]!, column: 1, index: 1 } },
      listCards(doc),
    )
    expect(ids(doc, TABLE_IDS[0]!, 1)).toEqual(['n', 'a'])
    expect(card(doc, 'a').kind).toBe('need')
    expect(
      dropCard(
        doc,
        card(doc, 'b'),
        { slot: { table: TABLE_IDS[1]!, column: 0, index: 5 } },
        listCards(doc),
      ),
    ).toBe(TABLE_IDS[1])
    expect(ids(doc, TABLE_IDS[1]!, 0)).toEqual(['b'])
    // off every zone: loose, where it was dropped
    dropCard(doc, card(doc, 'b'), { x: -500.4, y: 40 }, listCards(doc))
    expect(card(doc, 'b')).toMatchObject({ table: null, x: -500, y: 40 })
  })

  it('arrow keys step through the slots: up and down the column, left and right through the columns of all tables', () => {
    const doc = withCards()
    const tables = listTables(doc)
    expect(stepCard(doc, card(doc, 'a'), 'up', tables, listCards(doc))).toBeNull()
    stepCard(doc, card(doc, 'a'), 'down', tables, listCards(doc))
    expect(ids(doc, TABLE_IDS[0]!, 0)).toEqual(['b', 'a', 'c'])
    stepCard(doc, card(doc, 'a'), 'down', tables, listCards(doc))
    expect(ids(doc, TABLE_IDS[0]!, 0)).toEqual(['b', 'c', 'a'])
    expect(stepCard(doc, card(doc, 'a'), 'down', tables, listCards(doc))).toBeNull()
    stepCard(doc, card(doc, 'c'), 'up', tables, listCards(doc))
    expect(ids(doc, TABLE_IDS[0]!, 0)).toEqual(['c', 'b', 'a'])
    // right: into the "what is needed" column, then the next table's vision column
    expect(stepCard(doc, card(doc, 'b'), 'right', tables, listCards(doc))).toEqual({
      table: TABLE_IDS[0],
      column: 1,
      index: 1,
    })
    expect(card(doc, 'b').kind).toBe('need')
    stepCard(doc, card(doc, 'b'), 'right', tables, listCards(doc))
    expect(card(doc, 'b')).toMatchObject({ table: TABLE_IDS[1], kind: 'vision' })
    stepCard(doc, card(doc, 'b'), 'left', tables, listCards(doc))
    expect(card(doc, 'b')).toMatchObject({ table: TABLE_IDS[0], kind: 'need' })
    expect(stepSlot(tables, listCards(doc), card(doc, 'c'), 'left')).toBeNull()
    // the move menu puts the card at the end of its column there
    moveCardToTable(doc, card(doc, 'c'), tables[2]!, listCards(doc))
    moveCardToTable(doc, card(doc, 'a'), tables[2]!, listCards(doc))
    expect(ids(doc, TABLE_IDS[2]!, 0)).toEqual(['c', 'a'])
  })
})
