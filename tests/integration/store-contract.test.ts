/**
 * One contract, every store (issue #12): the embedded SQLite store behind the async interface and
 * the PostgreSQL store on a real server answer the same calls the same way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { DocName } from '../../shared/protocol.ts'
import { type AsyncStore, asAsyncStore } from '../../server/store/async-store.ts'
import { openPostgresStore } from '../../server/store/postgres.ts'
import { openSqliteStore } from '../../server/store/sqlite.ts'
import { openSqliteWorkerStore } from '../../server/store/sqlite-worker.ts'
import { isStorageFailure } from '../../server/http/respond.ts'
import { STAFF, SnapshotKind, applyStored, logKey } from '../../server/store/store.ts'
import { type TestPostgres, startPostgres } from '../helpers/postgres.ts'
import { tempDir } from '../helpers/server.ts'
import { workshopRow } from '../fixtures/builders.ts'

let pg: TestPostgres
beforeAll(async () => {
  pg = await startPostgres()
}, 60_000)
afterAll(async () => {
  await pg?.stop()
})

const STORES: Record<string, () => Promise<AsyncStore>> = {
  sqlite: async () => asAsyncStore(openSqliteStore({ dataDir: ':memory:' })),
  'sqlite on its own thread': () => openSqliteWorkerStore({ dataDir: tempDir() }),
  postgres: () => openPostgresStore({ connectionString: pg.url, schema: pg.schema('contract') }),
}

/** A real Yjs update written under a chosen client id. */
function update(clientId: number, key: string, value: string): Uint8Array {
  const doc = new Y.Doc()
  doc.clientID = clientId
  doc.getMap('m').set(key, value)
  return Y.encodeStateAsUpdate(doc)
}

