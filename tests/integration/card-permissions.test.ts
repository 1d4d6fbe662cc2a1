/**
 * Permissions that fit a meeting, enforced by the server (issue #14 point 4). A crafted client
 * (a raw socket with hand-built Yjs updates, not the app, which hides these controls) tries what
 * the board policy forbids; the committed state is read three ways (fresh client, export, after a
 * restart). The setting is the workshop row's, changed through the settings route.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { API, HISTORY_API, RestoreCardResponse } from '../../shared/api.ts'
import { type Credential, DocName, roomName } from '../../shared/protocol.ts'
import {
  CardEditScope,
  addCard,
  boardRoot,
  cardBody,
  deleteCard,
  listCards,
  listTrash,
  moveCard,
  readMeta,
} from '../../shared/schema.ts'
import { listPrinciples, writePrinciple } from '../../shared/tasks.ts'
import { plainText } from '../../shared/richtext.ts'
import {
  createWorkshop,
  joinTable,
  lookup,
  setBoardPolicy,
  startTestServer,
} from '../helpers/server.ts'
import { connectClient, live, saved } from '../helpers/clients.ts'
import { useCleanups } from '../helpers/lifecycle.ts'
import { WirePeer } from '../helpers/wire-peer.ts'
import { committedBoards } from '../helpers/committed.ts'
import { bearerFetch } from '../helpers/scenario.ts'
import { makeCard } from '../fixtures/builders.ts'

const track = useCleanups()

type Server = Awaited<ReturnType<typeof startTestServer>>

async function setup() {
  const at: { server: Server } = { server: await startTestServer() }
  track(() => at.server.close())
  const ws = await createWorkshop(at.server.url, 'Leertuin Participatie')
  const info = await lookup(at.server.url, ws.joinCode)
  const fac = connectClient(at.server.wsUrl, ws.id, { kind: 'facilitator', key: ws.facilitatorKey })
  track(() => fac.destroy())
  await live(fac)
  const boardUrl = () => `${at.server.wsUrl}/${roomName(ws.id, DocName.Board)}`
  /** A participant at table `table` on a raw socket holding the server's state. */
  const crafted = async (name: string, table: number) => {
    const p = await joinTable(at.server.url, ws.joinCode, name, info.tables[table]!.id)
    const credential: Credential = { kind: 'participant', token: p.token }
    const peer = await WirePeer.synced(boardUrl(), credential)
    track(() => peer.close())
    return { ...p, peer, tableId: info.tables[table]!.id }
  }
  /** A card written by that participant itself, acked. */
  const ownCard = async (who: Awaited<ReturnType<typeof crafted>>, id: string, text: string) => {
    who.peer.edit((d) =>
      addCard(d, makeCard({ id, table: who.tableId, author: who.participantId, text })),
    )
    expect(await who.peer.ackOrRefusal(who.peer.barrier(), who.peer.notices.length)).toBe('acked')
  }
  /**
   * Sends one crafted edit on a fresh socket of that participant (a socket that met a refusal is
   * never acked again) and waits until it is acked or refused.
   */
  const attempt = async (who: { token: string }, fn: (d: Y.Doc) => void) => {
    const peer = await WirePeer.synced(boardUrl(), { kind: 'participant', token: who.token })
    track(() => peer.close())
    peer.edit(fn)
    const outcome = await peer.ackOrRefusal(peer.barrier())
    await peer.close()
    return { outcome, roots: peer.notices.map((n) => `${n.code}:${n.message}`) }
  }
  const committed = async () => {
    fac.disconnect()
    const { views, restarted } = await committedBoards(at.server, ws)
    at.server = restarted
    return views
  }
  const policy = (p: Parameters<typeof setBoardPolicy>[2]) => setBoardPolicy(at.server.url, ws, p)
  return { at, ws, info, fac, crafted, ownCard, attempt, committed, policy }
}

const perView = <T>(views: Record<string, Y.Doc>, read: (doc: Y.Doc) => T) =>
  Object.fromEntries(Object.entries(views).map(([name, doc]) => [name, read(doc)]))
