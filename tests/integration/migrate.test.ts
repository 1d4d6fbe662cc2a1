/**
 * `npm run migrate` (issue #12): a meeting held on the embedded SQLite store, copied into a real
 * PostgreSQL by the command itself, reads back the same through every store call, and a server on
 * PostgreSQL answers its replay, report, history and export byte for byte as the SQLite server did;
 * a rerun skips it.
 */
import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CO_FACILITATOR_API, HISTORY_API } from '../../shared/api.ts'
import { ReplayDocName, decodeReplayHead } from '../../shared/replay-segments.ts'
import { DocName } from '../../shared/protocol.ts'
import { type AsyncStore, asAsyncStore } from '../../server/store/async-store.ts'
import { openPostgresStore } from '../../server/store/postgres.ts'
import { openSqliteStore } from '../../server/store/sqlite.ts'
import { useCleanups } from '../helpers/lifecycle.ts'
import { type TestPostgres, startPostgres } from '../helpers/postgres.ts'
import { reportMeeting } from '../helpers/report-meeting.ts'
import { startTestServer } from '../helpers/server.ts'
import { bearerFetch } from '../helpers/scenario.ts'

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

type Fetch = ReturnType<typeof bearerFetch>

/** What an organiser reads of a meeting through the server: replay (every segment), reports, export. */
async function readBack(api: Fetch, id: string) {
  const body = async (path: string) => {
    const res = await api('GET', path)
    expect(res.status, path).toBe(200)
    return Buffer.from(await res.arrayBuffer()).toString('base64')
  }
  // small segments, so the replay is read in many parts
  const head = await body(HISTORY_API.replayOutline(id, 20))
  const { outline } = decodeReplayHead(Buffer.from(head, 'base64'))
  const segments: string[] = []
  for (const doc of ReplayDocName.options)
    for (const s of outline[doc])
      segments.push(await body(HISTORY_API.replaySegment(id, doc, s.base, s.last)))
  const reports: string[] = []
  for (const format of ['md', 'html', 'json'])
    for (const lang of ['nl', 'en'])
      reports.push(await body(`${HISTORY_API.report(id)}?format=${format}&lang=${lang}`))
  return {
    head,
    parts: outline.board.length + outline.control.length,
    segments,
    reports,
    history: await body(HISTORY_API.history(id)),
    export: await body(HISTORY_API.export(id)),
  }
}

/** Both servers print the same "generated at" into reports and exports. */
const FIXED_CLOCK = { now: () => Date.parse('2026-12-01T20:00:00Z') }

describe('npm run migrate', () => {
  it('copies a held meeting into PostgreSQL: every store call, and replay, reports, history and export through a server, answer the same', async () => {
    const server = await startTestServer()
    const { ws, asFacilitator, dots, scores } = await reportMeeting(server, track)
    for (const label of ['Na de tafelronde', 'Na het stemmen'])
      expect((await asFacilitator('POST', HISTORY_API.snapshots(ws.id), { label })).ok).toBe(true)
    const link = await asFacilitator('POST', CO_FACILITATOR_API.links(ws.id), { label: 'Inge' })
    expect(link.ok).toBe(true)
    await server.close()
    // the same data dir, read by a server whose clock stands still
    const sqliteServer = await startTestServer({ dataDir: server.dataDir, clock: FIXED_CLOCK })
    const onSqlite = await readBack(bearerFetch(sqliteServer.url, ws.facilitatorKey), ws.id)
    await sqliteServer.close()
    expect(onSqlite.parts).toBeGreaterThan(2)

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

    const pgServer = await startTestServer({
      asyncStore: await openPostgresStore({ connectionString: db.url, schema }),
      clock: FIXED_CLOCK,
    })
    track(() => pgServer.close())
    const onPostgres = await readBack(bearerFetch(pgServer.url, ws.facilitatorKey), ws.id)
    await pgServer.close()
    expect(onPostgres).toEqual(onSqlite)

    const again = await run(process.execPath, [...cli, '--schema', schema], { cwd: REPO })
    expect(again.stdout).toMatch(/copied 0 workshop\(s\), skipped 1/)
  })
})
