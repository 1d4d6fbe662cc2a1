import { describe, expect, it } from 'vitest'
import path from 'node:path'
import Database from 'better-sqlite3'
import * as Y from 'yjs'
import type { WorkshopConnection } from '../../client/sync/connection.ts'
import {
  Anonymity,
  CardEditScope,
  addCard,
  boardRoot,
  cardBody,
  listCards,
  listTables,
  moveCard,
} from '../../shared/schema.ts'
import { plainText } from '../../shared/richtext.ts'
import {
  createWorkshop,
  joinTable,
  lookup,
  setBoardPolicy,
  startTestServer,
} from '../helpers/server.ts'
import { connectClient, live, saved } from '../helpers/clients.ts'
import { nextEvent, until } from '../helpers/wait.ts'
import { ErrorCode, DocName } from '../../shared/protocol.ts'
import { openSqliteStore } from '../../server/store/sqlite.ts'
import { applyStored } from '../../server/store/store.ts'
import { useCleanups } from '../helpers/lifecycle.ts'

const track = useCleanups()

const presenceUser = (x: WorkshopConnection, clientId: number) =>
  (
    x.awareness.getStates().get(clientId) as
      { user?: { name?: string; table?: string | null } } | undefined
  )?.user

async function setup(
  participants: number,
  anonymity?: Anonymity,
  serverOpts?: Parameters<typeof startTestServer>[0],
) {
  const server = await startTestServer(serverOpts)
  track(() => server.close())
  const ws = await createWorkshop(server.url, undefined, anonymity)
  const info = await lookup(server.url, ws.joinCode)
  const clients: WorkshopConnection[] = []
  for (let i = 0; i < participants; i++) {
    const table = info.tables[i % info.tables.length]!
    const p = await joinTable(server.url, ws.joinCode, `Deelnemer ${i + 1}`, table.id)
    const c = connectClient(server.wsUrl, ws.id, { kind: 'participant', token: p.token })
    track(() => c.destroy())
    clients.push(c)
  }
  await Promise.all(clients.map(live))
  return { server, ws, info, clients }
}

