import { describe, expect, it } from 'vitest'
import { API, type BallotRequest, ROUND_API, type OpenRoundRequest } from '../../shared/api.ts'
import { OTHER_TABLES } from '../../shared/tally-privacy.ts'
import { ErrorCode } from '../../shared/protocol.ts'
import { listRounds, readRound, readTally } from '../../shared/control.ts'
import { addTask } from '../../shared/tasks.ts'
import type { WorkshopConnection } from '../../client/sync/connection.ts'
import { joinTable, startTestServer } from '../helpers/server.ts'
import { bearerFetch, facilitatedWorkshop } from '../helpers/scenario.ts'
import { connectClient, live, saved } from '../helpers/clients.ts'
import { until } from '../helpers/wait.ts'
import { SEED_TASKS } from '../fixtures/builders.ts'
import { expectApiError, useCleanups } from '../helpers/lifecycle.ts'

const track = useCleanups()

const post = (url: string, secret: string, body: unknown) => bearerFetch(url, secret)('POST', '', body)
const expectError = expectApiError

/** A workshop with three seed tasks and one participant per table perspective (+ one extra). */
async function meeting() {
  const server = await startTestServer()
  track(() => server.close())
  const { ws, info, fac } = await facilitatedWorkshop(server, track)
  const taskIds = ['task-kader', 'task-leren', 'task-dienst']
  taskIds.forEach((id, i) => addTask(fac.board, { id, title: SEED_TASKS[i]!, origin: [], author: 'f', created: i }))
  await saved(fac)
  const people = await Promise.all(
    ['Inge', 'Mo', 'Olaf', 'Ilse'].map((name, i) => joinTable(server.url, ws.joinCode, name, info.tables[i % 3]!.id)),
  )
  const open = async (req: OpenRoundRequest) => {
    const res = await post(server.url + ROUND_API.open(ws.id), ws.facilitatorKey, req)
    expect(res.status).toBe(201)
    return ((await res.json()) as { roundId: string }).roundId
  }
  const vote = (who: number, roundId: string, ballot: BallotRequest) =>
    post(server.url + ROUND_API.ballot(ws.id, roundId), people[who]!.token, ballot)
  const reveal = (roundId: string) => post(server.url + ROUND_API.reveal(ws.id, roundId), ws.facilitatorKey, {})
  const close = (roundId: string) => post(server.url + ROUND_API.close(ws.id, roundId), ws.facilitatorKey, {})
  return { server, ws, info, fac, taskIds, people, open, vote, reveal, close }
}

const controlOf = (c: WorkshopConnection) => [[c.control, 'update']] as [WorkshopConnection['control'], string][]

