/**
 * The round routes over the round ledger (issue #12 point 4). Two servers, each with a pool of its
 * own, on one PostgreSQL, both serving one workshop's round routes (no cluster forwards between
 * them): ballots race a close through the HTTP routes, and the rows decide. Rounds that only the
 * control doc knows (older workshops, or copied by `npm run migrate`) keep working on both stores.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { type BallotRequest, ROUND_API } from '../../shared/api.ts'
import { type Round, readRound, readTally, writeRound } from '../../shared/control.ts'
import { DocName, ErrorCode } from '../../shared/protocol.ts'
import { addTask } from '../../shared/tasks.ts'
import type { StipServer } from '../../server/app.ts'
import type { AsyncStore } from '../../server/store/async-store.ts'
import { type PostgresStore, openPostgresStore } from '../../server/store/postgres.ts'
import { postgresLedger } from '../../server/voting/ledger-postgres.ts'
import {
  type TestServerOptions,
  createWorkshop,
  joinTable,
  lookup,
  startTestServer,
} from '../helpers/server.ts'
import { bearerFetch } from '../helpers/scenario.ts'
import { type TestPostgres, startPostgres } from '../helpers/postgres.ts'
import { expectApiError, useCleanups } from '../helpers/lifecycle.ts'

const track = useCleanups()
let db: TestPostgres
beforeAll(async () => {
  db = await startPostgres()
}, 60_000)
afterAll(() => db?.stop())

const TASKS = ['t-kader', 't-leren', 't-dienst']
const LIMITS = { dotsPerPerson: 3, maxPerTask: 2 }

/** A server on a PostgreSQL pool of its own, the ledger on that pool, as npm start sets it up. */
async function pgServer(schema: string, max: number) {
  const store = await openPostgresStore({ connectionString: db.url, schema, max })
  const server = await startTestServer({ asyncStore: store, ledger: postgresLedger(store.pool) })
  track(() => server.close())
  return { server, store }
}

async function workshopOn(server: StipServer) {
  const ws = await createWorkshop(server.url)
  const tables = (await lookup(server.url, ws.joinCode)).tables.map((t) => t.id)
  await server.rooms.write(ws.id, DocName.Board, (doc) =>
    TASKS.forEach((id, i) =>
      addTask(doc, { id, title: `opgave ${i}`, origin: [], author: 'f', created: i }),
    ),
  )
  return { ws, tables }
}

const post = (base: string, secret: string, path: string, body: unknown = {}) =>
  bearerFetch(base, secret)('POST', path, body)

describe('round routes on PostgreSQL, two servers with a pool each', () => {
  it('ballots race a close on the other server: limits hold exactly, and no ballot counts after the tally', async () => {
    const schema = db.schema('routes')
    const a = await pgServer(schema, 10)
    const b = await pgServer(schema, 4)
    const { ws, tables } = await workshopOn(a.server)
    const voters = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        joinTable(
          (i % 2 ? a : b).server.url,
          ws.joinCode,
          `Stemmer ${i}`,
          tables[i % tables.length]!,
        ),
      ),
    )
    const open = await post(a.server.url, ws.facilitatorKey, ROUND_API.open(ws.id), {
      kind: 'dots',
      taskIds: TASKS,
      ...LIMITS,
    })
    expect(open.status).toBe(201)
    const { roundId } = z.object({ roundId: z.string() }).parse(await open.json())

    const lastAccepted = new Map<number, Record<string, number>>()
    let accepted = 0
    let acceptedWhileClosing = 0
    let closing = false
    let closed = false
    let enough = () => {}
    const someIn = new Promise<void>((resolve) => (enough = resolve))
    const lateAccepted: number[] = []
    const cast = async (i: number) => {
      for (let k = 0; ; k++) {
        // every third ballot is over the limits (4 dots): refused while open, whatever the race
        const dots: Record<string, number> =
          k % 3 === 2
            ? { [TASKS[0]!]: 2, [TASKS[1]!]: 2 }
            : { [TASKS[(i + k) % 3]!]: 1 + (k % 2), [TASKS[(i + k + 1) % 3]!]: 1 }
        const late = closed
        const via = (i + k) % 2 ? a : b
        const res = await post(via.server.url, voters[i]!.token, ROUND_API.ballot(ws.id, roundId), {
          dots,
        } satisfies BallotRequest)
        if (res.status === 200) {
          if (late) lateAccepted.push(i)
          // answered while the close was on its way: in before it, or the close would have refused it
          if (closing) acceptedWhileClosing++
          lastAccepted.set(i, dots)
          if (++accepted >= 60) enough()
        } else if (res.status === 409) {
          await expectApiError(res, 409, ErrorCode.RoundNotOpen)
          return
        } else {
          expect(k % 3, 'only the over-limit ballots are refused while open').toBe(2)
          await expectApiError(res, 422, ErrorCode.VoteLimit)
        }
      }
    }
    const casting = voters.map((_, i) => cast(i))
    await someIn
    closing = true
    const close = await post(b.server.url, ws.facilitatorKey, ROUND_API.close(ws.id, roundId))
    closed = true
    expect(close.status).toBe(200)
    await Promise.all(casting)
    expect(lateAccepted, 'no ballot asked after the close answered is taken').toEqual([])

    const reveal = await post(a.server.url, ws.facilitatorKey, ROUND_API.reveal(ws.id, roundId))
    expect(reveal.status).toBe(200)
    const counted = (await reveal.json()) as {
      voters: number
      tasks: { taskId: string; dots: number }[]
    }
    // each voter counts once, with the ballot last answered 200
    expect(counted.voters).toBe(lastAccepted.size)
    const expected = new Map<string, number>()
    for (const dots of lastAccepted.values())
      for (const [task, n] of Object.entries(dots))
        expected.set(task, (expected.get(task) ?? 0) + n)
    for (const t of counted.tasks) expect(t.dots).toBe(expected.get(t.taskId) ?? 0)

    // after the tally: refused on both servers, and the stored ballots are the tallied ones
    for (const s of [a, b]) {
      const res = await post(s.server.url, voters[0]!.token, ROUND_API.ballot(ws.id, roundId), {
        dots: { [TASKS[0]!]: 1 },
      })
      await expectApiError(res, 409, ErrorCode.RoundNotOpen)
    }
    const rows = await a.store.ballots(ws.id, roundId)
    expect(rows).toHaveLength(counted.voters)
    for (const row of rows) {
      const dots = Object.values((JSON.parse(row.ballot) as { dots: Record<string, number> }).dots)
      expect(dots.reduce((x, y) => x + y, 0)).toBeLessThanOrEqual(LIMITS.dotsPerPerson)
      expect(Math.max(...dots)).toBeLessThanOrEqual(LIMITS.maxPerTask)
    }
    // the round as the database has it, and the display copy on the server that revealed
    const { rows: roundRows } = await a.store.pool.query<{ status: string; voter_count: number }>(
      'SELECT status, voter_count FROM rounds WHERE workshop_id = $1 AND id = $2',
      [ws.id, roundId],
    )
    expect(roundRows).toEqual([{ status: 'revealed', voter_count: counted.voters }])
    const shown = await a.server.rooms.read(ws.id, DocName.Control, (doc) => ({
      round: readRound(doc, roundId),
      tally: readTally(doc, roundId),
    }))
    expect(shown.round?.status).toBe('revealed')
    expect(shown.tally?.voters).toBe(counted.voters)
    console.log(
      `[ledger routes] ${accepted} ballots taken (${acceptedWhileClosing} while the close was on its way), ${lastAccepted.size} voters tallied, 0 after the close`,
    )
  })
})

