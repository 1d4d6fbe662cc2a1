import { describe, expect, it } from 'vitest'
import { API, type BallotRequest, ROUND_API, type OpenRoundRequest } from '../../shared/api.ts'
import { OTHER_TABLES } from '../../shared/tally-privacy.ts'
import { ErrorCode } from '../../shared/protocol.ts'
import {
  listRounds,
  readJoined,
  readRound,
  readTally,
  roundCriteria,
} from '../../shared/control.ts'
import { addTask } from '../../shared/tasks.ts'
import type { WorkshopConnection } from '../../client/sync/connection.ts'
import { joinTable, startTestServer } from '../helpers/server.ts'
import { bearerFetch, facilitatedWorkshop } from '../helpers/scenario.ts'
import { connectClient, live, saved } from '../helpers/clients.ts'
import { until } from '../helpers/wait.ts'
import { SEED_TASKS } from '../fixtures/builders.ts'
import { expectApiError, useCleanups } from '../helpers/lifecycle.ts'

const track = useCleanups()

const post = (url: string, secret: string, body: unknown) =>
  bearerFetch(url, secret)('POST', '', body)
const expectError = expectApiError

/** A workshop with three seed tasks and one participant per table perspective (+ one extra). */
async function meeting() {
  const server = await startTestServer()
  track(() => server.close())
  const { ws, info, fac } = await facilitatedWorkshop(server, track)
  const taskIds = ['task-kader', 'task-leren', 'task-dienst']
  taskIds.forEach((id, i) =>
    addTask(fac.board, { id, title: SEED_TASKS[i]!, origin: [], author: 'f', created: i }),
  )
  await saved(fac)
  const people = await Promise.all(
    ['Inge', 'Mo', 'Olaf', 'Ilse'].map((name, i) =>
      joinTable(server.url, ws.joinCode, name, info.tables[i % 3]!.id),
    ),
  )
  const open = async (req: OpenRoundRequest) => {
    const res = await post(server.url + ROUND_API.open(ws.id), ws.facilitatorKey, req)
    expect(res.status).toBe(201)
    return ((await res.json()) as { roundId: string }).roundId
  }
  const vote = (who: number, roundId: string, ballot: BallotRequest) =>
    post(server.url + ROUND_API.ballot(ws.id, roundId), people[who]!.token, ballot)
  const reveal = (roundId: string) =>
    post(server.url + ROUND_API.reveal(ws.id, roundId), ws.facilitatorKey, {})
  const close = (roundId: string) =>
    post(server.url + ROUND_API.close(ws.id, roundId), ws.facilitatorKey, {})
  return { server, ws, info, fac, taskIds, people, open, vote, reveal, close }
}

const controlOf = (c: WorkshopConnection) =>
  [[c.control, 'update']] as [WorkshopConnection['control'], string][]