describe('dot voting', () => {
  it('publishes only the voter count while open; tallies, also per table, on reveal', async () => {
    const m = await meeting()
    const [kader, leren, dienst] = m.taskIds as [string, string, string]
    const roundId = await m.open({ kind: 'dots', taskIds: m.taskIds, dotsPerPerson: 3, maxPerTask: 2 })
    const viewer = connectClient(m.server.wsUrl, m.ws.id, { kind: 'viewer', code: m.ws.joinCode })
    track(() => viewer.destroy())
    await live(viewer)
    expect((await m.vote(0, roundId, { dots: { [kader]: 2, [leren]: 1 } })).status).toBe(200)
    expect((await m.vote(1, roundId, { dots: { [kader]: 1, [dienst]: 2 } })).status).toBe(200)
    expect((await m.vote(2, roundId, { dots: { [dienst]: 2 } })).status).toBe(200)
    // a second ballot replaces the first
    expect((await m.vote(3, roundId, { dots: { [leren]: 2 } })).status).toBe(200)
    expect((await m.vote(3, roundId, { dots: { [kader]: 1 } })).status).toBe(200)
    await until('viewer sees 4 voters', controlOf(viewer), () => readRound(viewer.control, roundId)?.voterCount === 4)
    // nobody can read tallies before reveal: they are not in any doc a client receives
    expect(readTally(viewer.control, roundId)).toBeNull()
    expect(JSON.stringify(viewer.control.toJSON())).not.toContain('"dots":')

    // two voters at Inwoner: shown apart once the threshold is 2 (the other two tables pool to 2 as well)
    expect((await bearerFetch(m.server.url, m.ws.facilitatorKey)('PATCH', API.settings(m.ws.id), { minTableVoters: 2 })).status).toBe(200)
    expect((await m.reveal(roundId)).status).toBe(200)
    await until('tally published', controlOf(viewer), () => readTally(viewer.control, roundId) !== null)
    const t = readTally(viewer.control, roundId)!
    expect(t.voters).toBe(4)
    const dotsOf = (id: string) => t.tasks.find((x) => x.taskId === id)!.dots
    expect([dotsOf(kader), dotsOf(leren), dotsOf(dienst)]).toEqual([4, 1, 4])
    const inwoner = m.info.tables[0]!.id // Inge (0) and Ilse (3)
    expect(t.votersByTable[inwoner]).toBe(2)
    expect(t.votersByTable[OTHER_TABLES]).toBe(2)
    expect(t.tasks.find((x) => x.taskId === kader)!.byTable[inwoner]!.dots).toBe(3)
    expect(readRound(viewer.control, roundId)?.status).toBe('revealed')
  })

  it('refuses ballots over the limits, after close, with a forged token, or for someone else', async () => {
    const m = await meeting()
    const [kader, leren, dienst] = m.taskIds as [string, string, string]
    const roundId = await m.open({ kind: 'dots', taskIds: m.taskIds, dotsPerPerson: 3, maxPerTask: 2 })
    await expectError(await m.vote(0, roundId, { dots: { [kader]: 3 } }), 422, ErrorCode.VoteLimit)
    await expectError(await m.vote(0, roundId, { dots: { [kader]: 2, [leren]: 1, [dienst]: 1 } }), 422, ErrorCode.VoteLimit)
    await expectError(await m.vote(0, roundId, { dots: { 'task-other': 1 } }), 422, ErrorCode.BadRequest)
    await expectError(await m.vote(0, roundId, { scores: { [kader]: { energie: 3 } } }), 422, ErrorCode.BadRequest)
    await expectError(
      await m.vote(0, roundId, { participantId: m.people[1]!.participantId, dots: { [kader]: 1 } }),
      403,
      ErrorCode.NotYourBallot,
    )
    await expectError(
      await post(m.server.url + ROUND_API.ballot(m.ws.id, roundId), 'F'.repeat(22), { dots: { [kader]: 1 } }),
      401,
      ErrorCode.Unauthorized,
    )
    await expectError(
      await post(m.server.url + ROUND_API.ballot(m.ws.id, roundId), m.ws.facilitatorKey, { dots: { [kader]: 1 } }),
      403,
      ErrorCode.Forbidden,
    )
    await expectError(await m.vote(0, 'no-such-round', { dots: { [kader]: 1 } }), 404, ErrorCode.RoundNotFound)
    // participants cannot open, close or reveal rounds
    await expectError(await post(m.server.url + ROUND_API.reveal(m.ws.id, roundId), m.people[0]!.token, {}), 403, ErrorCode.Forbidden)
    await expectError(
      await post(m.server.url + ROUND_API.open(m.ws.id), m.people[0]!.token, { kind: 'dots', taskIds: [kader] }),
      403,
      ErrorCode.Forbidden,
    )
    expect((await m.close(roundId)).status).toBe(200)
    await expectError(await m.vote(0, roundId, { dots: { [kader]: 1 } }), 409, ErrorCode.RoundNotOpen)
    expect(m.server.rooms.size).toBeGreaterThan(0)
  })
})

describe('opening rounds', () => {
  it('keeps one round open at a time and refuses a scoring round without criteria', async () => {
    const m = await meeting()
    const first = await m.open({ kind: 'dots', taskIds: m.taskIds })
    await expectError(
      await post(m.server.url + ROUND_API.open(m.ws.id), m.ws.facilitatorKey, { kind: 'dots', taskIds: m.taskIds }),
      409,
      ErrorCode.RoundAlreadyOpen,
    )
    expect((await m.close(first)).status).toBe(200)
    await expectError(
      await post(m.server.url + ROUND_API.open(m.ws.id), m.ws.facilitatorKey, { kind: 'scores', taskIds: m.taskIds, criteria: [] }),
      400,
      ErrorCode.NoCriteria,
    )
    // a closed (not yet revealed) round does not block the next one
    await m.open({ kind: 'scores', taskIds: m.taskIds, criteria: [{ id: 'haalbaar', label: 'Haalbaarheid' }] })
  })
})

describe('scoring on criteria', () => {
  it('averages energy and impact per task and per table', async () => {
    const m = await meeting()
    const [kader, leren] = m.taskIds as [string, string]
    const roundId = await m.open({ kind: 'scores', taskIds: [kader, leren] })
    await until('round visible', controlOf(m.fac), () => listRounds(m.fac.control).length === 1)
    expect(readRound(m.fac.control, roundId)?.criteria.map((c) => c.id)).toEqual(['energie', 'impact'])
    await m.vote(0, roundId, { scores: { [kader]: { energie: 5, impact: 4 }, [leren]: { energie: 2, impact: 1 } } })
    await m.vote(1, roundId, { scores: { [kader]: { energie: 3, impact: 4 } } })
    await expectError(await m.vote(2, roundId, { scores: { [kader]: { energie: 6 } } }), 422, ErrorCode.VoteLimit)
    await expectError(await m.vote(2, roundId, { scores: { [kader]: { geld: 3 } } }), 422, ErrorCode.BadRequest)
    const res = await m.reveal(roundId)
    const t = (await res.json()) as { tasks: { taskId: string; scores: Record<string, number | null> }[] }
    expect(t.tasks.find((x) => x.taskId === kader)!.scores).toEqual({ energie: 4, impact: 4 })
    expect(t.tasks.find((x) => x.taskId === leren)!.scores).toEqual({ energie: 2, impact: 1 })
  })
})