/** A round as an older workshop has it: in the control doc only, with a ballot in the store. */
const oldRound = (id: string): Round => ({
  id,
  title: 'Van voor het grootboek',
  kind: 'dots',
  taskIds: TASKS,
  ...LIMITS,
  status: 'open',
  openedAt: 1,
  closedAt: null,
  voterCount: 1,
})

const STORES: Record<string, () => Promise<Partial<TestServerOptions>>> = {
  'SQLite (the control doc keeps rounds)': async () => ({}),
  'PostgreSQL (taken into the rows on first use)': async () => {
    const store: PostgresStore = await openPostgresStore({
      connectionString: db.url,
      schema: db.schema('old'),
    })
    return { asyncStore: store, ledger: postgresLedger(store.pool) }
  },
}

describe.each(Object.keys(STORES))('a round only the control doc knows, on %s', (kind) => {
  it('blocks a second open round, takes ballots, closes and reveals with its earlier ballots', async () => {
    let store: AsyncStore | null = null
    const server = await startTestServer({
      ...(await STORES[kind]!()),
      wrapAsyncStore: (s) => (store = s),
    })
    track(() => server.close())
    const { ws, tables } = await workshopOn(server)
    const round = oldRound('r-oud')
    const early = await joinTable(server.url, ws.joinCode, 'Vroeg', tables[0]!)
    const late = await joinTable(server.url, ws.joinCode, 'Laat', tables[1]!)
    await server.rooms.write(ws.id, DocName.Control, (doc) => writeRound(doc, round))
    await store!.putBallot({
      workshopId: ws.id,
      roundId: round.id,
      participantId: early.participantId,
      tableId: tables[0]!,
      ballot: JSON.stringify({ dots: { [TASKS[0]!]: 2 }, scores: {} }),
      castAt: 2,
    })

    const second = await post(server.url, ws.facilitatorKey, ROUND_API.open(ws.id), {
      kind: 'dots',
      taskIds: TASKS,
      ...LIMITS,
    })
    const refused = await expectApiError(second, 409, ErrorCode.RoundAlreadyOpen)
    expect(refused.message).toBe(`round ${round.id} is still open; close it first`)

    const vote = await post(server.url, late.token, ROUND_API.ballot(ws.id, round.id), {
      dots: { [TASKS[1]!]: 2, [TASKS[2]!]: 1 },
    })
    expect(vote.status).toBe(200)
    expect(await vote.json()).toEqual({ ok: true, voterCount: 2 })
    const over = await post(server.url, late.token, ROUND_API.ballot(ws.id, round.id), {
      dots: { [TASKS[1]!]: 3 },
    })
    await expectApiError(over, 422, ErrorCode.VoteLimit)

    expect(
      (await post(server.url, ws.facilitatorKey, ROUND_API.close(ws.id, round.id))).status,
    ).toBe(200)
    const after = await post(server.url, late.token, ROUND_API.ballot(ws.id, round.id), {
      dots: { [TASKS[0]!]: 1 },
    })
    await expectApiError(after, 409, ErrorCode.RoundNotOpen)
    const reveal = await post(server.url, ws.facilitatorKey, ROUND_API.reveal(ws.id, round.id))
    expect(reveal.status).toBe(200)
    const counted = (await reveal.json()) as {
      voters: number
      tasks: { taskId: string; dots: number }[]
    }
    expect(counted.voters).toBe(2)
    expect(Object.fromEntries(counted.tasks.map((t) => [t.taskId, t.dots]))).toEqual({
      [TASKS[0]!]: 2,
      [TASKS[1]!]: 2,
      [TASKS[2]!]: 1,
    })
    // and a new round opens now that it is closed
    const next = await post(server.url, ws.facilitatorKey, ROUND_API.open(ws.id), {
      kind: 'dots',
      taskIds: TASKS,
      ...LIMITS,
    })
    expect(next.status).toBe(201)
  })
})
