/**
 * A socket forwarded to the owner while the owner is killed mid-frame (issue #12). Two clients
 * connect to the instance that does not own the workshop, so their frames are piped to the owner;
 * one writes a large update (about 1 MB, one frame) and the owner gets the frame's head only (a
 * pipe in front of its internal address holds the tail back) when it is kill -9ed. The clients
 * reconnect, the other instance takes the lease: no acked edit is lost, the half-sent frame
 * leaves no trace but its full resend, and everyone converges.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import pg from 'pg'
import * as Y from 'yjs'
import type { WorkshopConnection } from '../../client/sync/connection.ts'
import { API } from '../../shared/api.ts'
import { DocName } from '../../shared/protocol.ts'
import { applyStored } from '../../server/store/store.ts'
import { openPostgresStore } from '../../server/store/postgres.ts'
import { addCard, cardBody, listCards } from '../../shared/schema.ts'
import { plainText } from '../../shared/richtext.ts'
import { connectClient, live, saved } from '../helpers/clients.ts'
import { CLUSTER_SECRET } from '../helpers/cluster.ts'
import { useCleanups } from '../helpers/lifecycle.ts'
import { type TestPostgres, startPostgres } from '../helpers/postgres.ts'
import { createWorkshop, joinTable, lookup, startChildServer, tempDir } from '../helpers/server.ts'
import { until } from '../helpers/wait.ts'
import { bearerFetch } from '../helpers/scenario.ts'
import { startStallProxy } from './stall-proxy.ts'

const track = useCleanups()
let postgres: TestPostgres
beforeAll(async () => {
  postgres = await startPostgres({ durableCommits: true })
})
afterAll(() => postgres?.stop())

const CONVERGE_MS = 30_000
/** Cards in the large update, each near the text limit: one frame of about 1 MB. */
const BIG_CARDS = 1_000
/** What the owner receives of that frame before it is killed. */
const HEAD_BYTES = 256 * 1024

