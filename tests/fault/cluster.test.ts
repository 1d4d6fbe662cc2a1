/**
 * Several instances on one PostgreSQL behind a real load balancer (haproxy, round robin), each a
 * child process of server/main.ts (issue #12). One workshop's clients land on both instances; each
 * workshop is served by the instance holding its lease and forwarded there by the other. Killed,
 * stopped and cut-off owners, and a PostgreSQL that crashes mid-edit, lose no acknowledged edit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { z } from 'zod'
import type { WorkshopConnection } from '../../client/sync/connection.ts'
import { type BallotRequest, HealthResponse, ROUND_API } from '../../shared/api.ts'
import { readTally } from '../../shared/control.ts'
import { addCard, listCards } from '../../shared/schema.ts'
import { addTask } from '../../shared/tasks.ts'
import { connectClient, live, saved } from '../helpers/clients.ts'
import { type Instance, type TestCluster, startCluster } from '../helpers/cluster.ts'
import { useCleanups } from '../helpers/lifecycle.ts'
import { startPostgres, type TestPostgres } from '../helpers/postgres.ts'
import { bearerFetch } from '../helpers/scenario.ts'
import { createWorkshop, joinTable, lookup } from '../helpers/server.ts'
import { until } from '../helpers/wait.ts'

const track = useCleanups()
let postgres: TestPostgres
beforeAll(async () => {
  postgres = await startPostgres({ durableCommits: true })
})
afterAll(() => postgres?.stop())

const CONVERGE_MS = 30_000

async function health(instance: Instance): Promise<HealthResponse> {
  return HealthResponse.parse(await (await fetch(instance.url + '/api/health')).json())
}

interface Writer {
  conn: WorkshopConnection
  /** Card id → the barrier it was written under: acked once the tracker passes it. */
  barrierOf: Map<string, number>
  n: number
}

/** A workshop on the cluster with a facilitator and `writers` participants, all through the LB. */
async function meeting(c: TestCluster, writers: number) {
  const ws = await createWorkshop(c.lb.url)
  const tables = (await lookup(c.lb.url, ws.joinCode)).tables.map((t) => t.id)
  const fac = connectClient(c.lb.wsUrl, ws.id, { kind: 'facilitator', key: ws.facilitatorKey })
  track(() => fac.destroy())
  const people: Writer[] = []
  const tokens: string[] = []
  for (let i = 0; i < writers; i++) {
    const p = await joinTable(c.lb.url, ws.joinCode, `Deelnemer ${i}`, tables[i % tables.length]!)
    tokens.push(p.token)
    const conn = connectClient(c.lb.wsUrl, ws.id, { kind: 'participant', token: p.token })
    track(() => conn.destroy())
    people.push({ conn, barrierOf: new Map(), n: 0 })
  }
  await Promise.all([fac, ...people.map((p) => p.conn)].map(live))
  const write = (i: number) => {
    const w = people[i]!
    const id = `w${i}-${w.n++}`
    addCard(w.conn.board, {
      id,
      kind: 'need',
      table: tables[i % tables.length]!,
      x: w.n,
      y: i,
      w: 220,
      h: 140,
      author: `w${i}`,
      created: w.n,
      text: `kaart ${id}`,
    })
    w.barrierOf.set(id, w.conn.boardLink.tracker.latest)
  }
  const acked = () =>
    people.flatMap((w) => {
      const ack = w.conn.boardLink.tracker.acknowledged
      return [...w.barrierOf].filter(([, b]) => b <= ack).map(([id]) => id)
    })
  const written = () => people.flatMap((w) => [...w.barrierOf.keys()]).sort()
  const converged = (clients: WorkshopConnection[]) =>
    until(
      'every client live, saved and holding every card written',
      clients.flatMap(
        (conn) =>
          [
            [conn, 'change'],
            [conn.board, 'update'],
          ] as [WorkshopConnection | Y.Doc, string][],
      ),
      () =>
        clients.every(
          (conn) =>
            conn.status.kind === 'live' &&
            conn.status.saved &&
            listCards(conn.board).length === written().length,
        ),
      CONVERGE_MS,
    ).catch((err: Error) => {
      const state = clients.map((conn) => ({
        status: conn.status,
        cards: listCards(conn.board).length,
      }))
      throw new Error(`${err.message}; expected ${written().length}: ${JSON.stringify(state)}`)
    })
  /** The cards as a fresh client of `base` reads them from whoever owns the workshop now. */
  const fresh = async (wsUrl: string) => {
    const reader = connectClient(wsUrl, ws.id, { kind: 'facilitator', key: ws.facilitatorKey })
    track(() => reader.destroy())
    await live(reader)
    return new Set(listCards(reader.board).map((x) => x.id))
  }
  return { ws, tables, fac, people, tokens, write, acked, written, converged, fresh }
}

