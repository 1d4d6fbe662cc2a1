/**
 * `npm run migrate` (issue #12): a meeting held on the embedded SQLite store, copied into a real
 * PostgreSQL by the command itself, reads back the same through every store call; a rerun skips it.
 */
import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CO_FACILITATOR_API, HISTORY_API } from '../../shared/api.ts'
import { DocName } from '../../shared/protocol.ts'
import { type AsyncStore, asAsyncStore } from '../../server/store/async-store.ts'
import { openPostgresStore } from '../../server/store/postgres.ts'
import { openSqliteStore } from '../../server/store/sqlite.ts'
import { useCleanups } from '../helpers/lifecycle.ts'
import { type TestPostgres, startPostgres } from '../helpers/postgres.ts'
import { reportMeeting } from '../helpers/report-meeting.ts'
import { startTestServer } from '../helpers/server.ts'

const run = promisify(execFile)
const REPO = path.resolve(import.meta.dirname, '../..')
const track = useCleanups()

let db: TestPostgres
beforeAll(async () => {
  db = await startPostgres()
}, 60_000)
afterAll(async () => {
  await db?.stop()
})

/** Everything a store says about one workshop, through the store contract. */
async function everything(store: AsyncStore, id: string, roundIds: string[]) {
  const snapshots = await store.snapshots(id)
  return {
    workshop: await store.workshop(id),
    participants: await store.participants(id),
    coFacilitators: await store.coFacilitators(id),
    counts: [...(await store.participantCountByTable(id))].sort(),
    logs: [await store.log(id, DocName.Board), await store.log(id, DocName.Control)],
    docs: [await store.loadDoc(id, DocName.Board), await store.loadDoc(id, DocName.Control)],
    owners: [
      [...(await store.clientOwners(id, DocName.Board))].sort(),
      [...(await store.clientOwners(id, DocName.Control))].sort(),
    ],
    bytes: await store.logBytes(id),
    ballots: await Promise.all(roundIds.map((r) => store.ballots(id, r))),
    snapshots,
    states: await Promise.all(snapshots.map((s) => store.snapshot(id, s.id))),
  }
}

describe('npm run migrate', () => {
  it('copies a held meeting into PostgreSQL so that every store call answers the same', async () => {
    const server = await startTestServer()
    const { ws, asFacilitator, dots, scores } = await reportMeeting(server, track)
    for (const label of ['Na de tafelronde', 'Na het stemmen'])
      expect((await asFacilitator('POST', HISTORY_API.snapshots(ws.id), { label })).ok).toBe(true)
    const link = await asFacilitator('POST', CO_FACILITATOR_API.links(ws.id), { label: 'Inge' })
    expect(link.ok).toBe(true)
    await server.close()

    const schema = db.schema('migrate')
    const cli = ['--import', 'tsx', 'server/migrate.ts', '--from', server.dataDir, '--to', db.url]
    const first = await run(process.execPath, [...cli, '--schema', schema], { cwd: REPO })
    expect(first.stdout).toMatch(/copied 1 workshop\(s\), skipped 0/)

    const sqlite = asAsyncStore(openSqliteStore({ dataDir: server.dataDir }))
    const pg = await openPostgresStore({ connectionString: db.url, schema })
    try {
      const before = await everything(sqlite, ws.id, [dots, scores])
      const after = await everything(pg, ws.id, [dots, scores])
      expect(before.logs[0]!.length).toBeGreaterThan(10)
      expect(before.ballots.flat().length).toBe(16)
      expect(before.snapshots).toHaveLength(2)
      expect(before.coFacilitators).toHaveLength(1)
      expect(after).toEqual(before)
    } finally {
      await sqlite.close()
      await pg.close()
    }

    const again = await run(process.execPath, [...cli, '--schema', schema], { cwd: REPO })
    expect(again.stdout).toMatch(/copied 0 workshop\(s\), skipped 1/)
  })
})