describe.each(Object.keys(STORES))('the %s store', (kind) => {
  let store: AsyncStore
  beforeAll(async () => {
    store = await STORES[kind]!()
  }, 60_000)
  afterAll(async () => {
    await store?.close()
  })

  it('creates workshops and finds them by id and by join code', async () => {
    await store.createWorkshop(workshopRow('w1', { sharedTextOpen: true }))
    expect(await store.workshop('w1')).toEqual(workshopRow('w1', { sharedTextOpen: true }))
    expect((await store.workshopByCode('CODEW1'))?.id).toBe('w1')
    expect(await store.workshop('nope')).toBeNull()
    expect(await store.workshopByCode('NOPE')).toBeNull()
    // a join code is unique
    await expect(store.createWorkshop(workshopRow('w1b', { joinCode: 'CODEW1' }))).rejects.toThrow()
  })

  it('creates a workshop with its first log entries in one transaction: a failure in the middle leaves nothing', async () => {
    const entry = (doc: DocName, data: Uint8Array) => ({
      workshopId: 'wtx',
      doc,
      time: 7,
      participantId: null,
      data,
    })
    // the board entry is written, then the control entry cannot be read: all of it is rolled back
    const broken = [
      entry(DocName.Board, update(41, 'board', 'eerst')),
      entry(DocName.Control, new Uint8Array([255, 255, 255, 255])),
    ]
    await expect(store.createWorkshop(workshopRow('wtx'), broken)).rejects.toThrow()
    expect(await store.workshop('wtx')).toBeNull()
    expect(await store.workshopByCode('CODEWTX')).toBeNull()
    expect(Object.values(await store.rowsForWorkshop('wtx')).every((n) => n === 0)).toBe(true)
    // no numbers were used up: the same workshop is created whole afterwards, from seq 1
    const whole = [
      entry(DocName.Board, update(41, 'board', 'eerst')),
      entry(DocName.Control, update(42, 'control', 'daarna')),
    ]
    await store.createWorkshop(workshopRow('wtx'), whole)
    expect(await store.workshop('wtx')).toEqual(workshopRow('wtx'))
    expect((await store.log('wtx', DocName.Board)).map((e) => e.seq)).toEqual([1])
    expect((await store.log('wtx', DocName.Control)).map((e) => e.seq)).toEqual([1])
    expect((await store.clientOwners('wtx', DocName.Board)).get(41)).toBe(STAFF)
    const [next] = (
      await store.appendUpdates([entry(DocName.Board, update(43, 'b', 'c'))])
    ).values()
    expect(next).toBe(2)
  })

  it('changes only the settings a patch names', async () => {
    await store.createWorkshop(workshopRow('w2'))
    const changed = await store.updateWorkshopSettings('w2', {
      anonymity: 'anonymous',
      minTableVoters: 5,
    })
    expect(changed).toEqual(workshopRow('w2', { anonymity: 'anonymous', minTableVoters: 5 }))
    expect(await store.updateWorkshopSettings('w2', { sharedTextOpen: true })).toMatchObject({
      anonymity: 'anonymous',
      sharedTextOpen: true,
      title: 'Workshop w2',
    })
    expect(await store.updateWorkshopSettings('missing', { title: 'x' })).toBeNull()
  })

  it('keeps co-facilitator links in order, finds them by key and revokes each once', async () => {
    await store.createWorkshop(workshopRow('wc'))
    const link = (id: string, createdAt: number) => ({
      id,
      workshopId: 'wc',
      keyHash: `key-${id}`,
      label: `Link ${id}`,
      createdAt,
      revokedAt: null,
    })
    await store.addCoFacilitator(link('b', 5))
    await store.addCoFacilitator(link('a', 5))
    expect((await store.coFacilitators('wc')).map((l) => l.id)).toEqual(['b', 'a'])
    expect(await store.coFacilitatorByKey('wc', 'key-a')).toEqual(link('a', 5))
    expect(await store.coFacilitatorByKey('w1', 'key-a')).toBeNull()
    expect(await store.revokeCoFacilitator('wc', 'a', 9)).toBe(true)
    expect(await store.revokeCoFacilitator('wc', 'a', 10)).toBe(false)
    expect(await store.revokeCoFacilitator('wc', 'nope', 10)).toBe(false)
    expect((await store.coFacilitatorByKey('wc', 'key-a'))?.revokedAt).toBe(9)
  })

  it('keeps participants, finds them by token and counts them per table', async () => {
    await store.createWorkshop(workshopRow('w3'))
    const p = (id: string, table: string, createdAt: number) => ({
      id,
      workshopId: 'w3',
      tokenHash: `tok-${id}`,
      name: `Naam ${id}`,
      tableId: table,
      createdAt,
    })
    await store.addParticipant(p('b', 't1', 2))
    await store.addParticipant(p('a', 't1', 1))
    await store.addParticipant(p('c', 't2', 3))
    expect(await store.participantByToken('w3', 'tok-b')).toEqual(p('b', 't1', 2))
    expect(await store.participantByToken('w1', 'tok-b')).toBeNull()
    expect((await store.participants('w3')).map((r) => r.id)).toEqual(['a', 'b', 'c'])
    expect(await store.participantCountByTable('w3')).toEqual(
      new Map([
        ['t1', 2],
        ['t2', 1],
      ]),
    )
  })

  it('numbers the log per doc from 1, in one transaction per batch, and names each client id’s first writer', async () => {
    await store.createWorkshop(workshopRow('w4'))
    const at = (doc: DocName, participantId: string | null, data: Uint8Array, time = 10) => ({
      workshopId: 'w4',
      doc,
      time,
      participantId,
      data,
    })
    const first = await store.appendUpdates([
      at(DocName.Board, 'p1', update(101, 'a', '1')),
      at(DocName.Control, null, update(900, 'phase', 'x')),
      at(DocName.Board, 'p1', update(101, 'b', '2')),
    ])
    expect(first).toEqual(
      new Map([
        [logKey('w4', DocName.Board), 2],
        [logKey('w4', DocName.Control), 1],
      ]),
    )
    // a batch that fails consumes no numbers and leaves nothing behind
    await expect(
      store.appendUpdates([
        at(DocName.Board, 'p2', update(202, 'c', '3')),
        at(DocName.Board, 'p2', new Uint8Array([0xff, 0xff, 0xff])),
      ]),
    ).rejects.toThrow()
    // client 101 stays p1's although p2 writes under it later (the write guard refuses that;
    // the store records only the first writer)
    const next = await store.appendUpdates([
      at(DocName.Board, 'p2', update(202, 'c', '3'), 11),
      at(DocName.Board, 'p2', update(101, 'd', '4'), 12),
    ])
    expect(next.get(logKey('w4', DocName.Board))).toBe(4)
    expect(await store.clientOwners('w4', DocName.Board)).toEqual(
      new Map([
        [101, 'p1'],
        [202, 'p2'],
      ]),
    )
    expect(await store.clientOwners('w4', DocName.Control)).toEqual(new Map([[900, STAFF]]))
    const log = await store.log('w4', DocName.Board)
    expect(log.map((e) => [e.seq, e.time])).toEqual([
      [1, 10],
      [2, 10],
      [3, 11],
      [4, 12],
    ])
    expect(log[2]!.data).toEqual(update(202, 'c', '3'))
    const bytes = log.reduce((n, e) => n + e.data.byteLength, 0)
    const control = (await store.log('w4', DocName.Control))[0]!.data.byteLength
    expect(await store.logBytes('w4')).toBe(bytes + control)
    expect(await store.logBytes('nothing')).toBe(0)
  })

  it('loads a doc from its latest checkpoint and the updates after it', async () => {
    await store.createWorkshop(workshopRow('w5'))
    const doc = new Y.Doc()
    doc.clientID = 7
    const writes: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => writes.push(u))
    for (let i = 0; i < 5; i++) doc.getMap('m').set(`k${i}`, i)
    for (const [i, data] of writes.entries())
      await store.appendUpdates([
        { workshopId: 'w5', doc: DocName.Board, time: i, participantId: null, data },
      ])
    const empty = await store.loadDoc('w5', DocName.Control)
    expect(empty).toEqual({ checkpoint: null, checkpointSeq: 0, updates: [], lastSeq: 0 })
    const whole = await store.loadDoc('w5', DocName.Board)
    expect([whole.checkpointSeq, whole.updates.length, whole.lastSeq]).toEqual([0, 5, 5])

    // a checkpoint at seq 3 holds what the first three updates did
    const upTo3 = new Y.Doc()
    for (const u of writes.slice(0, 3)) Y.applyUpdate(upTo3, u)
    await store.writeCheckpoint('w5', DocName.Board, 3, 99, Y.encodeStateAsUpdate(upTo3))
    const loaded = await store.loadDoc('w5', DocName.Board)
    expect([loaded.checkpointSeq, loaded.updates.length, loaded.lastSeq]).toEqual([3, 2, 5])
    const back = new Y.Doc()
    expect(applyStored(back, loaded, 'test')).toBe(false)
    expect(back.getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON())
  })

  it('counts voters as ballots are cast and replaced, and drops a round’s ballots', async () => {
    const ballot = (participantId: string, value: string, castAt: number) => ({
      workshopId: 'w3',
      roundId: 'r1',
      participantId,
      tableId: 't1',
      ballot: JSON.stringify({ dots: { x: value } }),
      castAt,
    })
    expect(await store.putBallot(ballot('b', '1', 1))).toBe(1)
    expect(await store.putBallot(ballot('a', '2', 2))).toBe(2)
    // the same voter again replaces their ballot
    expect(await store.putBallot(ballot('b', '3', 3))).toBe(2)
    expect(await store.ballots('w3', 'r1')).toEqual([ballot('a', '2', 2), ballot('b', '3', 3)])
    await store.deleteBallots('w3', 'r1')
    expect(await store.ballots('w3', 'r1')).toEqual([])
  })

  it('keeps snapshots in the order taken, with their states byte for byte', async () => {
    const snap = (id: string, createdAt: number) => ({
      id,
      workshopId: 'w5',
      label: `Snapshot ${id}`,
      kind: SnapshotKind.Manual,
      createdAt,
      boardSeq: 3,
      controlSeq: 0,
      board: new Uint8Array([1, 2, 3, 0, 255]),
      control: new Uint8Array([]),
    })
    await store.putSnapshot(snap('s2', 50))
    await store.putSnapshot(snap('s1', 50))
    await store.putSnapshot(snap('s0', 40))
    expect((await store.snapshots('w5')).map((s) => s.id)).toEqual(['s0', 's2', 's1'])
    expect(await store.snapshot('w5', 's2')).toEqual(snap('s2', 50))
    expect(await store.snapshot('w5', 'nope')).toBeNull()
  })

  it('lists workshops created before a time, and deletes one workshop entirely', async () => {
    await store.createWorkshop(workshopRow('old', { createdAt: 1_000 }))
    expect(await store.workshopsCreatedBefore(2_000)).toEqual(['old'])
    const before = await store.rowsForWorkshop('w5')
    expect(before).toMatchObject({ workshops: 1, updates: 5, checkpoints: 1, snapshots: 3 })
    await store.deleteWorkshop('w5')
    const after = await store.rowsForWorkshop('w5')
    expect(Object.values(after).every((n) => n === 0)).toBe(true)
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort())
    // the others are untouched
    expect((await store.rowsForWorkshop('w4')).updates).toBe(5)
  })
})

