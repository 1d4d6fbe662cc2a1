/**
 * Offline edits merge: four clients add, move, delete and type into cards while dropping off and
 * coming back at random. In the end they hold the same state, and so does the server after a
 * restart from its files.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { WorkshopConnection } from '../../client/sync/connection.ts'
import { CardEditScope, listCards, cardBody } from '../../shared/schema.ts'
import { plainText } from '../../shared/richtext.ts'
import {
  createWorkshop,
  joinTable,
  lookup,
  setBoardPolicy,
  startTestServer,
} from '../helpers/server.ts'
import { connectClient, live } from '../helpers/clients.ts'
import { until } from '../helpers/wait.ts'
import { useCleanups } from '../helpers/lifecycle.ts'
import { randomCardEdit, typeInto } from './frames.ts'
import { withSeed } from './rng.ts'

const track = useCleanups()

const CLIENTS = 4
const STEPS = 1_500

/** What must be equal everywhere: cards with their fields and body text. */
function view(doc: Y.Doc) {
  return listCards(doc).map((c) => ({
    ...c,
    body: plainText(cardBody(doc, c.id) ?? new Y.XmlFragment()),
  }))
}

describe('offline edits merge', () => {
  it(`${CLIENTS} clients with random edits and disconnects converge, also after a server restart`, async () => {
    await withSeed('offline-merge', async (rng) => {
      const server = await startTestServer()
      let closed = false
      track(() => (closed ? undefined : server.close()))
      const ws = await createWorkshop(server.url)
      // everyone edits every card here: a board open to everyone (the default is own table,
      // whose refusals are tested in tests/integration/card-permissions.test.ts)
      await setBoardPolicy(server.url, ws, { cardScope: CardEditScope.Everyone })
      const info = await lookup(server.url, ws.joinCode)
      const tables = info.tables.map((t) => t.id)
      const clients: WorkshopConnection[] = []
      for (let i = 0; i < CLIENTS; i++) {
        const p = await joinTable(
          server.url,
          ws.joinCode,
          `Deelnemer ${i}`,
          tables[i % tables.length]!,
        )
        const c = connectClient(server.wsUrl, ws.id, { kind: 'participant', token: p.token })
        track(() => c.destroy())
        clients.push(c)
      }
      await Promise.all(clients.map(live))
      const online = clients.map(() => true)
      const counts = { edits: 0, disconnects: 0, reconnects: 0, typing: 0 }
      for (let step = 0; step < STEPS; step++) {
        const i = rng.int(CLIENTS)
        const c = clients[i]!
        const roll = rng.int(100)
        if (roll < 4 && online[i]) {
          c.disconnect()
          online[i] = false
          counts.disconnects++
        } else if (roll < 10 && !online[i]) {
          c.connect()
          online[i] = true
          counts.reconnects++
        } else if (roll < 25) {
          // type into a card someone else may be editing or deleting right now
          const cards = listCards(c.board)
          if (cards.length) typeInto(rng, cardBody(c.board, rng.pick(cards).id))
          counts.typing++
        } else {
          randomCardEdit(rng, c.board, `c${i}-`, tables)
          counts.edits++
        }
        // let the network deliver now and then, so edits interleave with syncs mid-flight
        if (rng.bool(0.2)) await new Promise((resolve) => setImmediate(resolve))
      }
      for (const [i, c] of clients.entries()) if (!online[i]) c.connect()
      const sv = (d: Y.Doc) => Buffer.from(Y.encodeStateVector(d)).toString('hex')
      await until(
        'all clients live, saved and at the same state',
        clients.flatMap(
          (c) =>
            [
              [c, 'change'],
              [c.board, 'update'],
            ] as [WorkshopConnection | Y.Doc, string][],
        ),
        () =>
          clients.every((c) => c.status.kind === 'live' && c.status.saved) &&
          clients.every((c) => sv(c.board) === sv(clients[0]!.board)),
        20_000,
      )
      const expected = view(clients[0]!.board)
      for (const c of clients) expect(view(c.board)).toEqual(expected)
      expect(expected.length).toBeGreaterThan(0)

      // the server's files hold the same state: restart from them and read with a fresh client
      const { dataDir } = server
      const state = sv(clients[0]!.board)
      for (const c of clients) c.destroy()
      await server.close()
      closed = true
      const again = await startTestServer({ dataDir })
      track(() => again.close())
      const reader = connectClient(again.wsUrl, ws.id, {
        kind: 'facilitator',
        key: ws.facilitatorKey,
      })
      track(() => reader.destroy())
      await live(reader)
      expect(sv(reader.board)).toBe(state)
      expect(view(reader.board)).toEqual(expected)
      console.log(
        `[offline-merge] ${counts.edits} card edits, ${counts.typing} typing bursts, ${counts.disconnects} disconnects, ` +
          `${counts.reconnects} reconnects; ${expected.length} cards converged, restart equal`,
      )
    })
  }, 90_000)
})