describe('relay sync between real y-websocket clients', () => {
  it('a new participant receives the template: three tables and the question', async () => {
    const { clients } = await setup(1)
    const tables = listTables(clients[0]!.board)
    expect(tables.map((t) => t.perspective)).toEqual(['inwoner', 'management', 'openbaar-bestuur'])
  })

  it('cards added, moved and deleted on one client converge on three others', async () => {
    const { clients, info, server, ws } = await setup(4)
    // c moves a's card to another table: a board open to everyone (the default is own table)
    await setBoardPolicy(server.url, ws, { cardScope: CardEditScope.Everyone })
    const [a, b, c, d] = clients as [
      WorkshopConnection,
      WorkshopConnection,
      WorkshopConnection,
      WorkshopConnection,
    ]
    const inwoner = info.tables[0]!
    addCard(a.board, {
      id: 'card-a',
      kind: 'vision',
      table: inwoner.id,
      x: 10,
      y: 100,
      w: 220,
      h: 140,
      author: 'p1',
      created: 1,
      text: 'Eén loket',
    })
    addCard(b.board, {
      id: 'card-b',
      kind: 'need',
      table: inwoner.id,
      x: 300,
      y: 100,
      w: 220,
      h: 140,
      author: 'p2',
      created: 2,
    })
    await until(
      'all see two cards',
      clients.map((x) => [x.board, 'update'] as [Y.Doc, string]),
      () => clients.every((x) => listCards(x.board).length === 2),
    )
    moveCard(c.board, 'card-a', { x: 900, y: 120, table: info.tables[1]!.id })
    boardRoot(d.board).cards.delete('card-b')
    await until(
      'all converge',
      clients.map((x) => [x.board, 'update'] as [Y.Doc, string]),
      () =>
        clients.every((x) => {
          const cards = listCards(x.board)
          return cards.length === 1 && cards[0]!.x === 900 && cards[0]!.table === info.tables[1]!.id
        }),
    )
    const states = clients.map((x) => Y.encodeStateVector(x.board).toString())
    expect(new Set(states).size).toBe(1)
    expect(plainText(cardBody(b.board, 'card-a')!)).toBe('Eén loket')
  })

  it('concurrent rich-text edits in one card body converge to the same text', async () => {
    const { clients, info, server, ws } = await setup(2)
    // b sits at another table: a board open to everyone (the default is own table)
    await setBoardPolicy(server.url, ws, { cardScope: CardEditScope.Everyone })
    const [a, b] = clients as [WorkshopConnection, WorkshopConnection]
    addCard(a.board, {
      id: 'c1',
      kind: 'vision',
      table: info.tables[0]!.id,
      x: 0,
      y: 0,
      w: 220,
      h: 140,
      author: 'p1',
      created: 1,
      text: 'Over 5 jaar',
    })
    await until(
      'b has card',
      [[b.board, 'update']],
      () =>
        cardBody(b.board, 'c1') !== null && plainText(cardBody(b.board, 'c1')!) === 'Over 5 jaar',
    )
    const textA = cardBody(a.board, 'c1')!.get(0) as Y.XmlElement
    const textB = cardBody(b.board, 'c1')!.get(0) as Y.XmlElement
    ;(textA.get(0) as Y.XmlText).insert(0, '[A] ')
    ;(textB.get(0) as Y.XmlText).insert(11, ' [B]')
    const expected = (doc: Y.Doc) => plainText(cardBody(doc, 'c1')!)
    await until(
      'texts converge',
      [
        [a.board, 'update'],
        [b.board, 'update'],
      ],
      () =>
        expected(a.board) === expected(b.board) &&
        expected(a.board).includes('[A]') &&
        expected(a.board).includes('[B]'),
    )
    expect(expected(a.board)).toBe('[A] Over 5 jaar [B]')
  })

  it('awareness (presence) of one client reaches the others and leaves when it disconnects', async () => {
    const { clients } = await setup(3, Anonymity.Named)
    const [a, b, c] = clients as [WorkshopConnection, WorkshopConnection, WorkshopConnection]
    a.awareness.setLocalStateField('user', { name: 'Deelnemer 1', color: '#1b6e3c' })
    const seesA = (x: WorkshopConnection) =>
      presenceUser(x, a.awareness.clientID)?.name === 'Deelnemer 1'
    await until(
      'b and c see a',
      [
        [b.awareness, 'change'],
        [c.awareness, 'change'],
      ],
      () => seesA(b) && seesA(c),
    )
    a.destroy()
    await until(
      'a gone for b',
      [[b.awareness, 'change']],
      () => presenceUser(b, a.awareness.clientID) === undefined,
    )
  })

  it("others see a participant's presence as the workshop's anonymity allows, whatever it claims", async () => {
    const seen: Record<string, unknown> = {}
    for (const anonymity of [Anonymity.Named, Anonymity.Table, Anonymity.Anonymous]) {
      const { clients, info } = await setup(2, anonymity)
      const [a, b] = clients as [WorkshopConnection, WorkshopConnection]
      // a joined the first table as "Deelnemer 1" but claims another name and table
      a.awareness.setLocalStateField('user', {
        name: 'Burgemeester',
        color: '#1b6e3c',
        table: info.tables[2]!.id,
      })
      await until(
        'b sees a',
        [[b.awareness, 'change']],
        () => presenceUser(b, a.awareness.clientID) !== undefined,
      )
      const user = presenceUser(b, a.awareness.clientID)!
      seen[anonymity] = {
        name: user.name,
        table: user.table === info.tables[0]!.id ? 'joined table' : user.table,
      }
      // a's own view keeps what it typed
      expect(presenceUser(a, a.awareness.clientID)?.name).toBe('Burgemeester')
    }
    expect(seen).toEqual({
      named: { name: 'Deelnemer 1', table: 'joined table' },
      table: { name: '', table: 'joined table' },
      anonymous: { name: '', table: null },
    })
  })

  it('an edit is acknowledged as saved only after the server committed it', async () => {
    // a real full disk makes the commit fail: an ack sent before the commit would go out anyway
    const MAX_PAGES = 120
    const { server, ws, clients, info } = await setup(1, undefined, {
      store: { maxPageCount: MAX_PAGES },
      storageRetryMs: 20,
    })
    const a = clients[0]!
    const filler = new Database(path.join(server.dataDir, 'stip.db'))
    track(() => filler.close())
    filler
      .prepare(
        `INSERT INTO updates (workshop_id, doc, seq, time, participant_id, data) VALUES ('filler', 'board', 1, 0, NULL, ?)`,
      )
      .run(Buffer.alloc(MAX_PAGES * 4096))
    const failed = nextEvent<[{ code: string }]>(
      a,
      'notice',
      (n) => n.code === ErrorCode.StorageFailed,
    )
    addCard(a.board, {
      id: 'c1',
      kind: 'need',
      table: info.tables[2]!.id,
      x: 0,
      y: 0,
      w: 220,
      h: 140,
      author: 'p1',
      created: 1,
      text: 'x'.repeat(20_000),
    })
    const barrier = a.boardLink.tracker.latest
    await failed
    // the server sends the ack, the failed commit and its notice in one turn, on this socket in
    // that order: an ack that preceded the commit has arrived by now
    expect(a.boardLink.tracker.acknowledged).toBeLessThan(barrier)
    expect(a.status).toMatchObject({ kind: 'live', saved: false })

    const recovered = nextEvent<[{ code: string }]>(
      a,
      'notice',
      (n) => n.code === ErrorCode.StorageRecovered,
    )
    filler.prepare(`DELETE FROM updates WHERE workshop_id = 'filler'`).run()
    await recovered
    await saved(a)
    expect(a.boardLink.ackedStateVector.get(a.board.clientID)).toBeGreaterThan(0)
    // what the ack covers is in the file
    const store = openSqliteStore({ dataDir: server.dataDir })
    const onDisk = new Y.Doc()
    applyStored(onDisk, store.loadDoc(ws.id, DocName.Board), null)
    store.close()
    expect(listCards(onDisk).map((c) => c.id)).toEqual(['c1'])
  })
})
