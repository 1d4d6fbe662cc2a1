/**
 * A commit whose outcome is unknown (issue #12, point 3): the connection to PostgreSQL breaks
 * after COMMIT was sent. The store must not guess: it reads the log back and answers "committed"
 * (the caller may ack) or "failed" (the caller keeps its queue and retries), so an ack always
 * means "in the database" and no update is written twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { DocName } from '../../shared/protocol.ts'
import { isStorageFailure } from '../../server/http/respond.ts'
import { openPostgresStore, type PostgresStore } from '../../server/store/postgres.ts'
import { logKey } from '../../server/store/store.ts'
import { workshopRow as workshop } from '../fixtures/builders.ts'
import { type CutProxy, startCutProxy } from '../helpers/cut-proxy.ts'
import { type TestPostgres, startPostgres } from '../helpers/postgres.ts'

let postgres: TestPostgres
let proxy: CutProxy
let store: PostgresStore
beforeAll(async () => {
  postgres = await startPostgres({ durableCommits: true })
  proxy = await startCutProxy(postgres.url)
  store = await openPostgresStore({
    connectionString: proxy.url,
    schema: postgres.schema('outcome'),
  })
})
afterAll(async () => {
  await store?.close()
  await proxy?.close()
  await postgres?.stop()
})

function update(clientId: number, text: string): Uint8Array {
  const doc = new Y.Doc()
  doc.clientID = clientId
  doc.getText('t').insert(0, text)
  return Y.encodeStateAsUpdate(doc)
}

const logged = (workshopId: string, data: Uint8Array) => ({
  workshopId,
  doc: DocName.Board,
  time: 1,
  participantId: null,
  data,
})

/** The log's numbers 1 … lastSeq, if it holds exactly that many updates (none twice, none missing). */
async function logOf(workshopId: string): Promise<number[]> {
  const stored = await store.loadDoc(workshopId, DocName.Board)
  expect(stored.checkpoint).toBeNull()
  expect(stored.updates.length).toBe(stored.lastSeq)
  return Array.from({ length: stored.lastSeq }, (_, i) => i + 1)
}

describe('a COMMIT whose answer is lost', () => {
  it('committed in the database: the store reads it back and answers with its numbers, written once', async () => {
    await store.createWorkshop(workshop('wa'))
    await store.appendUpdates([logged('wa', update(1, 'eerste'))])
    const cut = proxy.arm('after-commit')
    const out = await store.appendUpdates([
      logged('wa', update(2, 'tweede')),
      logged('wa', update(3, 'derde')),
    ])
    await cut
    expect(out).toEqual(new Map([[logKey('wa', DocName.Board), 3]]))
    expect(await logOf('wa')).toEqual([1, 2, 3])
    // the next batch follows on, not over the settled one
    await store.appendUpdates([logged('wa', update(4, 'vierde'))])
    expect(await logOf('wa')).toEqual([1, 2, 3, 4])
  })

  it('never reached the database: the store fails the batch as a storage failure, and a retry takes the same numbers', async () => {
    await store.createWorkshop(workshop('wb'))
    await store.appendUpdates([logged('wb', update(1, 'eerste'))])
    const cut = proxy.arm('before-commit')
    const batch = [logged('wb', update(2, 'tweede'))]
    const failed = await store.appendUpdates(batch).then(
      () => null,
      (err: unknown) => err,
    )
    await cut
    expect(failed).toBeInstanceOf(Error)
    expect(isStorageFailure(failed)).toBe(true)
    expect(await logOf('wb')).toEqual([1])
    expect(await store.appendUpdates(batch)).toEqual(new Map([[logKey('wb', DocName.Board), 2]]))
    expect(await logOf('wb')).toEqual([1, 2])
  })
})