describe('dot voting', () => {
  it('publishes only the voter count while open; tallies, also per table, on reveal', async () => {
    const m = await meeting()
    const [kader, leren, dienst] = m.taskIds as [string, string, string]
    const roundId = await m.open({
      kind: 'dots',
      taskIds: m.taskIds,
      dotsPerPerson: 3,
      maxPerTask: 2,
    })
    const viewer = connectClient(m.server.wsUrl, m.ws.id, { kind: 'viewer', code: m.ws.joinCode })
    track(() => viewer.destroy())
    await live(viewer)
    expect((await m.vote(0, roundId, { dots: { [kader]: 2, [leren]: 1 } })).status).toBe(200)
    expect((await m.vote(1, roundId, { dots: { [kader]: 1, [dienst]: 2 } })).status).toBe(200)
    expect((await m.vote(2, roundId, { dots: { [dienst]: 2 } })).status).toBe(200)
    // a second ballot replaces the first
    expect((await m.vote(3, roundId, { dots: { [leren]: 2 } })).status).toBe(200)
    expect((await m.vote(3, roundId, { dots: { [kader]: 1 } })).status).toBe(200)
    await until(
      'viewer sees 4 voters',
      controlOf(viewer),
      () => readRound(viewer.control, roundId)?.voterCount === 4,
    )
    // nobody can read tallies before reveal: they are not in any doc a client receives
    expect(readTally(viewer.control, roundId)).toBeNull()
    expect(JSON.stringify(viewer.control.toJSON())).not.toContain('"dots":')

    // two voters at Inwoner: shown apart once the threshold is 2 (the other two tables pool to 2 as well)
    expect(
      (
        await bearerFetch(m.server.url, m.ws.facilitatorKey)('PATCH', API.settings(m.ws.id), {
          minTableVoters: 2,
        })
      ).status,
    ).toBe(200)
    expect((await m.reveal(roundId)).status).toBe(200)
    await until(
      'tally published',
      controlOf(viewer),
      () => readTally(viewer.control, roundId) !== null,
    )
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
    const roundId = await m.open({
      kind: 'dots',
      taskIds: m.taskIds,
      dotsPerPerson: 3,
      maxPerTask: 2,
    })
    await expectError(await m.vote(0, roundId, { dots: { [kader]: 3 } }), 422, ErrorCode.VoteLimit)
    await expectError(
      await m.vote(0, roundId, { dots: { [kader]: 2, [leren]: 1, [dienst]: 1 } }),
      422,
      ErrorCode.VoteLimit,
    )
    await expectError(
      await m.vote(0, roundId, { dots: { 'task-other': 1 } }),
      422,
      ErrorCode.BadRequest,
    )
    await expectError(
      await m.vote(0, roundId, { scores: { [kader]: { energie: 3 } } }),
      422,
      ErrorCode.BadRequest,
    )
    await expectError(
      await m.vote(0, roundId, { participantId: m.people[1]!.participantId, dots: { [kader]: 1 } }),
      403,
      ErrorCode.NotYourBallot,
    )
    await expectError(
      await post(m.server.url + ROUND_API.ballot(m.ws.id, roundId), 'F'.repeat(22), {
        dots: { [kader]: 1 },
      }),
      401,
      ErrorCode.Unauthorized,
    )
    await expectError(
      await post(m.server.url + ROUND_API.ballot(m.ws.id, roundId), m.ws.facilitatorKey, {
        dots: { [kader]: 1 },
      }),
      403,
      ErrorCode.Forbidden,
    )
    await expectError(
      await m.vote(0, 'no-such-round', { dots: { [kader]: 1 } }),
      404,
      ErrorCode.RoundNotFound,
    )
    // participants cannot open, close or reveal rounds
    await expectError(
      await post(m.server.url + ROUND_API.reveal(m.ws.id, roundId), m.people[0]!.token, {}),
      403,
      ErrorCode.Forbidden,
    )
    await expectError(
      await post(m.server.url + ROUND_API.open(m.ws.id), m.people[0]!.token, {
        kind: 'dots',
        taskIds: [kader],
      }),
      403,
      ErrorCode.Forbidden,
    )
    expect((await m.close(roundId)).status).toBe(200)
    await expectError(
      await m.vote(0, roundId, { dots: { [kader]: 1 } }),
      409,
      ErrorCode.RoundNotOpen,
    )
    expect(m.server.rooms.size).toBeGreaterThan(0)
  })
})

describe('opening rounds', () => {
  it("[#11.9] refuses another kind's settings by name: criteria on dots, dot limits on scores", async () => {
    const m = await meeting()
    const open = (body: object) =>
      post(m.server.url + ROUND_API.open(m.ws.id), m.ws.facilitatorKey, {
        taskIds: m.taskIds,
        ...body,
      })
    const dots = await expectError(
      await open({ kind: 'dots', criteria: [{ id: 'c', label: 'C' }] }),
      400,
      ErrorCode.BadRequest,
    )
    expect(dots.issues).toEqual([{ path: 'criteria', message: 'a dots round takes no criteria' }])
    const scores = await expectError(
      await open({ kind: 'scores', dotsPerPerson: 5 }),
      400,
      ErrorCode.BadRequest,
    )
    expect(scores.issues).toEqual([
      { path: 'dotsPerPerson', message: 'a scores round takes no dotsPerPerson' },
    ])
    expect(listRounds(await m.server.rooms.read(m.ws.id, 'control', (d) => d))).toEqual([])
    // the defaults still apply: 3 dots, at most 2 on one task
    const roundId = await m.open({ kind: 'dots', taskIds: m.taskIds })
    expect(
      await m.server.rooms.read(m.ws.id, 'control', (d) => readRound(d, roundId)),
    ).toMatchObject({
      kind: 'dots',
      dotsPerPerson: 3,
      maxPerTask: 2,
    })
  })

  it('keeps one round open at a time and refuses a scoring round without criteria', async () => {
    const m = await meeting()
    const first = await m.open({ kind: 'dots', taskIds: m.taskIds })
    await expectError(
      await post(m.server.url + ROUND_API.open(m.ws.id), m.ws.facilitatorKey, {
        kind: 'dots',
        taskIds: m.taskIds,
      }),
      409,
      ErrorCode.RoundAlreadyOpen,
    )
    expect((await m.close(first)).status).toBe(200)
    await expectError(
      await post(m.server.url + ROUND_API.open(m.ws.id), m.ws.facilitatorKey, {
        kind: 'scores',
        taskIds: m.taskIds,
        criteria: [],
      }),
      400,
      ErrorCode.NoCriteria,
    )
    // a closed (not yet revealed) round does not block the next one
    await m.open({
      kind: 'scores',
      taskIds: m.taskIds,
      criteria: [{ id: 'haalbaar', label: 'Haalbaarheid' }],
    })
  })
})

