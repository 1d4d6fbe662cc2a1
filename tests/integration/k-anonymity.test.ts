/**
 * Small groups stay anonymous (issue #11 point 5), end to end over HTTP: what the control doc
 * publishes (the app and projector read it), the report in every format, and the export.
 */
import path from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { API, HISTORY_API, ROUND_API } from '../../shared/api.ts'
import { readTally } from '../../shared/control.ts'
import { ReportSchema } from '../../shared/report.ts'
import { addTask } from '../../shared/tasks.ts'
import { DEFAULT_MIN_TABLE_VOTERS, OTHER_TABLES } from '../../shared/tally-privacy.ts'
import { openSqliteStore } from '../../server/store/sqlite.ts'
import { createWorkshop, joinTable, startTestServer } from '../helpers/server.ts'
import { bearerFetch, facilitatedWorkshop } from '../helpers/scenario.ts'
import { connectClient, live, saved } from '../helpers/clients.ts'
import { until } from '../helpers/wait.ts'
import { SEED_TASKS } from '../fixtures/builders.ts'
import { useCleanups } from '../helpers/lifecycle.ts'

const track = useCleanups()

/** Four vote at the first table, three at the second, one alone at the third. */
const VOTERS_PER_TABLE = [4, 3, 1]

async function votedRound() {
  const server = await startTestServer()
  track(() => server.close())
  const { ws, info, fac } = await facilitatedWorkshop(server, track)
  const taskIds = ['t0', 't1', 't2']
  taskIds.forEach((id, i) =>
    addTask(fac.board, { id, title: SEED_TASKS[i]!, origin: [], author: 'f', created: i }),
  )
  await saved(fac)
  const asFacilitator = bearerFetch(server.url, ws.facilitatorKey)
  const ok = async (res: Promise<Response>) => {
    const r = await res
    if (!r.ok) throw new Error(`${r.status} ${await r.text()}`)
    return r
  }
  const { roundId } = (await (
    await ok(
      asFacilitator('POST', ROUND_API.open(ws.id), {
        kind: 'dots',
        taskIds,
        title: 'Stippen',
        dotsPerPerson: 3,
        maxPerTask: 3,
      }),
    )
  ).json()) as {
    roundId: string
  }
  let n = 0
  for (const [table, count] of VOTERS_PER_TABLE.entries()) {
    for (let i = 0; i < count; i++) {
      const p = await joinTable(server.url, ws.joinCode, `P${n++}`, info.tables[table]!.id)
      // the lone voter at the third table puts every dot on t2: that must not be readable anywhere
      const dots = table === 2 ? { t2: 3 } : { t0: 1, t1: 1 }
      await ok(bearerFetch(server.url, p.token)('POST', ROUND_API.ballot(ws.id, roundId), { dots }))
    }
  }
  await ok(asFacilitator('POST', ROUND_API.reveal(ws.id, roundId), {}))
  const viewer = connectClient(server.wsUrl, ws.id, { kind: 'viewer', code: ws.joinCode })
  track(() => viewer.destroy())
  await live(viewer)
  await until(
    'tally published',
    [[viewer.control, 'update']],
    () => readTally(viewer.control, roundId) !== null,
  )
  const get = async (p: string) => (await ok(asFacilitator('GET', p))).text()
  const tables = info.tables.map((t) => t.id)
  return { server, ws, info, tables, roundId, viewer, asFacilitator, ok, get }
}

