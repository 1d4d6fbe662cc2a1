/**
 * The edge's "does this workshop exist" (server/cluster/directory.ts): kept for EXISTS_TTL_MS on
 * the injected clock, forgotten at once by a purge on this instance, and a workshop purged on
 * another instance answers 404 here once that time is up, with no owner row left behind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { API } from '../../shared/api.ts'
import { ErrorCode } from '../../shared/protocol.ts'
import { EXISTS_TTL_MS, cachedDirectory } from '../../server/cluster/directory.ts'
import { Cluster } from '../../server/cluster/cluster.ts'
import { Leases } from '../../server/cluster/lease.ts'
import { silentLogger, systemAfter } from '../../server/deps.ts'
import type { AsyncStore } from '../../server/store/async-store.ts'
import type { WorkshopRow } from '../../server/store/store.ts'
import { openPostgresStore } from '../../server/store/postgres.ts'
import { postgresLedger } from '../../server/voting/ledger-postgres.ts'
import { workshopRow } from '../fixtures/builders.ts'
import { CLUSTER_SECRET } from '../helpers/cluster.ts'
import { useCleanups } from '../helpers/lifecycle.ts'
import { type TestPostgres, startPostgres } from '../helpers/postgres.ts'
import { bearerFetch } from '../helpers/scenario.ts'
import { createWorkshop, startTestServer } from '../helpers/server.ts'

const track = useCleanups()

/** A store of workshop rows that counts its reads and can hold one read back. */
function fakeStore(ids: string[]) {
  const rows = new Map(ids.map((id) => [id, workshopRow(id)]))
  let reads = 0
  let held: (() => void) | null = null
  const store = {
    async workshop(id: string): Promise<WorkshopRow | null> {
      reads++
      const row = rows.get(id) ?? null
      if (held) await new Promise<void>((resolve) => (held = resolve))
      return row
    },
    workshopByCode: async () => null,
    async deleteWorkshop(id: string) {
      rows.delete(id)
    },
  }
  return {
    store,
    reads: () => reads,
    /** The next read answers only when `release` is called. */
    hold: () => (held = () => {}),
    release: () => {
      const r = held
      held = null
      r?.()
    },
  }
}

const manualClock = () => {
  let t = 1_000
  return { now: () => t, advance: (ms: number) => void (t += ms) }
}

describe('the kept answer', () => {
  it('is read once per EXISTS_TTL_MS for a workshop that exists, every time for one that does not', async () => {
    const fake = fakeStore(['w1'])
    const clock = manualClock()
    const dir = cachedDirectory(fake.store, clock, async () => {})
    expect(await dir.workshopExists('w1')).toBe(true)
    clock.advance(EXISTS_TTL_MS - 1)
    expect(await dir.workshopExists('w1')).toBe(true)
    expect(fake.reads()).toBe(1)
    clock.advance(1)
    expect(await dir.workshopExists('w1')).toBe(true)
    expect(fake.reads()).toBe(2)
    // asked fresh, the store answers whatever is kept
    expect(await dir.workshopExists('w1', true)).toBe(true)
    expect(fake.reads()).toBe(3)
    // not created (yet): never kept, so a workshop created elsewhere is found at once
    expect(await dir.workshopExists('nope')).toBe(false)
    expect(await dir.workshopExists('nope')).toBe(false)
    expect(fake.reads()).toBe(5)
  })

  it('is forgotten by a purge through the watched store, also one racing a read', async () => {
    const fake = fakeStore(['w1', 'w2'])
    const clock = manualClock()
    const dir = cachedDirectory(fake.store, clock, async () => {})
    const store = dir.watching(fake.store as unknown as AsyncStore)
    expect(await dir.workshopExists('w1')).toBe(true)
    await store.deleteWorkshop('w1')
    expect(await dir.workshopExists('w1')).toBe(false)
    // a read that began before the purge and answers after it is not kept
    fake.hold()
    const racing = dir.workshopExists('w2')
    await store.deleteWorkshop('w2')
    fake.release()
    expect(await racing).toBe(true)
    expect(await dir.workshopExists('w2')).toBe(false)
  })
})

let db: TestPostgres
beforeAll(async () => {
  db = await startPostgres()
}, 60_000)
afterAll(() => db?.stop())

/** An instance of a cluster in this process, on a clock the test moves. */
async function instance(schema: string, name: string) {
  let url = ''
  const cluster = new Cluster({
    openSession: () =>
      Leases.open({ connectionString: db.url, schema, instanceId: name, internalUrl: url }),
    secret: CLUSTER_SECRET,
    instanceId: name,
    after: systemAfter,
    log: silentLogger,
  })
  const store = await openPostgresStore({
    connectionString: db.url,
    schema,
    max: 4,
    fence: cluster.epoch,
  })
  const clock = manualClock()
  const server = await startTestServer({
    asyncStore: store,
    cluster,
    clock,
    ledger: postgresLedger(store.pool),
  })
  url = server.url
  let closed = false
  const close = async () => {
    if (closed) return
    closed = true
    await server.close()
  }
  track(close)
  return { server, store, clock, close }
}

describe('a workshop purged on another instance', () => {
  it('answers 404 here within EXISTS_TTL_MS, and leaves no owner row when this instance takes the lease on the kept answer', async () => {
    const schema = db.schema('dircache')
    const a = await instance(schema, 'stip-a')
    const b = await instance(schema, 'stip-b')
    const owners = async (id: string) =>
      (
        await b.store.pool.query<{ n: number }>(
          'SELECT COUNT(*)::int AS n FROM workshop_owners WHERE workshop_id = $1',
          [id],
        )
      ).rows[0]!.n
    const info = (base: string, ws: { id: string; facilitatorKey: string }) =>
      bearerFetch(base, ws.facilitatorKey)('GET', API.workshop(ws.id))

    // owned by a; b keeps "exists" while it forwards there
    const one = await createWorkshop(a.server.url)
    expect((await info(a.server.url, one)).status).toBe(200)
    expect((await info(b.server.url, one)).status).toBe(200)
    const del = await bearerFetch(a.server.url, one.facilitatorKey)('DELETE', API.workshop(one.id))
    expect(del.status).toBe(204)
    // b may still take it to exist: its request goes to a, or is told to retry, never served
    const stale = await info(b.server.url, one)
    expect([404, 503]).toContain(stale.status)
    b.clock.advance(EXISTS_TTL_MS)
    const gone = await info(b.server.url, one)
    expect(gone.status).toBe(404)
    expect(((await gone.json()) as { error: string }).error).toBe(ErrorCode.WorkshopNotFound)

    // a second workshop: purged, then its owner goes away, so b takes the free lease on the
    // kept answer, finds the workshop gone and gives lease and owner row up again
    const two = await createWorkshop(a.server.url)
    expect((await info(a.server.url, two)).status).toBe(200)
    expect((await info(b.server.url, two)).status).toBe(200)
    await bearerFetch(a.server.url, two.facilitatorKey)('DELETE', API.workshop(two.id))
    await a.close()
    const taken = await info(b.server.url, two)
    expect(taken.status).toBe(404)
    expect(await owners(two.id)).toBe(0)
    expect(await owners(one.id)).toBe(0)
  })
})