describe('the SQLite thread', () => {
  it('commits while the relay’s event loop keeps turning', async () => {
    const store = await openSqliteWorkerStore({ dataDir: tempDir() })
    try {
      await store.createWorkshop(workshopRow('busy'))
      // 8 MB in one FULL-synchronous transaction: far longer than one turn of the loop
      const batch = Array.from({ length: 64 }, (_, i) => ({
        workshopId: 'busy',
        doc: DocName.Board,
        time: i,
        participantId: null,
        data: update(1_000 + i, 'k', 'x'.repeat(128 * 1024)),
      }))
      let turns = 0
      let counting = true
      const tick = () => {
        turns++
        if (counting) setImmediate(tick)
      }
      setImmediate(tick)
      const last = await store.appendUpdates(batch)
      counting = false
      expect(last.get(logKey('busy', DocName.Board))).toBe(64)
      expect(turns).toBeGreaterThan(1)
    } finally {
      await store.close()
    }
  })

  it('passes a full disk on as a storage failure, and keeps serving after it', async () => {
    const store = await openSqliteWorkerStore({ dataDir: tempDir(), maxPageCount: 64 })
    try {
      await store.createWorkshop(workshopRow('full'))
      const big = {
        workshopId: 'full',
        doc: DocName.Board,
        time: 1,
        participantId: null,
        data: update(5, 'k', 'x'.repeat(1024 * 1024)),
      }
      const err = await store.appendUpdates([big]).then(
        () => null,
        (e: unknown) => e,
      )
      expect(err).toBeInstanceOf(Error)
      expect((err as { code?: string }).code).toBe('SQLITE_FULL')
      expect(isStorageFailure(err)).toBe(true)
      expect((await store.workshop('full'))?.id).toBe('full')
    } finally {
      await store.close()
    }
  })
})
