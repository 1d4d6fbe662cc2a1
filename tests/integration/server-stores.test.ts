/**
 * The whole server as `npm start` runs it, on each store (issue #12): SQLite on its own thread
 * (the default) and PostgreSQL (STORE=postgres, DATABASE_URL). One meeting: create, join, co-edit
 * with real y-websocket clients, wait for the durable ack, kill -9 the server, start it again on
 * the same data, and every acked edit is back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WorkshopConnection } from '../../client/sync/connection.ts'
import { HISTORY_API } from '../../shared/api.ts'
import { addCard, listCards } from '../../shared/schema.ts'
import {
  createWorkshop,
  joinTable,
  lookup,
  startChildServer,
  tempDir,
  type ChildServer,
} from '../helpers/server.ts'
import { connectClient, live, saved } from '../helpers/clients.ts'
import { bearerFetch } from '../helpers/scenario.ts'
import { type TestPostgres, startPostgres } from '../helpers/postgres.ts'
import { until } from '../helpers/wait.ts'
import { useCleanups } from '../helpers/lifecycle.ts'
import { makeCard } from '../fixtures/builders.ts'

const track = useCleanups()

let pg: TestPostgres
beforeAll(async () => {
  pg = await startPostgres()
}, 60_000)
afterAll(async () => {
  await pg?.stop()
})

const STORES: Record<string, () => Record<string, string>> = {
  'SQLite on its own thread (the default)': () => ({}),
  PostgreSQL: () => ({
    STORE: 'postgres',
    DATABASE_URL: pg.url,
    DATABASE_SCHEMA: pg.schema('srv'),
  }),
}

describe.each(Object.keys(STORES))('npm start on %s', (kind) => {
  it('holds a meeting, acks edits as on disk, and has them back after kill -9 and a restart', async () => {
    const env = STORES[kind]!()
    const dataDir = tempDir()
    const start = async () => {
      const s = await startChildServer(dataDir, 0, env)
      track(() => s.kill())
      return s
    }
    const client = (
      s: ChildServer,
      id: string,
      credential: Parameters<typeof connectClient>[2],
    ) => {
      const c = connectClient(s.wsUrl, id, credential)
      track(() => c.destroy())
      return c
    }
    const first = await start()
    const ws = await createWorkshop(first.url)
    const info = await lookup(first.url, ws.joinCode)
    const table = info.tables[0]!.id
    const p = await joinTable(first.url, ws.joinCode, 'Bram', table)
    const fac = client(first, ws.id, { kind: 'facilitator', key: ws.facilitatorKey })
    const bram = client(first, ws.id, { kind: 'participant', token: p.token })
    await Promise.all([live(fac), live(bram)])

    const ids = (c: WorkshopConnection) => new Set(listCards(c.board).map((card) => card.id))
    for (let i = 0; i < 5; i++) {
      addCard(fac.board, makeCard({ id: `fac-${i}`, table, text: `facilitator ${i}` }))
      addCard(bram.board, makeCard({ id: `bram-${i}`, table, text: `Bram ${i}` }))
    }
    await Promise.all([saved(fac), saved(bram)])
    // each sees the other's cards: committed, then relayed
    await until(
      'co-edited',
      [
        [fac, 'change'],
        [bram, 'change'],
        [fac.board, 'update'],
        [bram.board, 'update'],
      ],
      () => ['fac-4', 'bram-4'].every((id) => ids(fac).has(id) && ids(bram).has(id)),
    )
    // the heavy routes read this store too
    const report = await bearerFetch(first.url, ws.facilitatorKey)('GET', HISTORY_API.report(ws.id))
    expect(report.status).toBe(200)
    expect(await report.text()).toContain('Leertuin Participatie')

    // acked means on disk: nothing is flushed on the way out
    await first.kill('SIGKILL')
    fac.destroy()
    bram.destroy()

    const second = await start()
    const back = client(second, ws.id, { kind: 'participant', token: p.token })
    await live(back)
    const expected = [0, 1, 2, 3, 4].flatMap((i) => [`fac-${i}`, `bram-${i}`])
    expect([...ids(back)].filter((id) => expected.includes(id)).sort()).toEqual(expected.sort())
    // and the workshop goes on: a new edit is acked by the restarted server
    addCard(back.board, makeCard({ id: 'after-restart', table, text: 'daarna' }))
    await saved(back)
    await second.kill('SIGTERM')
    const third = await start()
    const last = client(third, ws.id, { kind: 'facilitator', key: ws.facilitatorKey })
    await live(last)
    expect(ids(last).has('after-restart')).toBe(true)
  }, 60_000)
})
