/**
 * Heavy organiser routes (report, compare, export, history) run in a worker thread, capped per
 * workshop, and fail cleanly (issue 13, finding 7). Jobs are held in flight with the pool's test
 * hook (Config.heavyHold), never by timing.
 */
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { z } from 'zod'
import { HISTORY_API, LIVE } from '../../shared/api.ts'
import { ErrorCode } from '../../shared/protocol.ts'
import {
  HEAVY_JOBS_PER_WORKSHOP,
  HEAVY_QUEUE_MAX,
  HEAVY_RETRY_AFTER_S,
} from '../../shared/limits.ts'
import { addCard, listCards } from '../../shared/schema.ts'
import type { HeavyJob } from '../../server/heavy/jobs.ts'
import type { HeavyHold } from '../../server/heavy/pool.ts'
import { createWorkshop, joinTable, startTestServer } from '../helpers/server.ts'
import { bearerFetch, facilitatedWorkshop } from '../helpers/scenario.ts'
import { connectClient, live, saved } from '../helpers/clients.ts'
import { expectApiError, useCleanups } from '../helpers/lifecycle.ts'
import { until } from '../helpers/wait.ts'
import { threadPriority } from '../../server/thread-priority.ts'
import { makeCard } from '../fixtures/builders.ts'

const track = useCleanups()
const clock = { now: () => 1_700_000_000_000 }

interface Held {
  job: HeavyJob
  release(): void
  stopWorker(): void
}

/** Holds every heavy job until released; `next()` resolves as each one arrives at the hold. */
function holdGate() {
  const all: Held[] = []
  const arrived: Held[] = []
  const waiting: ((h: Held) => void)[] = []
  let open = false
  const hold: HeavyHold = (job, stopWorker) =>
    open
      ? Promise.resolve()
      : new Promise<void>((release) => {
          const held = { job, release, stopWorker }
          all.push(held)
          const w = waiting.shift()
          if (w) w(held)
          else arrived.push(held)
        })
  return {
    hold,
    next: () =>
      new Promise<Held>((resolve) =>
        arrived.length ? resolve(arrived.shift()!) : waiting.push(resolve),
      ),
    /** Releases every held job and lets every later one through. */
    open: () => {
      open = true
      for (const h of all.splice(0)) h.release()
    },
  }
}

/** A workshop with a live facilitator, a participant's cards, a snapshot, and cards after it. */
async function boardWithHistory(server: Awaited<ReturnType<typeof startTestServer>>) {
  const { ws, info, fac } = await facilitatedWorkshop(server, track)
  const p = await joinTable(server.url, ws.joinCode, 'Anna', info.tables[0]!.id)
  const writer = connectClient(server.wsUrl, ws.id, { kind: 'participant', token: p.token })
  track(() => writer.destroy())
  await live(writer)
  for (let i = 0; i < 20; i++)
    addCard(
      writer.board,
      makeCard({ id: `h${i}`, table: info.tables[0]!.id, text: `kaart ${i} <b>&</b>` }),
    )
  await saved(writer)
  const api = bearerFetch(server.url, ws.facilitatorKey)
  const snap = (await (
    await api('POST', HISTORY_API.snapshots(ws.id), { label: 'voor' })
  ).json()) as { id: string }
  for (let i = 20; i < 30; i++)
    addCard(writer.board, makeCard({ id: `h${i}`, table: info.tables[0]!.id, text: `later ${i}` }))
  await saved(writer)
  return { ws, fac, writer, api, snapshotId: snap.id }
}

/** Card ids in an export's board state. */
function exportedCardIds(text: string): string[] {
  const { board } = z.object({ board: z.object({ yjsState: z.string() }) }).parse(JSON.parse(text))
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Buffer.from(board.yjsState, 'base64'))
  return listCards(doc).map((c) => c.id)
}

const heavyPaths = (id: string, snap: string) => [
  HISTORY_API.compare(id, snap, LIVE),
  HISTORY_API.compare(id, LIVE, snap),
  HISTORY_API.history(id),
  HISTORY_API.export(id),
  ...['md', 'html', 'json'].flatMap((f) => [
    `${HISTORY_API.report(id)}?format=${f}`,
    `${HISTORY_API.report(id)}?format=${f}&lang=en&snapshot=${snap}`,
  ]),
  HISTORY_API.replayOutline(id),
  HISTORY_API.replayOutline(id, 20),
]

