/**
 * [issue 14.7] The doc's own edits reach the provider, the connection and the offline cache with
 * their bytes; the server's updates reach none of them, and Yjs does not encode them.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { addCard, listCards } from '../../shared/schema.ts'
import { changedAnything, localUpdates } from '../../client/sync/localUpdates.ts'
import { makeCard } from '../fixtures/builders.ts'

const SERVER = Symbol('server')

/** A doc the gate watches, what its listener heard, and a peer whose edits come "from the server". */
function setup() {
  const doc = new Y.Doc()
  const heard: { update: Uint8Array; origin: unknown }[] = []
  localUpdates(doc, SERVER).on((update, origin) => heard.push({ update, origin }))
  const peer = new Y.Doc()
  const fromServer = (edit: (d: Y.Doc) => void) => {
    const before = Y.encodeStateVector(doc)
    edit(peer)
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer, before), SERVER)
  }
  return { doc, heard, fromServer }
}

describe('localUpdates', () => {
  it('hands own edits on with bytes that rebuild them elsewhere, and leaves the server’s out', () => {
    const { doc, heard, fromServer } = setup()
    fromServer((d) => addCard(d, makeCard({ id: 'theirs' })))
    expect(heard).toEqual([])
    doc.transact(() => addCard(doc, makeCard({ id: 'mine' })), 'me')
    expect(heard.map((h) => h.origin)).toEqual(['me'])
    const copy = new Y.Doc()
    Y.applyUpdate(copy, heard[0]!.update)
    expect(listCards(copy).map((c) => c.id)).toEqual(['mine'])
  })

  it('does not encode the server’s updates when nobody else listens', () => {
    const { doc, fromServer } = setup()
    let encodedFor: unknown[] = []
    doc.on('afterTransactionCleanup', (tr: Y.Transaction) => {
      // registered after the gate's listener: Yjs encodes right after this event when 'update' has listeners
      encodedFor.push(
        (doc as unknown as { _observers: Map<string, unknown> })._observers.has('update')
          ? tr.origin
          : null,
      )
    })
    encodedFor = []
    fromServer((d) => addCard(d, makeCard({ id: 'a' })))
    doc.transact(() => addCard(doc, makeCard({ id: 'b' })), 'me')
    fromServer((d) => addCard(d, makeCard({ id: 'c' })))
    expect(encodedFor).toEqual([null, 'me', null])
  })

  it('an own write made while the server’s update is observed is still handed on', () => {
    const { doc, heard, fromServer } = setup()
    doc.getMap('probe').observe((_e, tr) => {
      if (tr.origin === SERVER) doc.getMap('echo').set('seen', true)
    })
    fromServer((d) => d.getMap('probe').set('a', 1))
    expect(heard).toHaveLength(1)
    expect(heard[0]!.origin).toBeNull()
  })

  it('a quiet origin (the offline cache’s replay) is neither handed on nor encoded', () => {
    const { doc, heard } = setup()
    const CACHE = Symbol('cache')
    localUpdates(doc, SERVER).quiet(CACHE)
    const encoded: unknown[] = []
    doc.on('afterTransactionCleanup', (tr: Y.Transaction) => {
      if ((doc as unknown as { _observers: Map<string, unknown> })._observers.has('update'))
        encoded.push(tr.origin)
    })
    const held = new Y.Doc()
    addCard(held, makeCard({ id: 'cached' }))
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(held), CACHE)
    doc.transact(() => addCard(doc, makeCard({ id: 'mine' })), 'me')
    expect(
      listCards(doc)
        .map((c) => c.id)
        .sort(),
    ).toEqual(['cached', 'mine'])
    expect(heard.map((h) => h.origin)).toEqual(['me'])
    expect(encoded).toEqual(['me'])
  })

  it('one gate per doc; after the last listener goes nothing is encoded', () => {
    const doc = new Y.Doc()
    const fn = () => {}
    expect(localUpdates(doc, SERVER)).toBe(localUpdates(doc, SERVER))
    localUpdates(doc, SERVER).on(fn)
    localUpdates(doc, SERVER).off(fn)
    doc.getMap('m').set('k', 1)
    expect((doc as unknown as { _observers: Map<string, unknown> })._observers.has('update')).toBe(
      false,
    )
  })

  it('changedAnything tells an empty transaction from one that wrote', () => {
    const doc = new Y.Doc()
    const seen: boolean[] = []
    doc.on('afterTransaction', (tr: Y.Transaction) => seen.push(changedAnything(tr)))
    doc.transact(() => {})
    doc.getMap('m').set('k', 1)
    doc.getMap('m').delete('k')
    expect(seen).toEqual([false, true, true])
  })
})
