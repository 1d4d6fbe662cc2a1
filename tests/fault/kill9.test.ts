/**
 * kill -9 under load, many times over: the server is a child process, clients keep writing
 * cards, and after every SIGKILL the file on disk must hold every edit the server had
 * acknowledged; after a restart on the same port the clients reconnect by themselves and
 * converge, including the edits they made that were never acked (or made while it was down).
 */
import { describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import type { WorkshopConnection } from '../../client/sync/connection.ts'
import { addCard, listCards } from '../../shared/schema.ts'
import { joinTable, startChildServer, type ChildServer } from '../helpers/server.ts'
import { boardOnDisk, childWorkshop } from '../helpers/child-workshop.ts'
import { connectClient, live } from '../helpers/clients.ts'
import { until } from '../helpers/wait.ts'
import { useCleanups } from '../helpers/lifecycle.ts'
import { withSeed } from './rng.ts'

const track = useCleanups()

const CYCLES = 20
const WRITERS = 3
/** A writer adds a card this often; three of them are far more than a workshop table writes. */
const WRITE_EVERY_MS = 4
const CONVERGE_MS = 20_000

/** Card ids in the board as it is on disk right now (the server must be dead). */
function cardsOnDisk(dataDir: string, workshopId: string): Set<string> {
  const doc = boardOnDisk(dataDir, workshopId)
  const ids = new Set(listCards(doc).map((c) => c.id))
  doc.destroy()
  return ids
}

describe('kill -9 under load', () => {
  it(`${CYCLES} SIGKILL cycles lose no acknowledged edit and all clients converge`, async () => {
    await withSeed('kill9', async (rng) => {
      const setup = await childWorkshop(track)
      const { dataDir, port, ws, tables } = setup
      let server: ChildServer = setup.server
      track(() => server.kill())
      const clients: { conn: WorkshopConnection; barrierOf: Map<string, number>; n: number }[] = []
      for (let i = 0; i < WRITERS; i++) {
        const p = await joinTable(
          server.url,
          ws.joinCode,
          `Schrijver ${i}`,
          tables[i % tables.length]!,
        )
        const conn = connectClient(server.wsUrl, ws.id, { kind: 'participant', token: p.token })
        track(() => conn.destroy())
        clients.push({ conn, barrierOf: new Map(), n: 0 })
      }
      await Promise.all(clients.map((c) => live(c.conn)))

      let writing = false
      /** Ticks the writers may still write after a kill: offline edits, bounded so the doc stays small. */
      let offlineTicks = 0
      let serverUp = true
      const writer = setInterval(() => {
        if (!writing) return
        if (!serverUp && offlineTicks-- <= 0) return
        for (const [i, c] of clients.entries()) {
          const id = `w${i}-${c.n++}`
          addCard(c.conn.board, {
            id,
            kind: 'need',
            table: tables[i % tables.length]!,
            x: c.n,
            y: i,
            w: 220,
            h: 140,
            author: `w${i}`,
            created: c.n,
            text: `kaart ${id}`,
          })
          c.barrierOf.set(id, c.conn.boardLink.tracker.latest)
        }
      }, WRITE_EVERY_MS)
      track(() => clearInterval(writer))

      const totals = { cycles: 0, acked: 0, ackChecks: 0, lost: 0, unackedAtKill: 0, written: 0 }
      for (let cycle = 0; cycle < CYCLES; cycle++) {
        // load: every writer gets some fresh acks, then the kill lands at a random moment
        const ackedBefore = clients.map((c) => c.conn.boardLink.tracker.acknowledged)
        const need = rng.range(3, 25)
        writing = true
        await until(
          `cycle ${cycle}: every writer has ${need} new acks`,
          clients.map((c) => [c.conn, 'change'] as [WorkshopConnection, string]),
          () =>
            clients.every(
              (c, i) => c.conn.boardLink.tracker.acknowledged >= ackedBefore[i]! + need,
            ),
        )
        offlineTicks = rng.range(0, 10)
        serverUp = false
        await server.kill('SIGKILL')
        const acked = clients.flatMap((c) => {
          const ack = c.conn.boardLink.tracker.acknowledged
          return [...c.barrierOf].filter(([, b]) => b <= ack).map(([id]) => id)
        })
        const onDisk = cardsOnDisk(dataDir, ws.id)
        const lost = acked.filter((id) => !onDisk.has(id))
        totals.acked = acked.length
        totals.ackChecks += acked.length
        totals.lost += lost.length
        totals.unackedAtKill += clients.reduce((s, c) => s + c.barrierOf.size, 0) - acked.length
        expect(lost, `cycle ${cycle}: acked edits missing on disk after SIGKILL`).toEqual([])

        // writers go on offline for a moment, then the server comes back on the same port
        server = await startChildServer(dataDir, port)
        writing = false
        serverUp = true
        const all = () => clients.flatMap((c) => [...c.barrierOf.keys()])
        await until(
          `cycle ${cycle}: clients reconnect, save and converge`,
          clients.flatMap(
            (c) =>
              [
                [c.conn, 'change'],
                [c.conn.board, 'update'],
              ] as [WorkshopConnection | Y.Doc, string][],
          ),
          () => {
            if (!clients.every((c) => c.conn.status.kind === 'live' && c.conn.status.saved))
              return false
            const expected = all().length
            return clients.every((c) => c.conn.board.getMap('cards').size === expected)
          },
          CONVERGE_MS,
        ).catch((err: Error) => {
          const state = clients.map((c) => ({
            status: c.conn.status,
            cards: c.conn.board.getMap('cards').size,
          }))
          throw new Error(
            `${err.message}; expected ${all().length} cards, clients: ${JSON.stringify(state)}`,
          )
        })
        const sets = clients.map((c) =>
          listCards(c.conn.board)
            .map((x) => x.id)
            .sort(),
        )
        for (const s of sets) expect(s).toEqual(all().sort())
        totals.cycles++
        totals.written = all().length
      }
      clearInterval(writer)
      // the restarted server's own view, through a fresh client, holds them all too
      const reader = connectClient(server.wsUrl, ws.id, {
        kind: 'facilitator',
        key: ws.facilitatorKey,
      })
      track(() => reader.destroy())
      await live(reader)
      expect(listCards(reader.board).length).toBe(totals.written)
      console.log(
        `[kill9] cycles ${totals.cycles}, cards written ${totals.written}, acked edits at the last kill ${totals.acked} (checked on disk ${totals.ackChecks} times over all kills), ` +
          `not yet acked at kill (summed over cycles) ${totals.unackedAtKill}, lost ${totals.lost}`,
      )
      expect(totals.lost).toBe(0)
    })
  }, 170_000)
})
