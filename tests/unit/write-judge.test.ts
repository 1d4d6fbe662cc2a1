/**
 * judgeUpdate without sockets: what a writer's update may do to the room's doc (issue #13).
 * Docs are synced by hand with pinned client ids.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import { judgeUpdate, type Writer } from '../../server/relay/write-guard.ts'
import { ClientOwners } from '../../server/relay/client-owners.ts'
import { STAFF } from '../../server/store/store.ts'
import { boardAccess } from '../../shared/permissions.ts'
import { Role } from '../../shared/protocol.ts'
import { addCard, boardRoot, cardMap } from '../../shared/schema.ts'
import { makeCard } from '../fixtures/builders.ts'

const PARTICIPANT = 'participant-aaaa'
const OTHER = 'participant-bbbb'
const writer = (principal: string, role: Role = Role.Participant): Writer => ({
  principal,
  access: (root) => boardAccess(role, root),
  author: role === Role.Participant ? principal : role,
})

function docWith(clientID: number): Y.Doc {
  const doc = new Y.Doc()
  doc.clientID = clientID
  return doc
}

/** The server's doc with one card by the other participant (client 2). */
function serverWithCard() {
  const server = docWith(1)
  const other = docWith(2)
  addCard(other, makeCard({ id: 'theirs', author: OTHER }))
  Y.applyUpdate(server, Y.encodeStateAsUpdate(other))
  const owners = new ClientOwners(new Map([[2, OTHER]]))
  return { server, other, owners }
}

/** A copy of the server's doc writing under the given client id (set after the sync: Yjs picks a new id when a remote update uses its own). */
function copyOf(server: Y.Doc, clientID: number): Y.Doc {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(server))
  doc.clientID = clientID
  return doc
}

/** The update an edit makes, as the provider would send it. */
const changesOf = (doc: Y.Doc, edit: () => void): Uint8Array => {
  let update: Uint8Array | null = null
  const take = (u: Uint8Array) => (update = u)
  doc.once('update', take)
  edit()
  if (!update) throw new Error('the edit changed nothing')
  return update
}

describe('judgeUpdate', () => {
  it('takes a new client id for its first writer and applies its card', () => {
    const { server, owners } = serverWithCard()
    const mine = copyOf(server, 3)
    const update = changesOf(mine, () =>
      addCard(mine, makeCard({ id: 'mine', author: PARTICIPANT })),
    )
    const verdict = judgeUpdate(server, owners, writer(PARTICIPANT), update)
    expect(verdict).toMatchObject({ kind: 'apply', claims: [3], foreign: 0 })
  })

  it("cuts structs under another principal's client id and keeps the writer's own", () => {
    const { server, owners } = serverWithCard()
    const forged = copyOf(server, 2) // writes as the other participant
    const forgedUpdate = changesOf(forged, () => addCard(forged, makeCard({ id: 'forged' })))
    const mine = copyOf(server, 3)
    const own = changesOf(mine, () => addCard(mine, makeCard({ id: 'mine' })))
    const verdict = judgeUpdate(
      server,
      owners,
      writer(PARTICIPANT),
      Y.mergeUpdates([forgedUpdate, own]),
    )
    expect(verdict.kind).toBe('apply')
    if (verdict.kind !== 'apply') return
    expect(verdict.foreign).toBe(1)
    const applied = copyOf(server, 9)
    Y.applyUpdate(applied, verdict.update)
    expect([...boardRoot(applied).cards.keys()].sort()).toEqual(['mine', 'theirs'])
  })

  it('a replay of what the doc holds is nothing, and never a refusal', () => {
    const { server, other, owners } = serverWithCard()
    expect(
      judgeUpdate(server, owners, writer(PARTICIPANT), Y.encodeStateAsUpdate(other)).kind,
    ).toBe('nothing')
    expect(judgeUpdate(server, owners, writer(OTHER), Y.encodeStateAsUpdate(other)).kind).toBe(
      'nothing',
    )
  })

  it('a delete set over clocks the doc does not hold is nothing', () => {
    const { server, owners } = serverWithCard()
    const e = encoding.createEncoder()
    encoding.writeVarUint(e, 0) // no structs
    encoding.writeVarUint(e, 1) // one client in the delete set
    encoding.writeVarUint(e, 2)
    encoding.writeVarUint(e, 1)
    encoding.writeVarUint(e, Y.getState(server.store, 2))
    encoding.writeVarUint(e, 10_000_000)
    expect(judgeUpdate(server, owners, writer(PARTICIPANT), encoding.toUint8Array(e)).kind).toBe(
      'nothing',
    )
  })

  it('an update that builds on edits the server has not received waits', () => {
    const { server, owners } = serverWithCard()
    const mine = copyOf(server, 3)
    addCard(mine, makeCard({ id: 'lost' })) // the server never got this
    const later = changesOf(mine, () => cardMap(mine, 'lost')!.set('x', 42))
    expect(judgeUpdate(server, owners, writer(PARTICIPANT), later).kind).toBe('wait')
  })

  it("an existing card's author never changes; a new card's is stamped, whatever it says", () => {
    const { server, owners } = serverWithCard()
    const mine = copyOf(server, 3)
    const steal = changesOf(mine, () => cardMap(mine, 'theirs')!.set('author', PARTICIPANT))
    expect(judgeUpdate(server, owners, writer(PARTICIPANT), steal)).toEqual({
      kind: 'refuse',
      root: 'cards',
    })

    const fresh = copyOf(server, 4)
    const posing = changesOf(fresh, () => addCard(fresh, makeCard({ id: 'posing', author: OTHER })))
    const verdict = judgeUpdate(server, owners, writer(PARTICIPANT), posing)
    expect(verdict.kind).toBe('apply')
    if (verdict.kind === 'apply') expect(verdict.stampAuthor).toHaveLength(1)
  })

  it('content under an id nobody owns but the doc holds cannot be extended (it predates ownership)', () => {
    const server = docWith(1)
    const old = docWith(5)
    addCard(old, makeCard({ id: 'old' }))
    Y.applyUpdate(server, Y.encodeStateAsUpdate(old))
    const owners = new ClientOwners(new Map())
    const more = changesOf(old, () => addCard(old, makeCard({ id: 'more' })))
    expect(judgeUpdate(server, owners, writer(PARTICIPANT), more)).toEqual({
      kind: 'nothing',
      foreign: 1,
    })
  })

  it('a client id reserved from presence is refused to everyone else', () => {
    const { server, owners } = serverWithCard()
    expect(owners.reserve(7, STAFF)).toBe(true)
    const mine = copyOf(server, 7)
    const update = changesOf(mine, () => addCard(mine, makeCard({ id: 'early' })))
    expect(judgeUpdate(server, owners, writer(PARTICIPANT), update)).toEqual({
      kind: 'nothing',
      foreign: 1,
    })
    expect(judgeUpdate(server, owners, writer(STAFF, Role.Facilitator), update).kind).toBe('apply')
  })
})
