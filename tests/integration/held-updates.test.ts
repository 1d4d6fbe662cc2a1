/**
 * An update whose dependencies have not arrived waits for them (issue #13, "What must be true"):
 * bounded in time (heldDeadlineMs) and in size (MAX_HELD_BYTES per socket). Past either bound it is
 * refused with a FORBIDDEN notice naming no root, and never acked or stored. That it is saved when
 * the dependencies do come is write-trust.test.ts [F14].
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { type Credential, DocName, ErrorCode, roomName } from '../../shared/protocol.ts'
import { MAX_HELD_BYTES } from '../../shared/limits.ts'
import { addCard, cardBody, cardMap } from '../../shared/schema.ts'
import { UNKNOWN_ROOT } from '../../server/relay/write-guard.ts'
import { createWorkshop, joinTable, lookup, startTestServer } from '../helpers/server.ts'
import { useCleanups } from '../helpers/lifecycle.ts'
import { WirePeer } from '../helpers/wire-peer.ts'
import { makeCard } from '../fixtures/builders.ts'

const track = useCleanups()

async function setup(heldDeadlineMs: number) {
  const server = await startTestServer({ heldDeadlineMs })
  track(() => server.close())
  const ws = await createWorkshop(server.url)
  const info = await lookup(server.url, ws.joinCode)
  const tableId = info.tables[0]!.id
  const p = await joinTable(server.url, ws.joinCode, 'Eve', tableId)
  const credential: Credential = { kind: 'participant', token: p.token }
  const peer = await WirePeer.synced(
    `${server.wsUrl}/${roomName(ws.id, DocName.Board)}`,
    credential,
  )
  track(() => peer.close())
  // a card the server never gets: everything typed into it waits for it
  peer.offline((d) =>
    addCard(
      d,
      makeCard({ id: 'card-never-sent', table: tableId, author: p.participantId, text: 'x' }),
    ),
  )
  const typing = (chars: number) =>
    peer.offline((d) => {
      const text = (cardBody(d, 'card-never-sent')!.get(0) as Y.XmlElement).get(0) as Y.XmlText
      text.insert(text.length, 'a'.repeat(chars))
    })
  /** What of the peer's writes the server's doc holds: the card, and the peer's client clock. */
  const onServer = () => {
    const doc = server.rooms.get(ws.id, DocName.Board)!.doc
    return {
      card: cardMap(doc, 'card-never-sent'),
      clock: Y.getState(doc.store, peer.doc.clientID),
    }
  }
  return { peer, typing, onServer }
}

describe('an update that waits for its dependencies is bounded', () => {
  it('in time: past the deadline it is refused, never acked and never applied', async () => {
    const deadlineMs = 300
    const { peer, typing, onServer } = await setup(deadlineMs)
    const sentAt = performance.now()
    peer.sendUpdate(typing(20))
    const outcome = await peer.ackOrRefusal(peer.barrier())
    const waitedMs = performance.now() - sentAt
    expect({ outcome, notices: peer.notices }).toEqual({
      outcome: 'refused',
      // nothing before it on this socket had a barrier: it came after none
      notices: [{ code: ErrorCode.Forbidden, message: UNKNOWN_ROOT, after: 0 }],
    })
    // it waited for its dependencies first (timers may fire a little early, never much)
    expect(waitedMs).toBeGreaterThanOrEqual(deadlineMs - 50)
    await peer.roundTrip()
    expect(peer.acks).toEqual([])
    expect(onServer()).toEqual({ card: null, clock: 0 })
  })

  it(`in size: more than ${MAX_HELD_BYTES} bytes waiting on one socket are refused at once, long before the deadline`, async () => {
    const { peer, typing, onServer } = await setup(60_000)
    const chunk = 300 * 1024
    const count = Math.ceil(MAX_HELD_BYTES / chunk) + 1
    for (let i = 0; i < count; i++) peer.sendUpdate(typing(chunk))
    const outcome = await peer.ackOrRefusal(peer.barrier())
    expect({ outcome, notices: peer.notices }).toEqual({
      outcome: 'refused',
      // nothing before it on this socket had a barrier: it came after none
      notices: [{ code: ErrorCode.Forbidden, message: UNKNOWN_ROOT, after: 0 }],
    })
    expect(onServer()).toEqual({ card: null, clock: 0 })
  })
})
