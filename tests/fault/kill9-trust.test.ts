/**
 * Issue #13, findings 3 and 14 with a real SIGKILL instead of a closed in-process server.
 *
 * - F3: no peer is left holding content the server lost. The facilitator renames a table over and
 *   over; peers get each rename before it is on disk, so a kill can leave a participant ahead of
 *   the file (counted). The facilitator re-sends its lost renames on reconnect; what a participant
 *   re-sends of them is cut (only their writer may send them). In the end every participant holds
 *   no more of the facilitator's writes than the disk. The case where the writer never comes back
 *   (the peer's copy is told it diverged) is the disk-full test in write-trust.test.ts.
 * - F14: typing through a restart is saved. Each participant appends to its own card without
 *   pause, also while the server is down and while its socket reconnects, so live updates that
 *   build on items the server lost reach it before the sync step 2 that holds them. After the
 *   restart every participant is saved again and the disk holds every letter.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { WorkshopConnection } from '../../client/sync/connection.ts'
import { plainText } from '../../shared/richtext.ts'
import { addCard, cardBody, listTables, writeTable } from '../../shared/schema.ts'
import { joinTable, startChildServer, type ChildServer } from '../helpers/server.ts'
import { boardOnDisk, childWorkshop } from '../helpers/child-workshop.ts'
import { connectClient, live } from '../helpers/clients.ts'
import { until } from '../helpers/wait.ts'
import { useCleanups } from '../helpers/lifecycle.ts'
import { withSeed } from './rng.ts'

const track = useCleanups()

const CYCLES = 6
const TYPISTS = 3
/** One letter per typist this often: faster than anyone types, so a kill always lands mid-word. */
const TYPE_EVERY_MS = 5
const CONVERGE_MS = 20_000

const clockOf = (doc: Y.Doc, client: number) =>
  Y.decodeStateVector(Y.encodeStateVector(doc)).get(client) ?? 0
const cardText = (doc: Y.Doc, id: string) => {
  const body = cardBody(doc, id)
  return body ? plainText(body) : null
}

function appendLetter(doc: Y.Doc, id: string, letter: string): void {
  const paragraph = cardBody(doc, id)!.get(0) as Y.XmlElement
  const text = paragraph.get(0) as Y.XmlText
  text.insert(text.length, letter)
}

