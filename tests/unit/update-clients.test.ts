/**
 * updateClients reads the client ids of an update the way Y.parseUpdateMeta does, from its header
 * when one client wrote it (the SQLite store records owners with it on every commit).
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { updateClients } from '../../shared/update-clients.ts'
import { addCard, cardMap } from '../../shared/schema.ts'
import { makeCard } from '../fixtures/builders.ts'

const metaClients = (u: Uint8Array) => [...Y.parseUpdateMeta(u).to.keys()]

function docWith(clientID: number): Y.Doc {
  const doc = new Y.Doc()
  doc.clientID = clientID
  return doc
}

describe('updateClients', () => {
  it('names the one client of an edit, a deletion-only update none, a merged update all', () => {
    const a = docWith(7)
    const updates: Uint8Array[] = []
    a.on('update', (u: Uint8Array) => updates.push(u))
    addCard(a, makeCard({ id: 'c1' }))
    cardMap(a, 'c1')!.set('x', 5)
    const b = docWith(300_000)
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    b.on('update', (u: Uint8Array) => updates.push(u))
    cardMap(b, 'c1')!.set('y', 9)
    // a deletion alone: no structs, so no client writes anything
    const c = docWith(9)
    Y.applyUpdate(c, Y.encodeStateAsUpdate(b))
    c.on('update', (u: Uint8Array) => updates.push(u))
    cardMap(c, 'c1')!.delete('y')
    updates.push(Y.mergeUpdates(updates.slice()), Y.encodeStateAsUpdate(new Y.Doc()))

    for (const u of updates) expect(updateClients(u)).toEqual(metaClients(u))
    expect(updateClients(updates[0]!)).toEqual([7])
    expect(updateClients(updates[2]!)).toEqual([300_000])
    expect(updateClients(updates[3]!)).toEqual([])
    expect(updateClients(updates[4]!).sort((x, y) => x - y)).toEqual([7, 300_000])
  })
})