describe('scoring on criteria', () => {
  it('averages energy and impact per task and per table', async () => {
    const m = await meeting()
    const [kader, leren] = m.taskIds as [string, string]
    const roundId = await m.open({ kind: 'scores', taskIds: [kader, leren] })
    await until('round visible', controlOf(m.fac), () => listRounds(m.fac.control).length === 1)
    expect(roundCriteria(readRound(m.fac.control, roundId)!).map((c) => c.id)).toEqual([
      'energie',
      'impact',
    ])
    await m.vote(0, roundId, {
      scores: { [kader]: { energie: 5, impact: 4 }, [leren]: { energie: 2, impact: 1 } },
    })
    // leren left out on purpose: a complete ballot names what it skips
    expect(
      (await m.vote(1, roundId, { scores: { [kader]: { energie: 3, impact: 4 } }, skip: [leren] }))
        .status,
    ).toBe(200)
    await expectError(
      await m.vote(2, roundId, { scores: { [kader]: { energie: 6 } } }),
      422,
      ErrorCode.VoteLimit,
    )
    await expectError(
      await m.vote(2, roundId, { scores: { [kader]: { geld: 3 } } }),
      422,
      ErrorCode.BadRequest,
    )
    const res = await m.reveal(roundId)
    const t = (await res.json()) as {
      tasks: { taskId: string; scores: Record<string, number | null> }[]
    }
    expect(t.tasks.find((x) => x.taskId === kader)!.scores).toEqual({ energie: 4, impact: 4 })
    expect(t.tasks.find((x) => x.taskId === leren)!.scores).toEqual({ energie: 2, impact: 1 })
  })
})

describe('complete score ballots', () => {
  it('refuses a score ballot with a task neither scored on every criterion nor skipped, and names what is missing', async () => {
    const m = await meeting()
    const [kader, leren, dienst] = m.taskIds as [string, string, string]
    const roundId = await m.open({ kind: 'scores', taskIds: m.taskIds })
    // 1 of 3 tasks scored: refused, and nothing counts as a vote
    const partial = await expectError(
      await m.vote(0, roundId, { scores: { [kader]: { energie: 4, impact: 3 } } }),
      422,
      ErrorCode.IncompleteBallot,
    )
    expect(partial.message).toContain('2 of 3 tasks')
    // one criterion of a task is not enough either
    await expectError(
      await m.vote(0, roundId, {
        scores: { [kader]: { energie: 4, impact: 3 }, [leren]: { energie: 2 } },
        skip: [dienst],
      }),
      422,
      ErrorCode.IncompleteBallot,
    )
    // a task cannot be both scored and skipped, and only the round's tasks can be skipped
    await expectError(
      await m.vote(0, roundId, {
        scores: { [kader]: { energie: 4, impact: 3 } },
        skip: [kader, leren, dienst],
      }),
      422,
      ErrorCode.BadRequest,
    )
    await expectError(
      await m.vote(0, roundId, {
        scores: { [kader]: { energie: 4, impact: 3 } },
        skip: ['task-other'],
      }),
      422,
      ErrorCode.BadRequest,
    )
    expect(readRound(m.fac.control, roundId)?.voterCount ?? 0).toBe(0)
    // every task scored or explicitly skipped: accepted
    expect(
      (
        await m.vote(0, roundId, {
          scores: { [kader]: { energie: 4, impact: 3 } },
          skip: [leren, dienst],
        })
      ).status,
    ).toBe(200)
    const full = Object.fromEntries(m.taskIds.map((id) => [id, { energie: 2, impact: 5 }]))
    expect((await m.vote(1, roundId, { scores: full })).status).toBe(200)
    // skipping does not apply to dots
    const t = (await (await m.reveal(roundId)).json()) as {
      voters: number
      tasks: { taskId: string; scores: Record<string, number | null> }[]
    }
    expect(t.voters).toBe(2)
    expect(t.tasks.find((x) => x.taskId === leren)!.scores).toEqual({ energie: 2, impact: 5 })
    const dots = await m.open({ kind: 'dots', taskIds: m.taskIds })
    await expectError(
      await m.vote(0, dots, { dots: { [kader]: 1 }, skip: [leren] }),
      422,
      ErrorCode.BadRequest,
    )
  })
})