describe('small groups stay anonymous: per-table tallies only for tables of >= 3 voters', () => {
  it('the published tally (app, projector), the report in JSON, Markdown and HTML, and the export all pool the small tables', async () => {
    const { tables, roundId, viewer, get, ws } = await votedRound()
    const [big, three, solo] = tables as [string, string, string]

    // what every screen reads: the lone voter's table and the smallest shown one pooled
    const tally = readTally(viewer.control, roundId)!
    expect(tally.votersByTable).toEqual({ [big]: 4, [OTHER_TABLES]: 4 })
    expect(tally.otherTables).toEqual([three, solo].sort())
    for (const t of tally.tasks)
      expect(Object.keys(t.byTable).sort()).toEqual([big, OTHER_TABLES].sort())
    expect(tally.tasks.find((t) => t.taskId === 't2')!.byTable[OTHER_TABLES]!.dots).toBe(3)

    const report = ReportSchema.parse(
      JSON.parse(await get(`${HISTORY_API.report(ws.id)}?format=json`)),
    )
    const round = report.rounds[0]!
    expect(round.votersByTable.map((v) => [v.tableId, v.voters])).toEqual([
      [big, 4],
      [OTHER_TABLES, 4],
    ])
    expect(round.otherTables).toEqual(['Management', 'Openbaar bestuur'])
    for (const task of report.tasks) {
      for (const res of task.results)
        expect(res.byTable.every((b) => b.tableId === big || b.tableId === OTHER_TABLES)).toBe(true)
    }

    const md = await get(`${HISTORY_API.report(ws.id)}?format=md`)
    expect(md).toContain('(per perspectief: Inwoner: 0 stippen; Overige tafels: 3 stippen)')
    expect(md).toContain('- Stippen (stippen verdelen): 8 stemmers (Inwoner: 4; Overige tafels: 4)')
    expect(md).not.toMatch(/Openbaar bestuur: \d/)
    const html = await get(`${HISTORY_API.report(ws.id)}?format=html`)
    expect(html).toContain('<th scope="col">Overige tafels<br><small>4 stemmers</small></th>')
    expect(html).not.toContain('<th scope="col">Openbaar bestuur<br>')
    expect(html).toContain(
      'Overige tafels: Management, Openbaar bestuur (samen getoond: aan een tafel met minder dan 3 stemmers',
    )

    // the export: no ballot per person, the round's pooled tally instead
    const exported = JSON.parse(await get(HISTORY_API.export(ws.id))) as {
      ballots: unknown[]
      rounds: { tally?: { votersByTable: Record<string, number> } }[]
      control: { json: { tallies: Record<string, { votersByTable: Record<string, number> }> } }
    }
    expect(exported.ballots).toEqual([])
    expect(exported.rounds[0]!.tally!.votersByTable).toEqual({ [big]: 4, [OTHER_TABLES]: 4 })
    expect(exported.control.json.tallies[roundId]!.votersByTable).toEqual({
      [big]: 4,
      [OTHER_TABLES]: 4,
    })
  })

  it('the threshold is the workshop setting; changing it, or turning named, re-publishes the tally', async () => {
    const { tables, roundId, viewer, asFacilitator, ok, get, ws } = await votedRound()
    const [big, three, solo] = tables as [string, string, string]
    const settings = async (body: unknown) =>
      (await ok(asFacilitator('PATCH', API.settings(ws.id), body))).json()

    // 5: the first table (4) pools too, and the pool then holds everyone
    expect(await settings({ minTableVoters: 5 })).toMatchObject({ minTableVoters: 5 })
    await until(
      'tally re-pooled at 5',
      [[viewer.control, 'update']],
      () => readTally(viewer.control, roundId)?.pooledBelow === 5,
    )
    expect(readTally(viewer.control, roundId)!.votersByTable).toEqual({ [OTHER_TABLES]: 8 })

    await settings({ anonymity: 'named' })
    await until(
      'tally shown per table',
      [[viewer.control, 'update']],
      () => readTally(viewer.control, roundId)?.otherTables === undefined,
    )
    expect(readTally(viewer.control, roundId)!.votersByTable).toEqual({
      [big]: 4,
      [three]: 3,
      [solo]: 1,
    })
    const exported = JSON.parse(await get(HISTORY_API.export(ws.id))) as {
      ballots: { tableId: string }[]
    }
    expect(exported.ballots).toHaveLength(8)

    // the setting is checked: 1 would mean no protection at all
    expect((await asFacilitator('PATCH', API.settings(ws.id), { minTableVoters: 1 })).status).toBe(
      400,
    )
  })

  it('a database from before the setting gets the default threshold for its workshops', async () => {
    const server = await startTestServer()
    const ws = await createWorkshop(server.url)
    const dataDir = server.dataDir
    await server.close()
    const old = new Database(path.join(dataDir, 'stip.db'))
    old.exec('ALTER TABLE workshops DROP COLUMN min_table_voters')
    old.pragma('user_version = 2')
    old.close()
    const store = openSqliteStore({ dataDir })
    try {
      expect(store.workshop(ws.id)!.minTableVoters).toBe(DEFAULT_MIN_TABLE_VOTERS)
    } finally {
      store.close()
    }
  })
})