const sameInEveryView = <T>(views: Record<string, Y.Doc>, expected: T) =>
  Object.fromEntries(Object.keys(views).map((name) => [name, expected]))

const textOf = (d: Y.Doc, id: string) => (cardBody(d, id) ? plainText(cardBody(d, id)!) : 'absent')
const tableOf = (d: Y.Doc, id: string) => listCards(d).find((c) => c.id === id)?.table ?? 'absent'
function prepend(d: Y.Doc, id: string, text: string) {
  const p = cardBody(d, id)!.get(0) as Y.XmlElement
  ;(p.get(0) as Y.XmlText).insert(0, text)
}

describe('who may change cards is enforced by the server (issue #14)', () => {
  it("own table (the default): another table's card is refused whatever the edit; the table's cards, one's own and new cards are not", async () => {
    const s = await setup()
    const eve = await s.crafted('Eve', 0)
    const bram = await s.crafted('Bram', 0)
    const carla = await s.crafted('Carla', 1)
    await s.ownCard(bram, 'card-bram', 'Kaart van Bram')
    await s.ownCard(carla, 'card-carla', 'Kaart van Carla')

    const results = {
      typeInto: await s.attempt(eve, (d) => prepend(d, 'card-carla', 'Gekaapt: ')),
      moveAway: await s.attempt(eve, (d) =>
        moveCard(d, 'card-carla', { x: 10, y: 10, table: eve.tableId }),
      ),
      remove: await s.attempt(eve, (d) => deleteCard(d, 'card-carla')),
    }
    const refused = { outcome: 'refused', roots: ['FORBIDDEN:cards'] }
    expect(results).toEqual({ typeInto: refused, moveAway: refused, remove: refused })
    const allowed = {
      tableMate: await s.attempt(eve, (d) => prepend(d, 'card-bram', 'Samen: ')),
      // a new card is one's own, at any table: it changes nobody else's work
      newAtOtherTable: await s.attempt(eve, (d) =>
        addCard(d, makeCard({ id: 'card-eve-b', table: carla.tableId, author: eve.participantId })),
      ),
      ownNew: await s.attempt(eve, (d) =>
        addCard(
          d,
          makeCard({
            id: 'card-eve',
            table: eve.tableId,
            author: eve.participantId,
            text: 'Kaart van Eve',
          }),
        ),
      ),
    }
    const acked = { outcome: 'acked', roots: [] }
    expect(allowed).toEqual({ tableMate: acked, newAtOtherTable: acked, ownNew: acked })

    const views = await s.committed()
    expect(
      perView(views, (d) => ({
        carla: [textOf(d, 'card-carla'), tableOf(d, 'card-carla')],
        bram: textOf(d, 'card-bram'),
        eve: tableOf(d, 'card-eve'),
        eveAtOtherTable: tableOf(d, 'card-eve-b'),
      })),
    ).toEqual(
      sameInEveryView(views, {
        carla: ['Kaart van Carla', carla.tableId],
        bram: 'Samen: Kaart van Bram',
        eve: eve.tableId,
        eveAtOtherTable: carla.tableId,
      }),
    )
  })

  it('a refusal is precise: one update with an own card and an edit of a forbidden card lands the own card only', async () => {
    const s = await setup()
    const eve = await s.crafted('Eve', 0)
    const carla = await s.crafted('Carla', 1)
    await s.ownCard(carla, 'card-carla', 'Kaart van Carla')
    const result = await s.attempt(eve, (d) => {
      addCard(
        d,
        makeCard({
          id: 'card-eve',
          table: eve.tableId,
          author: eve.participantId,
          text: 'Kaart van Eve',
        }),
      )
      prepend(d, 'card-carla', 'Gekaapt: ')
    })
    expect(result).toEqual({ outcome: 'refused', roots: ['FORBIDDEN:cards'] })
    const views = await s.committed()
    expect(perView(views, (d) => [textOf(d, 'card-eve'), textOf(d, 'card-carla')])).toEqual(
      sameInEveryView(views, ['Kaart van Eve', 'Kaart van Carla']),
    )
  })

  it('everyone: after the facilitator opens the cards, the same crafted edit of another table is saved', async () => {
    const s = await setup()
    const carla = await s.crafted('Carla', 1)
    await s.ownCard(carla, 'card-carla', 'Kaart van Carla')
    await s.policy({ cardScope: CardEditScope.Everyone })
    const eve = await s.crafted('Eve', 0)
    const result = await s.attempt(eve, (d) => {
      prepend(d, 'card-carla', 'Samen: ')
      moveCard(d, 'card-carla', { x: 10, y: 10, table: eve.tableId })
    })
    expect(result).toEqual({ outcome: 'acked', roots: [] })
    const views = await s.committed()
    expect(perView(views, (d) => [textOf(d, 'card-carla'), tableOf(d, 'card-carla')])).toEqual(
      sameInEveryView(views, ['Samen: Kaart van Carla', eve.tableId]),
    )
  })

  it("own cards only: a table-mate's card is refused, one's own is saved", async () => {
    const s = await setup()
    await s.policy({ cardScope: CardEditScope.OwnCards })
    const eve = await s.crafted('Eve', 0)
    const bram = await s.crafted('Bram', 0)
    await s.ownCard(bram, 'card-bram', 'Kaart van Bram')
    await s.ownCard(eve, 'card-eve', 'Kaart van Eve')
    expect(await s.attempt(eve, (d) => prepend(d, 'card-eve', 'Mijn: '))).toEqual({
      outcome: 'acked',
      roots: [],
    })
    expect(await s.attempt(eve, (d) => deleteCard(d, 'card-bram'))).toEqual({
      outcome: 'refused',
      roots: ['FORBIDDEN:cards'],
    })
    const views = await s.committed()
    expect(perView(views, (d) => [textOf(d, 'card-eve'), textOf(d, 'card-bram')])).toEqual(
      sameInEveryView(views, ['Mijn: Kaart van Eve', 'Kaart van Bram']),
    )
  })

  it('statement and principles: refused while closed (the default), saved once the facilitator opens them', async () => {
    const s = await setup()
    const eve = await s.crafted('Eve', 0)
    const write = (text: string) => (d: Y.Doc) =>
      writePrinciple(d, { id: `pr-${text}`, text, order: 1 })
    expect(await s.attempt(eve, write('Dicht'))).toEqual({
      outcome: 'refused',
      roots: ['FORBIDDEN:principles'],
    })
    await s.policy({ sharedTextOpen: true })
    expect(await s.attempt(eve, write('Open'))).toEqual({ outcome: 'acked', roots: [] })
    expect(readMeta(s.fac.board)?.sharedTextOpen).toBe(true)
    const views = await s.committed()
    expect(perView(views, (d) => listPrinciples(d).map((p) => p.text))).toEqual(
      sameInEveryView(views, ['Open']),
    )
  })

  it('a deleted card goes to the trash, and the facilitator puts it back with its author and text', async () => {
    const s = await setup()
    const eve = await s.crafted('Eve', 0)
    const bram = await s.crafted('Bram', 0)
    await s.ownCard(bram, 'card-bram', 'Kaart van Bram')
    expect(await s.attempt(eve, (d) => deleteCard(d, 'card-bram'))).toEqual({
      outcome: 'acked',
      roots: [],
    })
    await eve.peer.waitFor('the trash reaches Eve', () => listTrash(eve.peer.doc).length === 1)
    expect(listTrash(eve.peer.doc)[0]).toMatchObject({
      id: 'card-bram',
      author: bram.participantId,
      deletedBy: eve.participantId,
    })

    const asParticipant = await bearerFetch(s.at.server.url, eve.token)(
      'POST',
      API.restoreCard(s.ws.id, 'card-bram'),
      {},
    )
    expect(asParticipant.status).toBe(403)
    const res = await bearerFetch(s.at.server.url, s.ws.facilitatorKey)(
      'POST',
      API.restoreCard(s.ws.id, 'card-bram'),
      {},
    )
    expect(res.status).toBe(200)
    expect(RestoreCardResponse.parse(await res.json())).toEqual({ restored: 'card-bram' })
    const again = await bearerFetch(s.at.server.url, s.ws.facilitatorKey)(
      'POST',
      API.restoreCard(s.ws.id, 'card-bram'),
      {},
    )
    expect(again.status).toBe(404)
    await saved(s.fac)

    const views = await s.committed()
    expect(
      perView(views, (d) => ({
        text: textOf(d, 'card-bram'),
        author: listCards(d).find((c) => c.id === 'card-bram')?.author,
        trash: boardRoot(d).trash.size,
      })),
    ).toEqual(
      sameInEveryView(views, { text: 'Kaart van Bram', author: bram.participantId, trash: 0 }),
    )
  })

  it("undoing one's deletion of someone else's card brings it back as theirs; a crafted re-add with that id does not", async () => {
    const s = await setup()
    const eve = await s.crafted('Eve', 0)
    const bram = await s.crafted('Bram', 0)
    const carla = await s.crafted('Carla', 0)
    await s.ownCard(bram, 'card-bram', 'Kaart van Bram')
    await s.ownCard(bram, 'card-bram-2', 'Tweede kaart van Bram')
    // Eve's own undo, as the board's: her delete is one step, and undoing it re-adds the card
    const um = new Y.UndoManager(boardRoot(eve.peer.doc).cards, { trackedOrigins: new Set([null]) })
    eve.peer.edit((d) => deleteCard(d, 'card-bram'))
    expect(await eve.peer.ackOrRefusal(eve.peer.barrier(), eve.peer.notices.length)).toBe('acked')
    await eve.peer.waitFor('the trash reaches Eve', () => listTrash(eve.peer.doc).length === 1)
    eve.peer.edit(() => um.undo())
    expect(await eve.peer.ackOrRefusal(eve.peer.barrier(), eve.peer.notices.length)).toBe('acked')
    await eve.peer.waitFor('the trash empties', () => listTrash(eve.peer.doc).length === 0)

    // Carla did not delete the other card: a card she writes under its id is hers
    eve.peer.edit((d) => deleteCard(d, 'card-bram-2'))
    expect(await eve.peer.ackOrRefusal(eve.peer.barrier(), eve.peer.notices.length)).toBe('acked')
    await carla.peer.waitFor(
      'the trash reaches Carla',
      () => listTrash(carla.peer.doc).length === 1,
    )
    carla.peer.edit((d) =>
      addCard(
        d,
        makeCard({
          id: 'card-bram-2',
          table: carla.tableId,
          author: bram.participantId,
          text: 'Nep',
        }),
      ),
    )
    expect(await carla.peer.ackOrRefusal(carla.peer.barrier(), carla.peer.notices.length)).toBe(
      'acked',
    )

    const views = await s.committed()
    const authorOf = (d: Y.Doc, id: string) => listCards(d).find((c) => c.id === id)?.author
    expect(
      perView(views, (d) => ({
        undone: { text: textOf(d, 'card-bram'), author: authorOf(d, 'card-bram') },
        crafted: authorOf(d, 'card-bram-2'),
      })),
    ).toEqual(
      sameInEveryView(views, {
        undone: { text: 'Kaart van Bram', author: bram.participantId },
        crafted: carla.participantId,
      }),
    )
  })

  it("restoring a snapshot keeps the board policy the row holds (the snapshot's meta is older)", async () => {
    const s = await setup()
    const api = bearerFetch(s.at.server.url, s.ws.facilitatorKey)
    const snap = (await (
      await api('POST', HISTORY_API.snapshots(s.ws.id), { label: 'voor' })
    ).json()) as { id: string }
    await s.policy({ cardScope: CardEditScope.OwnCards, sharedTextOpen: true })
    expect((await api('POST', HISTORY_API.restore(s.ws.id, snap.id), {})).status).toBe(200)
    await saved(s.fac)
    const views = await s.committed()
    expect(perView(views, (d) => [readMeta(d)?.cardScope, readMeta(d)?.sharedTextOpen])).toEqual(
      sameInEveryView(views, [CardEditScope.OwnCards, true]),
    )
  })
})