describe('N of M voted', () => {
  it('publishes how many participants joined, in all and per table, as they join', async () => {
    const m = await meeting()
    await until('joined count', controlOf(m.fac), () => readJoined(m.fac.control).total === 4)
    const inwoner = m.info.tables[0]!.id
    expect(readJoined(m.fac.control).byTable[inwoner]).toBe(2)
    await joinTable(m.server.url, m.ws.joinCode, 'Karin', m.info.tables[1]!.id)
    await until(
      'fifth joiner counted',
      controlOf(m.fac),
      () => readJoined(m.fac.control).total === 5,
    )
  })
})

describe('deleting a round', () => {
  it('deletes an unrevealed round with its ballots; a revealed round stays', async () => {
    const m = await meeting()
    const [kader] = m.taskIds as [string]
    const del = (roundId: string, secret = m.ws.facilitatorKey) =>
      bearerFetch(m.server.url, secret)('DELETE', ROUND_API.round(m.ws.id, roundId))
    const test = await m.open({ kind: 'dots', taskIds: m.taskIds })
    expect((await m.vote(0, test, { dots: { [kader]: 1 } })).status).toBe(200)
    // participants cannot delete rounds
    await expectError(await del(test, m.people[0]!.token), 403, ErrorCode.Forbidden)
    expect((await del(test)).status).toBe(200)
    await until('round gone', controlOf(m.fac), () => readRound(m.fac.control, test) === null)
    expect(await m.server.rooms.read(m.ws.id, 'control', listRounds)).toEqual([])
    await expectError(await del(test), 404, ErrorCode.RoundNotFound)
    // its ballot is gone too: a new round starts from nobody
    const real = await m.open({ kind: 'dots', taskIds: m.taskIds })
    expect((await m.vote(1, real, { dots: { [kader]: 1 } })).status).toBe(200)
    const t = (await (await m.reveal(real)).json()) as { voters: number }
    expect(t.voters).toBe(1)
    await expectError(await del(real), 409, ErrorCode.RoundRevealed)
    expect(readRound(m.fac.control, real)?.status).toBe('revealed')
  })
})

describe('top N of an earlier round', () => {
  it('opens a round with the best-ranked tasks of a revealed round, ties at the cut included', async () => {
    const m = await meeting()
    const [kader, leren, dienst] = m.taskIds as [string, string, string]
    addTask(m.fac.board, { id: 'task-extra', title: 'Extra', origin: [], author: 'f', created: 9 })
    await saved(m.fac)
    const first = await m.open({
      kind: 'dots',
      taskIds: [...m.taskIds, 'task-extra'],
      dotsPerPerson: 3,
      maxPerTask: 3,
    })
    // dienst 5, leren 2, kader 2, extra 0
    expect((await m.vote(0, first, { dots: { [dienst]: 3 } })).status).toBe(200)
    expect((await m.vote(1, first, { dots: { [dienst]: 2, [leren]: 1 } })).status).toBe(200)
    expect((await m.vote(2, first, { dots: { [leren]: 1, [kader]: 2 } })).status).toBe(200)
    expect((await m.close(first)).status).toBe(200)
    // closed but not revealed: its ranking is not known yet
    await expectError(
      await post(m.server.url + ROUND_API.open(m.ws.id), m.ws.facilitatorKey, {
        kind: 'scores',
        fromRound: { roundId: first, top: 1 },
      }),
      409,
      ErrorCode.RoundNotRevealed,
    )
    expect((await m.reveal(first)).status).toBe(200)
    // either task ids or a round, never both or neither
    await expectError(
      await post(m.server.url + ROUND_API.open(m.ws.id), m.ws.facilitatorKey, {
        kind: 'scores',
        taskIds: [kader],
        fromRound: { roundId: first, top: 1 },
      }),
      400,
      ErrorCode.BadRequest,
    )
    await expectError(
      await post(m.server.url + ROUND_API.open(m.ws.id), m.ws.facilitatorKey, { kind: 'scores' }),
      400,
      ErrorCode.BadRequest,
    )
    const top1 = await m.open({ kind: 'scores', fromRound: { roundId: first, top: 1 } })
    expect(
      (await m.server.rooms.read(m.ws.id, 'control', (d) => readRound(d, top1)))?.taskIds,
    ).toEqual([dienst])
    expect((await m.close(top1)).status).toBe(200)
    // top 2: kader and leren tie for second place, so both come (in the round's order)
    const top2 = await m.open({ kind: 'scores', fromRound: { roundId: first, top: 2 } })
    expect(
      (await m.server.rooms.read(m.ws.id, 'control', (d) => readRound(d, top2)))?.taskIds,
    ).toEqual([dienst, kader, leren])
  })
})
