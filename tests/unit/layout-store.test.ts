/**
 * The incremental layout (client/model/layoutStore.ts over shared/layout.ts) and the model's
 * per-card channels (client/model/model.ts): a remote write to one card lays out that card's table
 * again and no other, gives the same arrangement as laying out the whole board, and tells only the
 * cards whose box moved; the board's shape changes only when a card comes or goes.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { layoutBoard } from '../../shared/layout.ts'
import { addCard, boardRoot, cardBody, listTables, moveCard } from '../../shared/schema.ts'
import { writeBlocks } from '../../shared/richtext.ts'
import { DEFAULT_TEMPLATE, applyTemplate } from '../../shared/template.ts'
import { BoardModel } from '../../client/model/model.ts'
import { LayoutStore } from '../../client/model/layoutStore.ts'
import { sameLook } from '../../client/model/useCardSlot.ts'
import { makeCard } from '../fixtures/builders.ts'

const TABLE_IDS = ['t-inwoner', 't-management', 't-bestuur']
const PER_TABLE = 40

function board() {
  const doc = new Y.Doc()
  doc.clientID = 1
  applyTemplate(doc, DEFAULT_TEMPLATE, {
    title: 'Leertuin',
    language: 'nl',
    anonymity: 'table',
    tableIds: TABLE_IDS,
  })
  const tables = listTables(doc)
  let n = 0
  for (const tb of tables)
    for (let i = 0; i < PER_TABLE; i++) {
      const id = `c${n++}`
      addCard(
        doc,
        makeCard({
          id,
          table: tb.id,
          kind: i % 2 ? 'need' : 'vision',
          x: tb.x,
          y: tb.y + i * 10,
          created: n,
        }),
      )
    }
  // a remote peer writes in its own doc; the model sees its updates as others' changes
  const peer = new Y.Doc()
  Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc))
  // others' changes are told on the remote tick: here, right after each of the peer's writes
  let due: (() => void)[] = []
  const tick = () => {
    const run = due
    due = []
    for (const fn of run) fn()
  }
  peer.on('update', (u: Uint8Array) => {
    Y.applyUpdate(doc, u, 'remote')
    tick()
  })
  const model = new BoardModel(doc, {
    schedule: (fn) => {
      due.push(fn)
      return () => void (due = due.filter((f) => f !== fn))
    },
  })
  const heights = new Map<string, number>()
  const store = new LayoutStore(model.getSnapshot, {
    height: (id) => heights.get(id),
    expanded: () => false,
  })
  model.onCards(() => store.update())
  return { doc, peer, model, store, tables, heights, tick }
}

const full = (b: ReturnType<typeof board>) =>
  layoutBoard({
    tables: b.tables,
    cards: b.model.getSnapshot().cards,
    height: (id) => b.heights.get(id),
  })

describe('incremental layout', () => {
  it('a move at one table lays out that table again: the same as the whole board, other tables untouched', () => {
    const b = board()
    expect(b.store.get().boxes).toEqual(full(b).boxes)
    const before = new Map(b.store.get().boxes)
    const told = new Set<string>()
    for (const id of before.keys()) b.store.subscribeBox(id, () => told.add(id))
    // the first card of the first table goes to the end of its column
    moveCard(b.peer, 'c0', { x: b.tables[0]!.x, y: b.tables[0]!.y + 10_000 })
    const after = b.store.get()
    expect(after.boxes).toEqual(full(b).boxes)
    expect(after.zones).toEqual(full(b).zones)
    const t0 = new Set(
      b.model
        .getSnapshot()
        .cards.filter((c) => c.table === b.tables[0]!.id)
        .map((c) => c.id),
    )
    for (const [id, box] of after.boxes) {
      if (t0.has(id)) continue
      expect(box, id).toBe(before.get(id))
    }
    // told: the card that moved and the ones of its column that moved up, nobody else
    expect(told.has('c0')).toBe(true)
    for (const id of told) expect(t0.has(id), id).toBe(true)
    expect(told.size).toBeLessThanOrEqual(PER_TABLE / 2)
  })

  it('the move listeners hear exactly the cards whose box changed; the moved card keeps its look', () => {
    const b = board()
    const before = new Map(b.store.get().boxes)
    const heard: string[][] = []
    b.store.subscribeMoves((ids) => heard.push([...ids]))
    const card = b.model.getCard('c0')!
    moveCard(b.peer, 'c0', { x: b.tables[0]!.x, y: b.tables[0]!.y + 10_000 })
    const after = b.store.get().boxes
    const moved = [...after.keys()].filter((id) => after.get(id) !== before.get(id))
    expect(heard).toHaveLength(1)
    expect(new Set(heard[0])).toEqual(new Set(moved))
    expect(moved).toContain('c0')
    // the card re-rendered for what it shows, not for where it sits (client/model/useCardSlot.ts)
    const now = b.model.getCard('c0')!
    expect(now).not.toBe(card)
    expect(sameLook(card, now)).toBe(true)
    expect(sameLook(card, { ...now, kind: 'need' })).toBe(false)
    expect(sameLook(card, { ...now, table: b.tables[1]!.id })).toBe(false)
    expect(sameLook(card, { ...now, w: now.w + 1 })).toBe(false)
    expect(sameLook(card, { ...now, origin: { workshop: 'w', snapshot: 's', card: 'c' } })).toBe(
      false,
    )
    // a write that moves no box is not heard
    heard.length = 0
    b.store.update()
    expect(heard).toHaveLength(0)
  })

  it('a card that came before the remote tick is read in its slot; the listeners hear at the tick', () => {
    const b = board()
    const tb = b.tables[0]!
    let told = 0
    b.store.subscribeBox('c0', () => told++)
    // another peer's card, first in the first column, not yet told (the tick has not come)
    const other = new Y.Doc()
    Y.applyUpdate(other, Y.encodeStateAsUpdate(b.doc))
    addCard(other, makeCard({ id: 'new', table: tb.id, kind: 'vision', x: tb.x, y: tb.y - 5 }))
    Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(b.doc)), 'remote')
    // what renders meanwhile reads the new card: it gets its slot, not its stored x/y
    expect(b.model.getShape().ids).toContain('new')
    expect(b.store.getBox('new')).toEqual(full(b).boxes.get('new'))
    expect(b.store.getBox('c0')).toEqual(full(b).boxes.get('c0'))
    expect(told).toBe(0)
    b.tick()
    expect(told).toBe(1)
    expect(b.store.get().boxes).toEqual(full(b).boxes)
  })

  it('a measured height lays out its table again; a card moved to another table moves both', () => {
    const b = board()
    b.heights.set('c1', 200)
    b.store.heightChanged(['c1'])
    expect(b.store.get().boxes).toEqual(full(b).boxes)
    boardRoot(b.peer).cards.get('c2')!.set('table', b.tables[2]!.id)
    expect(b.store.get().boxes).toEqual(full(b).boxes)
    expect(b.store.getZones().zones.get(b.tables[2]!.id)!.count).toBe(PER_TABLE + 1)
    expect(b.store.getZones().zones.get(b.tables[0]!.id)!.count).toBe(PER_TABLE - 1)
  })

  it('the shape changes when a card comes or goes, not when one is written; a body write tells that card', () => {
    const b = board()
    const shape = b.model.getShape()
    let bodies = 0
    let cards = 0
    b.model.subscribeBody('c5', () => bodies++)
    b.model.subscribeCard('c6', () => cards++)
    writeBlocks(cardBody(b.peer, 'c5')!, [
      { type: 'paragraph', runs: [{ text: 'nieuw', marks: [] }], children: [] },
    ])
    moveCard(b.peer, 'c6', { x: 1, y: 2 })
    expect(b.model.getShape()).toBe(shape)
    expect([bodies, cards]).toEqual([1, 1])
    expect(b.model.bodyVersionOf('c5')).toBe(1)
    addCard(b.peer, makeCard({ id: 'new', table: b.tables[1]!.id, created: 10_000 }))
    expect(b.model.getShape()).not.toBe(shape)
    expect(b.model.getShape().ids).toContain('new')
  })

  it('paused: others’ writes wait for resume; nothing is read meanwhile', () => {
    const b = board()
    b.model.setPaused(true)
    const before = b.model.getCard('c3')
    moveCard(b.peer, 'c3', { x: 5, y: 5 })
    expect(b.model.getCard('c3')).toBe(before)
    b.model.setPaused(false)
    expect(b.model.getCard('c3')).toMatchObject({ x: 5, y: 5 })
  })
})