describe('a forwarded socket while the owner is killed mid-frame', () => {
  it('reconnects to the new owner with every acked edit, the half-sent frame resent whole, and converges', async () => {
    const schema = postgres.schema('fwdkill')
    const env = (name: string) => ({
      STORE: 'postgres',
      DATABASE_URL: postgres.url,
      DATABASE_SCHEMA: schema,
      INSTANCE_ID: name,
      CLUSTER_SECRET,
    })
    const pipe = await startStallProxy()
    track(() => pipe.close())
    // the owner-to-be is reached by the other instance through the pipe only
    const owner = await startChildServer(tempDir(), 0, {
      ...env('stip-a'),
      INTERNAL_URL: pipe.url,
    })
    track(() => owner.kill())
    pipe.target(owner.port)
    const other = await startChildServer(tempDir(), 0, env('stip-b'))
    track(() => other.kill())
    const db = new pg.Pool({ connectionString: postgres.url, options: `-c search_path=${schema}` })
    track(() => db.end())
    const ownerName = async (id: string) =>
      (
        await db.query<{ instance_id: string }>(
          'SELECT instance_id FROM workshop_owners WHERE workshop_id = $1',
          [id],
        )
      ).rows[0]?.instance_id

    const ws = await createWorkshop(owner.url)
    // a request on the owner-to-be takes the lease there
    expect(
      (await bearerFetch(owner.url, ws.facilitatorKey)('GET', API.workshop(ws.id))).status,
    ).toBe(200)
    expect(await ownerName(ws.id)).toBe('stip-a')
    const table = (await lookup(other.url, ws.joinCode)).tables[0]!.id
    const person = await joinTable(other.url, ws.joinCode, 'Deelnemer', table)

    const fac = connectClient(other.wsUrl, ws.id, { kind: 'facilitator', key: ws.facilitatorKey })
    const peer = connectClient(other.wsUrl, ws.id, { kind: 'participant', token: person.token })
    track(() => fac.destroy())
    track(() => peer.destroy())
    await Promise.all([live(fac), live(peer)])

    const texts = new Map<string, string>()
    const barrierOf = new Map<string, { conn: WorkshopConnection; barrier: number }>()
    let n = 0
    const card = (conn: WorkshopConnection, id: string, text: string) => {
      texts.set(id, text)
      addCard(conn.board, {
        id,
        kind: 'need',
        table,
        x: n,
        y: 0,
        w: 220,
        h: 140,
        author: conn === fac ? 'f' : 'p',
        created: n++,
        text,
      })
    }
    const write = (conn: WorkshopConnection, id: string) => {
      card(conn, id, `kaart ${id}`)
      barrierOf.set(id, { conn, barrier: conn.boardLink.tracker.latest })
    }
    const acked = () =>
      [...barrierOf]
        .filter(([, w]) => w.barrier <= w.conn.boardLink.tracker.acknowledged)
        .map(([id]) => id)
    for (let i = 0; i < 5; i++) {
      write(fac, `f-${i}`)
      write(peer, `p-${i}`)
    }
    await Promise.all([saved(fac), saved(peer)])

    const dropped = new Set<WorkshopConnection>()
    for (const conn of [fac, peer])
      conn.on('change', () => {
        if (conn.status.kind !== 'live') dropped.add(conn)
      })
    // the large update, one transaction and so one frame, of which the owner gets the head only
    const head = pipe.stallAfter(HEAD_BYTES)
    fac.board.transact(() => {
      for (let i = 0; i < BIG_CARDS; i++)
        card(fac, `big-${i}`, `${i} `.padEnd(900, 'abcdefghij'.charAt(i % 10)))
    })
    const bigBarrier = fac.boardLink.tracker.latest
    await head
    await owner.kill('SIGKILL')
    const ackedAtKill = acked()
    expect(ackedAtKill).toHaveLength(10)
    expect(fac.boardLink.tracker.acknowledged).toBeLessThan(bigBarrier)
    // the peer writes on while both find the new owner
    for (let i = 5; i < 10; i++) write(peer, `p-${i}`)

    const clients = [fac, peer]
    await until(
      'both clients lost their socket and are live again',
      clients.map((c) => [c, 'change'] as [WorkshopConnection, string]),
      () => clients.every((c) => dropped.has(c) && c.status.kind === 'live'),
      CONVERGE_MS,
    )
    expect(await ownerName(ws.id)).toBe('stip-b')
    for (let i = 10; i < 12; i++) write(peer, `p-${i}`)
    const all = [...texts.keys()].sort()
    await until(
      'both clients saved and holding every card',
      clients.flatMap(
        (c) =>
          [
            [c, 'change'],
            [c.board, 'update'],
          ] as [WorkshopConnection | Y.Doc, string][],
      ),
      () =>
        clients.every(
          (c) =>
            c.status.kind === 'live' && c.status.saved && listCards(c.board).length === all.length,
        ),
      CONVERGE_MS,
    )
    expect(fac.boardLink.tracker.acknowledged).toBeGreaterThanOrEqual(bigBarrier)

    // what the new owner stores, read by a fresh client: every card once, every text whole
    const reader = connectClient(other.wsUrl, ws.id, {
      kind: 'facilitator',
      key: ws.facilitatorKey,
    })
    track(() => reader.destroy())
    await live(reader)
    const stored = listCards(reader.board)
    expect(ackedAtKill.filter((id) => !stored.some((c) => c.id === id))).toEqual([])
    expect(stored.map((c) => c.id).sort()).toEqual(all)
    const wrong = stored
      .filter((c) => plainText(cardBody(reader.board, c.id)!) !== texts.get(c.id))
      .map((c) => c.id)
    expect(wrong).toEqual([])
    // and the log as a cold load reads it: every card, the big update among them, once
    const cold = await openPostgresStore({ connectionString: postgres.url, schema, max: 1 })
    track(() => cold.close())
    const logged = new Y.Doc()
    applyStored(logged, await cold.loadDoc(ws.id, DocName.Board), null)
    expect(
      listCards(logged)
        .map((c) => c.id)
        .sort(),
    ).toEqual(all)
    console.log(
      `[forward kill] owner killed after ${HEAD_BYTES} bytes of a ${BIG_CARDS}-card frame; acked at the kill ${ackedAtKill.length}, stored ${stored.length} of ${all.length}, lost 0`,
    )
  })
})
