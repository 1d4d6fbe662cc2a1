/**
 * One owner per workshop on a real PostgreSQL (issue #12): the lease is exclusive, dies with its
 * session, and a takeover fences the old owner out of every commit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import pg from 'pg'
import * as Y from 'yjs'
import { DocName } from '../../shared/protocol.ts'
import { Leases } from '../../server/cluster/lease.ts'
import { NotOwnerError, openPostgresStore } from '../../server/store/postgres.ts'
import { type TestPostgres, startPostgres } from '../helpers/postgres.ts'

let db: TestPostgres
let schema: string
const open: { close(): Promise<void> }[] = []
beforeAll(async () => {
  db = await startPostgres()
  schema = db.schema('lease')
  // the store migrates the schema the leases live in
  const s = await openPostgresStore({ connectionString: db.url, schema })
  await s.close()
}, 60_000)
afterAll(async () => {
  for (const o of open.reverse()) await o.close()
  await db?.stop()
})

async function instance(id: string, fenceOverride?: (w: string) => number | null) {
  const leases = await Leases.open({
    connectionString: db.url,
    schema,
    instanceId: id,
    internalUrl: `ws://${id}.internal:1234`,
  })
  const store = await openPostgresStore({
    connectionString: db.url,
    schema,
    max: 2,
    fence: fenceOverride ?? leases.epoch,
  })
  open.push(leases, store)
  return { leases, store }
}

const edit = (workshopId: string, clientId: number) => {
  const doc = new Y.Doc()
  doc.clientID = clientId
  doc.getMap('m').set('k', clientId)
  return {
    workshopId,
    doc: DocName.Board,
    time: 1,
    participantId: null,
    data: Y.encodeStateAsUpdate(doc),
  }
}

const lost = (leases: Leases) =>
  new Promise<string[]>((resolve) => leases.once('lost', (ids) => resolve(ids)))

describe('workshop leases', () => {
  it('are held by one instance at a time; the other learns who holds it', async () => {
    const a = await instance('a1')
    const b = await instance('b1')
    expect(await a.leases.acquire('w1')).toEqual({ held: true, epoch: 1 })
    expect(await a.leases.acquire('w1')).toEqual({ held: true, epoch: 1 })
    expect(await b.leases.acquire('w1')).toEqual({
      held: false,
      owner: { instanceId: 'a1', internalUrl: 'ws://a1.internal:1234' },
    })
    await a.store.appendUpdates([edit('w1', 1)])
    await expect(b.store.appendUpdates([edit('w1', 2)])).rejects.toBeInstanceOf(NotOwnerError)
    expect((await a.store.log('w1', DocName.Board)).length).toBe(1)

    // released, the next owner takes it under a new epoch
    await a.leases.release('w1')
    expect(await b.leases.acquire('w1')).toEqual({ held: true, epoch: 2 })
    await b.store.appendUpdates([edit('w1', 2)])
    await expect(a.store.appendUpdates([edit('w1', 3)])).rejects.toBeInstanceOf(NotOwnerError)
  })

  it('die with their session, and a takeover fences out the owner that did not notice', async () => {
    const a = await instance('a2')
    // plays an owner whose lock session died without it noticing yet: it still believes epoch 1
    const stale = await instance('a2-stale', (w) => (w === 'w2' ? 1 : null))
    const b = await instance('b2')
    expect(await a.leases.acquire('w2')).toEqual({ held: true, epoch: 1 })
    await stale.store.appendUpdates([edit('w2', 10)])

    const admin = new pg.Client({ connectionString: db.url })
    await admin.connect()
    try {
      const gone = lost(a.leases)
      await admin.query('SELECT pg_terminate_backend($1)', [await a.leases.sessionPid()])
      expect(await gone).toEqual(['w2'])
    } finally {
      await admin.end()
    }
    expect(a.leases.epoch('w2')).toBeNull()

    expect(await b.leases.acquire('w2')).toEqual({ held: true, epoch: 2 })
    await expect(stale.store.appendUpdates([edit('w2', 11)])).rejects.toBeInstanceOf(NotOwnerError)
    await expect(
      stale.store.writeCheckpoint('w2', DocName.Board, 1, 5, new Uint8Array([0, 0])),
    ).rejects.toBeInstanceOf(NotOwnerError)
    await b.store.appendUpdates([edit('w2', 12)])
    const log = await b.store.log('w2', DocName.Board)
    expect(log.map((e) => e.seq)).toEqual([1, 2])
  })

  it('are removed with the workshop', async () => {
    const a = await instance('a3')
    await a.leases.acquire('w3')
    expect((await a.store.rowsForWorkshop('w3')).workshop_owners).toBe(1)
    await a.store.deleteWorkshop('w3')
    expect((await a.store.rowsForWorkshop('w3')).workshop_owners).toBe(0)
  })

  it('a cluster-wide duty (the retention sweep) runs on one instance at a time and is freed with its session', async () => {
    const a = await instance('duty-a')
    const b = await instance('duty-b')
    expect(await a.leases.tryDuty('retention')).toBe(true)
    expect(await b.leases.tryDuty('retention')).toBe(false)
    await a.leases.endDuty('retention')
    expect(await b.leases.tryDuty('retention')).toBe(true)
    // b dies holding it: the database frees it with b's session
    const admin = new pg.Client({ connectionString: db.url })
    await admin.connect()
    const gone = lost(b.leases)
    await admin.query('SELECT pg_terminate_backend($1)', [await b.leases.sessionPid()])
    await admin.end()
    await gone
    expect(await a.leases.tryDuty('retention')).toBe(true)
  })
})
