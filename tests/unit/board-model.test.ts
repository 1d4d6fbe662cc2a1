import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { writeBlocks } from '../../shared/richtext.ts'
import { addCard, boardRoot, cardBody, listCards, moveCard } from '../../shared/schema.ts'
import { BoardModel, REMOTE_NOTIFY_MS, type Schedule } from '../../client/model/model.ts'
import { makeCard } from '../fixtures/builders.ts'

/** A clock and a timer queue the test advances by hand. */
function manualTime() {
  let now = 0
  let queue: { at: number; fn: () => void }[] = []
  const schedule: Schedule = (fn, ms) => {
    const job = { at: now + ms, fn }
    queue.push(job)
    return () => void (queue = queue.filter((j) => j !== job))
  }
  const advance = (ms: number) => {
    now += ms
    const due = queue.filter((j) => j.at <= now)
    queue = queue.filter((j) => j.at > now)
    for (const j of due) j.fn()
  }
  return { schedule, now: () => now, advance, pending: () => queue.length }
}

function boardWith(n: number): Y.Doc {
  const doc = new Y.Doc()
  doc.clientID = 1
  for (let i = 0; i < n; i++)
    addCard(doc, makeCard({ id: `c${i}`, created: 1000 - i, text: `Kaart ${i}` }))
  return doc
}

/** A peer's copy of `doc`: its writes arrive in `doc` as updates, as through the provider. */
function peerOf(doc: Y.Doc): Y.Doc {
  const peer = new Y.Doc()
  peer.clientID = 2
  Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc))
  peer.on('update', (u: Uint8Array) => Y.applyUpdate(doc, u, 'remote'))
  return peer
}

describe('board read model', () => {
  it('a write to one card replaces that card only; every other card keeps its object and the order holds', () => {
    const doc = boardWith(50)
    const time = manualTime()
    const model = new BoardModel(doc, time)
    const before = model.getSnapshot()
    expect(before.cards.map((c) => c.id)).toEqual(listCards(doc).map((c) => c.id))

    moveCard(doc, 'c7', { x: 500, y: 600 })
    const after = model.getSnapshot()
    expect(after).not.toBe(before)
    const changed = after.cards.filter((c, i) => c !== before.cards[i])
    expect(changed.map((c) => [c.id, c.x, c.y])).toEqual([['c7', 500, 600]])
    expect(after.cards.map((c) => c.id)).toEqual(before.cards.map((c) => c.id))
    // no body changed: the body versions are the same map, tables and meta the same arrays
    expect(after.bodyVersion).toBe(before.bodyVersion)
    expect(after.tables).toBe(before.tables)
    model.destroy()
  })

  it('adds and deletes land in creation order; a body edit bumps that card’s version only', () => {
    const doc = boardWith(5)
    const model = new BoardModel(doc, manualTime())
    addCard(doc, makeCard({ id: 'mid', created: 997.5 }))
    boardRoot(doc).cards.delete('c0')
    expect(model.getSnapshot().cards.map((c) => c.id)).toEqual(listCards(doc).map((c) => c.id))

    const cards = model.getSnapshot().cards
    writeBlocks(cardBody(doc, 'c3')!, [
      { type: 'paragraph', runs: [{ text: 'nieuw', marks: [] }], children: [] },
    ])
    const snap = model.getSnapshot()
    expect(snap.cards).toBe(cards)
    expect(snap.bodyVersion.get('c3')).toBe(1)
    expect(snap.bodyVersion.get('c2')).toBeUndefined()
    model.destroy()
  })

  it('others’ writes in one interval reach listeners as one notification; an own write at once', () => {
    const doc = boardWith(30)
    const peer = peerOf(doc)
    const time = manualTime()
    const model = new BoardModel(doc, time)
    let calls = 0
    model.subscribe(() => calls++)
    // the first change after a quiet period is told at once (next turn)
    moveCard(peer, 'c0', { x: 1, y: 1 })
    time.advance(0)
    expect(calls).toBe(1)
    // then at most one per interval, however many writes arrive
    for (let i = 0; i < 30; i++) moveCard(peer, `c${i}`, { x: i + 10, y: i })
    time.advance(REMOTE_NOTIFY_MS - 1)
    expect(calls).toBe(1)
    time.advance(1)
    expect(calls).toBe(2)
    expect(model.getSnapshot().cards.find((c) => c.id === 'c29')?.x).toBe(39)
    expect(time.pending()).toBe(0)
    // our own write does not wait: listeners hear of it (and of what waited) right away
    time.advance(1)
    moveCard(peer, 'c1', { x: 70, y: 70 })
    moveCard(doc, 'c2', { x: 80, y: 80 })
    expect(calls).toBe(3)
    expect(time.pending()).toBe(0)
    expect(model.getSnapshot().cards.find((c) => c.id === 'c1')?.x).toBe(70)
    model.destroy()
  })

  it('tells the ids of the cards whose text changed, once per tick, before each card hears', () => {
    const doc = boardWith(5)
    const peer = peerOf(doc)
    const time = manualTime()
    const model = new BoardModel(doc, time)
    const heard: string[] = []
    model.onBodies((ids) => heard.push(`bodies:${[...ids].sort().join(',')}`))
    model.subscribeBody('c1', () => heard.push('c1'))
    const line = (id: string) => ({
      type: 'paragraph' as const,
      runs: [{ text: `nieuw ${id}`, marks: [] }],
      children: [],
    })
    writeBlocks(cardBody(peer, 'c1')!, [line('c1')])
    writeBlocks(cardBody(peer, 'c3')!, [line('c3')])
    moveCard(peer, 'c2', { x: 10, y: 10 })
    expect(heard).toEqual([])
    time.advance(REMOTE_NOTIFY_MS)
    // a move is no text change
    expect(heard).toEqual(['bodies:c1,c3', 'c1'])
    model.destroy()
  })
})