describe('kill -9 and the write guard', () => {
  it(`${CYCLES} SIGKILLs: in the end participants hold no more of the facilitator's writes than the disk, and typing through each restart is saved`, async () => {
    await withSeed('kill9-trust', async (rng) => {
      const setup = await childWorkshop(track)
      const { dataDir, port, ws, tables } = setup
      let server: ChildServer = setup.server
      track(() => server.kill())

      const fac = connectClient(server.wsUrl, ws.id, {
        kind: 'facilitator',
        key: ws.facilitatorKey,
      })
      track(() => fac.destroy())
      const typists: { conn: WorkshopConnection; card: string; letters: number }[] = []
      for (let i = 0; i < TYPISTS; i++) {
        const p = await joinTable(
          server.url,
          ws.joinCode,
          `Typist ${i}`,
          tables[i % tables.length]!,
        )
        const conn = connectClient(server.wsUrl, ws.id, { kind: 'participant', token: p.token })
        track(() => conn.destroy())
        // the card starts with one letter, so its paragraph exists to type into
        typists.push({ conn, card: `typed-${i}`, letters: 1 })
      }
      await Promise.all([fac, ...typists.map((t) => t.conn)].map(live))
      for (const [i, t] of typists.entries()) {
        addCard(t.conn.board, {
          id: t.card,
          kind: 'vision',
          table: tables[i % tables.length]!,
          x: 0,
          y: 0,
          w: 220,
          h: 140,
          author: 'ignored',
          created: i,
          text: '>',
        })
      }

      let typing = true
      let renames = 0
      const ticker = setInterval(() => {
        if (!typing) return
        for (const t of typists)
          appendLetter(t.conn.board, t.card, String.fromCharCode(97 + (t.letters++ % 26)))
        const table = listTables(fac.board)[0]!
        writeTable(fac.board, { ...table, name: `Inwoner ${++renames}` })
      }, TYPE_EVERY_MS)
      track(() => clearInterval(ticker))

      const facId = fac.board.clientID
      const totals = {
        kills: 0,
        facilitatorClockAhead: 0,
        lettersTyped: 0,
        typistsUnackedAtKill: 0,
      }
      for (let cycle = 0; cycle < CYCLES; cycle++) {
        const ackedBefore = typists.map((t) => t.conn.boardLink.tracker.acknowledged)
        const need = rng.range(3, 20)
        await until(
          `cycle ${cycle}: every typist has ${need} new acks`,
          typists.map((t) => [t.conn, 'change'] as [WorkshopConnection, string]),
          () =>
            typists.every(
              (t, i) => t.conn.boardLink.tracker.acknowledged >= ackedBefore[i]! + need,
            ),
        )
        await server.kill('SIGKILL')
        totals.kills++
        // letters sent but not acked: the server may have lost them, and the next letters build on them
        totals.typistsUnackedAtKill += typists.filter(
          (t) => t.conn.boardLink.tracker.latest > t.conn.boardLink.tracker.acknowledged,
        ).length

        // F3: a participant may hold renames the kill took from the disk; the facilitator re-sends them
        const disk = boardOnDisk(dataDir, ws.id)
        const onDisk = clockOf(disk, facId)
        totals.facilitatorClockAhead += typists.filter(
          (t) => clockOf(t.conn.board, facId) > onDisk,
        ).length
        disk.destroy()

        // F14: the typists never stop; the server comes back while they type
        server = await startChildServer(dataDir, port)
        await until(
          'the typists are live again',
          typists.map((t) => [t.conn, 'change'] as [WorkshopConnection, string]),
          () => typists.every((t) => t.conn.status.kind === 'live'),
          CONVERGE_MS,
        )
      }

      typing = false
      clearInterval(ticker)
      await until(
        'every typist saved, every client holding every card in full',
        [fac, ...typists.map((t) => t.conn)].flatMap(
          (c) =>
            [
              [c, 'change'],
              [c.board, 'update'],
            ] as [WorkshopConnection | Y.Doc, string][],
        ),
        () =>
          [fac, ...typists.map((t) => t.conn)].every(
            (c) => c.status.kind === 'live' && c.status.saved,
          ) &&
          [fac, ...typists.map((t) => t.conn)].every((c) =>
            typists.every((t) => cardText(c.board, t.card)?.length === t.letters),
          ),
        CONVERGE_MS,
      ).catch((err: Error) => {
        const state = typists.map((t) => ({
          status: t.conn.status,
          typed: t.letters,
          held: cardText(t.conn.board, t.card)?.length,
        }))
        throw new Error(`${err.message}; ${JSON.stringify(state)}`)
      })
      await server.kill('SIGKILL')
      const disk = boardOnDisk(dataDir, ws.id)
      const onDisk = typists.map((t) => cardText(disk, t.card))
      totals.lettersTyped = typists.reduce((s, t) => s + t.letters, 0)
      console.log(
        `[kill9-trust] kills ${totals.kills}, letters typed ${totals.lettersTyped}, facilitator renames ${renames}, participant ahead of disk ${totals.facilitatorClockAhead}, typists with unacked letters at a kill ${totals.typistsUnackedAtKill} of ${totals.kills * TYPISTS}`,
      )
      expect(onDisk).toEqual(typists.map((t) => cardText(t.conn.board, t.card)))
      expect(onDisk.map((s) => s?.length)).toEqual(typists.map((t) => t.letters))
      // F3: nobody holds a rename the server lost
      const facOnDisk = clockOf(disk, facId)
      const held = typists.map((t) => clockOf(t.conn.board, facId))
      expect(
        held.map((c) => c <= facOnDisk),
        `facilitator clock on disk ${facOnDisk}, held by participants ${held}`,
      ).toEqual(held.map(() => true))
    })
  }, 150_000)
})