async function bodies(base: string, key: string, paths: string[]) {
  const api = bearerFetch(base, key)
  const out: { path: string; status: number; type: string | null; body: Buffer }[] = []
  for (const p of paths) {
    const res = await api('GET', p)
    out.push({
      path: p,
      status: res.status,
      type: res.headers.get('content-type'),
      body: Buffer.from(await res.arrayBuffer()),
    })
  }
  return out
}

/** The nice value of every thread of this process, from /proc (Linux). */
const threadNices = (): number[] =>
  fs.readdirSync('/proc/self/task').flatMap((tid) => {
    try {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8')
      // fields after the command name in parentheses: state is field 3, nice is field 19
      return [Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])]
    } catch {
      return [] // the thread ended while we listed
    }
  })

describe('heavy routes in a worker thread', () => {
  it('report, compare, export and history answer through the worker byte for byte what the in-thread path answers, with the room live', async () => {
    const server = await startTestServer({ clock })
    track(() => server.close())
    const { ws, snapshotId } = await boardWithHistory(server)
    expect(server.rooms.get(ws.id, 'board')).toBeDefined()
    const paths = heavyPaths(ws.id, snapshotId)
    const throughWorker = await bodies(server.url, ws.facilitatorKey, paths)
    // the same database, read on the main thread as before the worker existed
    const inThread = await startTestServer({ clock, dataDir: server.dataDir, heavyWorkers: 0 })
    track(() => inThread.close())
    const onMain = await bodies(inThread.url, ws.facilitatorKey, paths)
    for (const [i, w] of throughWorker.entries()) {
      expect(w.status, w.path).toBe(200)
      expect({ path: w.path, type: w.type }).toEqual({
        path: onMain[i]!.path,
        type: onMain[i]!.type,
      })
      expect(w.body.equals(onMain[i]!.body), w.path).toBe(true)
    }
    expect(exportedCardIds(throughWorker[3]!.body.toString('utf8'))).toHaveLength(30)
  })

  it(`a third heavy request of one workshop while ${HEAVY_JOBS_PER_WORKSHOP} are in flight answers 429 RATE_LIMITED with Retry-After; other workshops are still served`, async () => {
    const gate = holdGate()
    const server = await startTestServer({ clock, heavyHold: gate.hold })
    track(() => server.close())
    track(() => gate.open())
    const a = await createWorkshop(server.url, 'A')
    const b = await createWorkshop(server.url, 'B')
    const callA = bearerFetch(server.url, a.facilitatorKey)
    const first = callA('GET', HISTORY_API.report(a.id))
    const held = await gate.next() // running in the only worker, held
    expect(held.job).toMatchObject({ kind: 'report', workshopId: a.id })
    const second = callA('GET', HISTORY_API.compare(a.id, LIVE, LIVE)) // queued behind it
    await until(
      'the second job queued',
      [[server.heavy, 'change']],
      () => server.heavy.waiting === 1,
    )
    const third = await callA('GET', HISTORY_API.export(a.id))
    await expectApiError(third, 429, ErrorCode.RateLimited)
    expect(third.headers.get('retry-after')).toBe(String(HEAVY_RETRY_AFTER_S))
    const otherWorkshop = bearerFetch(server.url, b.facilitatorKey)(
      'GET',
      HISTORY_API.history(b.id),
    )
    gate.open()
    expect((await first).status).toBe(200)
    expect((await second).status).toBe(200)
    expect((await otherWorkshop).status).toBe(200)
    expect((await callA('GET', HISTORY_API.export(a.id))).status).toBe(200)
  })

  it(`the queue for all workshops together holds ${HEAVY_QUEUE_MAX} jobs; one more answers 429 RATE_LIMITED`, async () => {
    const gate = holdGate()
    const server = await startTestServer({ clock, heavyHold: gate.hold })
    track(() => server.close())
    track(() => gate.open())
    const workshops = await Promise.all(
      Array.from(
        { length: Math.ceil((HEAVY_QUEUE_MAX + 1) / HEAVY_JOBS_PER_WORKSHOP) + 1 },
        (_, i) => createWorkshop(server.url, `W${i}`),
      ),
    )
    const call = (i: number) =>
      bearerFetch(server.url, workshops[i]!.facilitatorKey)(
        'GET',
        HISTORY_API.history(workshops[i]!.id),
      )
    const admitted = [call(0)]
    await gate.next() // one running, held; the rest wait in the queue
    for (let n = 1; n <= HEAVY_QUEUE_MAX; n++)
      admitted.push(call(Math.floor(n / HEAVY_JOBS_PER_WORKSHOP)))
    await until(
      'the queue full',
      [[server.heavy, 'change']],
      () => server.heavy.waiting === HEAVY_QUEUE_MAX,
    )
    const refused = await call(workshops.length - 1)
    const body = await expectApiError(refused, 429, ErrorCode.RateLimited)
    expect(body.message).toMatch(/busy/)
    expect(refused.headers.get('retry-after')).toBe(String(HEAVY_RETRY_AFTER_S))
    gate.open()
    expect((await Promise.all(admitted)).map((r) => r.status)).toEqual(admitted.map(() => 200))
  })

  it('a worker that stops in the middle of a job answers 503, and the next request is served by a fresh worker', async () => {
    const gate = holdGate()
    const server = await startTestServer({ clock, heavyHold: gate.hold })
    track(() => server.close())
    track(() => gate.open())
    const { ws, fac } = await facilitatedWorkshop(server, track)
    addCard(fac.board, makeCard({ id: 'overleeft' }))
    await saved(fac)
    const api = bearerFetch(server.url, ws.facilitatorKey)
    const doomed = api('GET', HISTORY_API.report(ws.id) + '?format=json')
    const held = await gate.next()
    held.stopWorker()
    await expectApiError(await doomed, 503, ErrorCode.Internal)
    held.release()
    gate.open()
    const again = await api('GET', HISTORY_API.export(ws.id))
    expect(again.status).toBe(200)
    expect(exportedCardIds(await again.text())).toContain('overleeft')
  })

  it('a job that fails in the worker (a corrupt snapshot) answers 500 INTERNAL, and the worker serves the next job', async () => {
    const server = await startTestServer({ clock })
    track(() => server.close())
    const { ws, fac } = await facilitatedWorkshop(server, track)
    const api = bearerFetch(server.url, ws.facilitatorKey)
    const snap = (await (
      await api('POST', HISTORY_API.snapshots(ws.id), { label: 'kapot' })
    ).json()) as { id: string }
    const db = new Database(path.join(server.dataDir, 'stip.db'))
    db.prepare('UPDATE snapshots SET board = ? WHERE id = ?').run(Buffer.from([1, 2, 3]), snap.id)
    db.close()
    await expectApiError(
      await api('GET', `${HISTORY_API.report(ws.id)}?snapshot=${snap.id}`),
      500,
      ErrorCode.Internal,
    )
    await expectApiError(
      await api('GET', `${HISTORY_API.report(ws.id)}?snapshot=nergens`),
      404,
      ErrorCode.NotFound,
    )
    addCard(fac.board, makeCard({ id: 'daarna' }))
    await saved(fac)
    const diff = await api('GET', HISTORY_API.compare(ws.id, LIVE, LIVE))
    expect(diff.status).toBe(200)
  })

  it('with an in-memory store (no file a worker could open) the heavy routes run on the main thread and still answer', async () => {
    const server = await startTestServer({ clock, dataDir: ':memory:' })
    track(() => server.close())
    const { ws, info, fac } = await facilitatedWorkshop(server, track)
    addCard(
      fac.board,
      makeCard({ id: 'in-geheugen', table: info.tables[0]!.id, text: 'alleen in het geheugen' }),
    )
    await saved(fac)
    const api = bearerFetch(server.url, ws.facilitatorKey)
    const md = await api('GET', HISTORY_API.report(ws.id))
    expect(md.status).toBe(200)
    expect(await md.text()).toContain('alleen in het geheugen')
    for (const p of [
      HISTORY_API.export(ws.id),
      HISTORY_API.history(ws.id),
      HISTORY_API.replayOutline(ws.id),
      HISTORY_API.replaySegment(ws.id, 'board', 0, 1),
      HISTORY_API.compare(ws.id, LIVE, LIVE),
    ]) {
      expect((await api('GET', p)).status).toBe(200)
    }
  })

  it('the worker thread runs at nice 10 (Linux threads have their own), so a report storm yields the cores to the relay thread', async () => {
    const before = threadPriority()
    const server = await startTestServer({ clock })
    track(() => server.close())
    const { ws, api } = await boardWithHistory(server)
    expect((await api('GET', HISTORY_API.report(ws.id))).status).toBe(200)
    expect(threadNices()).toContain(10)
    expect(threadPriority()).toBe(before) // the relay's own thread is untouched
  })
})