describe('several instances behind a load balancer', () => {
  it('one workshop: its clients land on both instances, co-edit through its one owner and converge', async () => {
    const c = await startCluster(postgres, track)
    const m = await meeting(c, 5)
    const owner = await c.ownerOf(m.ws.id)
    expect(owner).not.toBeNull()
    const other = c.instances.find((s) => s !== owner)!
    // round robin put some of the six sockets on the other instance, which pipes them to the owner
    const [atOwner, atOther] = [await health(owner!), await health(other)]
    expect(atOther.forwarded).toBeGreaterThan(0)
    // six clients with two docs each: every socket is served by the owner, piped or not
    expect(atOwner.connections).toBe(12)
    expect(atOther.connections).toBe(0)
    for (let round = 0; round < 4; round++) m.people.forEach((_, i) => m.write(i))
    await m.converged([m.fac, ...m.people.map((p) => p.conn)])
    for (const p of m.people)
      expect(
        listCards(p.conn.board)
          .map((x) => x.id)
          .sort(),
      ).toEqual(m.written())
    expect([...(await m.fresh(other.wsUrl))].sort()).toEqual(m.written())
  })

  it('kill -9 of the owner under load: the other instance takes the lease, clients reconnect through the load balancer, 0 acked edits lost, all converge', async () => {
    const c = await startCluster(postgres, track)
    const m = await meeting(c, 3)
    const owner = (await c.ownerOf(m.ws.id))!
    const survivor = c.instances.find((s) => s !== owner)!
    let writing = true
    const timer = setInterval(() => {
      if (writing) m.people.forEach((_, i) => m.write(i))
    }, 10)
    track(() => clearInterval(timer))
    await until(
      'every writer has 20 acked cards',
      m.people.map((p) => [p.conn, 'change'] as [WorkshopConnection, string]),
      () => m.people.every((p) => p.conn.boardLink.tracker.acknowledged >= 20),
    )
    const dropped = new Set<WorkshopConnection>()
    for (const p of m.people)
      p.conn.on('change', () => {
        if (p.conn.status.kind !== 'live') dropped.add(p.conn)
      })
    await owner.kill('SIGKILL')
    const ackedAtKill = m.acked()
    expect(ackedAtKill.length).toBeGreaterThan(0)
    // writing goes on while the clients notice the loss and find the survivor
    await until(
      'every client lost its socket and is live again',
      m.people.map((p) => [p.conn, 'change'] as [WorkshopConnection, string]),
      () => m.people.every((p) => dropped.has(p.conn) && p.conn.status.kind === 'live'),
      CONVERGE_MS,
    )
    writing = false
    clearInterval(timer)
    expect((await c.ownerOf(m.ws.id))?.name).toBe(survivor.name)
    await m.converged([m.fac, ...m.people.map((p) => p.conn)])
    const stored = await m.fresh(c.lb.wsUrl)
    expect(ackedAtKill.filter((id) => !stored.has(id))).toEqual([])
    expect([...stored].sort()).toEqual(m.written())
    console.log(
      `[cluster kill9] acked at the kill ${ackedAtKill.length}, written ${m.written().length}, lost 0`,
    )
  })

  it('a stale owner (stopped, its lock session cut, then resumed) cannot keep the workshop: the takeover holds and nothing is lost', async () => {
    const c = await startCluster(postgres, track)
    const m = await meeting(c, 2)
    const stale = (await c.ownerOf(m.ws.id))!
    const other = c.instances.find((s) => s !== stale)!
    m.people.forEach((_, i) => m.write(i))
    await Promise.all(m.people.map((p) => saved(p.conn)))
    const epochBefore = await epochOf(c, m.ws.id)

    stale.child.kill('SIGSTOP')
    track(() => void stale.child.kill('SIGCONT'))
    expect(await c.cutLockSession(stale)).toBe(1)
    // a client straight to the other instance: nobody holds the lock, so it takes the workshop
    const late = connectClient(other.wsUrl, m.ws.id, {
      kind: 'facilitator',
      key: m.ws.facilitatorKey,
    })
    track(() => late.destroy())
    await live(late)
    expect((await c.ownerOf(m.ws.id))?.name).toBe(other.name)
    expect(await epochOf(c, m.ws.id)).toBe(epochBefore + 1)
    // writes made while the stale owner sleeps reach it first, once it wakes up
    m.people.forEach((_, i) => m.write(i))
    stale.child.kill('SIGCONT')
    await m.converged([late, m.fac, ...m.people.map((p) => p.conn)])
    expect((await c.ownerOf(m.ws.id))?.name).toBe(other.name)
    expect([...(await m.fresh(c.lb.wsUrl))].sort()).toEqual(m.written())
  })

  it('ballots cast on both instances while the round closes: each voter counts once, with the last ballot answered 200, and none after the close', async () => {
    const c = await startCluster(postgres, track)
    const m = await meeting(c, 0)
    const taskIds = ['t-kader', 't-leren', 't-dienst']
    taskIds.forEach((id, i) =>
      addTask(m.fac.board, { id, title: `opgave ${i}`, origin: [], author: 'f', created: i }),
    )
    await saved(m.fac)
    const voters = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        joinTable(c.lb.url, m.ws.joinCode, `Stemmer ${i}`, m.tables[i % m.tables.length]!),
      ),
    )
    const [a, b] = c.instances as [Instance, Instance]
    const open = await bearerFetch(a.url, m.ws.facilitatorKey)('POST', ROUND_API.open(m.ws.id), {
      kind: 'dots',
      taskIds,
      dotsPerPerson: 3,
      maxPerTask: 2,
    })
    expect(open.status).toBe(201)
    const { roundId } = z.object({ roundId: z.string() }).parse(await open.json())
    const lastAccepted = new Map<number, BallotRequest>()
    let accepted = 0
    let closed = false
    let enough = () => {}
    const twelveIn = new Promise<void>((resolve) => (enough = resolve))
    const cast = async (i: number) => {
      for (let k = 0; !closed || k < 2; k++) {
        const ballot: BallotRequest = { dots: { [taskIds[(i + k) % 3]!]: 1 + (k % 2) } }
        const via = (i + k) % 2 ? a : b
        const res = await bearerFetch(via.url, voters[i]!.token)(
          'POST',
          ROUND_API.ballot(m.ws.id, roundId),
          ballot,
        )
        if (res.status === 200) {
          lastAccepted.set(i, ballot)
          if (++accepted >= 12) enough()
        } else {
          expect(res.status, await res.text()).toBe(409)
          return
        }
      }
    }
    const casting = voters.map((_, i) => cast(i))
    await twelveIn
    const close = await bearerFetch(b.url, m.ws.facilitatorKey)(
      'POST',
      ROUND_API.close(m.ws.id, roundId),
      {},
    )
    closed = true
    expect(close.status).toBe(200)
    await Promise.all(casting)
    const reveal = await bearerFetch(a.url, m.ws.facilitatorKey)(
      'POST',
      ROUND_API.reveal(m.ws.id, roundId),
      {},
    )
    expect(reveal.status).toBe(200)
    await until(
      'tally published',
      [[m.fac.control, 'update']],
      () => readTally(m.fac.control, roundId) !== null,
    )
    const tally = readTally(m.fac.control, roundId)!
    expect(tally.voters).toBe(lastAccepted.size)
    const expected = new Map<string, number>()
    for (const ballot of lastAccepted.values())
      for (const [task, n] of Object.entries((ballot as { dots: Record<string, number> }).dots))
        expected.set(task, (expected.get(task) ?? 0) + n)
    for (const t of tally.tasks) expect(t.dots).toBe(expected.get(t.taskId) ?? 0)
  })

  it('PostgreSQL crashes mid-edit (-m immediate) and comes back: acks are withheld meanwhile, then every edit is saved', async () => {
    const c = await startCluster(postgres, track)
    const m = await meeting(c, 2)
    m.people.forEach((_, i) => m.write(i))
    await Promise.all(m.people.map((p) => saved(p.conn)))
    const ackedBefore = m.people.map((p) => p.conn.boardLink.tracker.acknowledged)
    postgres.crash()
    let restarted = false
    track(() => {
      if (!restarted) postgres.start()
    })
    m.people.forEach((_, i) => m.write(i))
    // the owner's lock session died with the database: its rooms are evicted, and no instance
    // can take the workshop until the database is back
    await until(
      'every client is cut off',
      m.people.map((p) => [p.conn, 'change'] as [WorkshopConnection, string]),
      () => m.people.every((p) => p.conn.status.kind !== 'live'),
      CONVERGE_MS,
    )
    // nothing could be committed, so nothing was acked: the clients hold their edits unsaved
    for (const [i, p] of m.people.entries()) {
      expect(p.conn.boardLink.tracker.acknowledged).toBe(ackedBefore[i])
    }
    postgres.start()
    restarted = true
    await m.converged([m.fac, ...m.people.map((p) => p.conn)])
    expect([...(await m.fresh(c.lb.wsUrl))].sort()).toEqual(m.written())
  })
})

async function epochOf(c: TestCluster, workshopId: string): Promise<number> {
  const { rows } = await c.db.query<{ epoch: string }>(
    'SELECT epoch FROM workshop_owners WHERE workshop_id = $1',
    [workshopId],
  )
  return Number(rows[0]?.epoch ?? 0)
}
