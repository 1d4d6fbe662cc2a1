import { describe, expect, it } from 'vitest'
import { type Round, type RoundOf, RoundSchema } from '../../shared/control.ts'
import { OTHER_TABLES, protectTally } from '../../shared/tally-privacy.ts'
import { type StoredBallot, tally } from '../../server/voting/ballots.ts'

/** A dots round unless the overrides say otherwise; read as the doc reads it, per kind. */
const makeRound = (overrides: Partial<RoundOf<'dots'>> | Partial<RoundOf<'scores'>> = {}): Round =>
  RoundSchema.parse({
    id: 'r1',
    title: '',
    kind: 'dots',
    taskIds: ['a', 'b'],
    dotsPerPerson: 3,
    maxPerTask: 3,
    criteria: [],
    status: 'revealed',
    openedAt: 0,
    closedAt: 1,
    voterCount: 0,
    ...overrides,
  })

let n = 0
const dotsBallot = (tableId: string, dots: Record<string, number>): StoredBallot => ({
  participantId: `p${++n}`,
  tableId,
  dots,
  scores: {},
})
const scoreBallot = (
  tableId: string,
  scores: Record<string, Record<string, number>>,
): StoredBallot => ({
  participantId: `p${++n}`,
  tableId,
  dots: {},
  scores,
})
const times = <T>(k: number, f: () => T) => Array.from({ length: k }, f)

const TABLE = { anonymity: 'table', minTableVoters: 3 } as const

describe('small groups stay anonymous (issue #11 point 5)', () => {
  it('a table with fewer voters than the threshold is pooled into "other tables"; larger tables keep their row', () => {
    const ballots = [
      ...times(3, () => dotsBallot('big', { a: 1 })),
      dotsBallot('solo', { b: 3 }),
      ...times(2, () => dotsBallot('pair', { a: 2 })),
    ]
    const t = tally(makeRound(), ballots, TABLE)
    expect(t.votersByTable).toEqual({ big: 3, [OTHER_TABLES]: 3 })
    expect(t.otherTables).toEqual(['pair', 'solo'])
    expect(t.pooledBelow).toBe(3)
    const a = t.tasks.find((x) => x.taskId === 'a')!
    expect(Object.keys(a.byTable).sort()).toEqual(['big', OTHER_TABLES].sort())
    expect(a.byTable[OTHER_TABLES]).toMatchObject({ dots: 4, voters: 3 })
    expect(t.tasks.find((x) => x.taskId === 'b')!.byTable[OTHER_TABLES]).toMatchObject({
      dots: 3,
      voters: 3,
    })
    // the totals are not touched
    expect(a.dots).toBe(7)
    expect(t.voters).toBe(6)
  })

  it('a pool still under the threshold takes in the smallest shown table, so no subtraction gives it away', () => {
    const ballots = [
      ...times(5, () => dotsBallot('five', { a: 1 })),
      ...times(3, () => dotsBallot('three', { a: 1 })),
      dotsBallot('solo', { b: 1 }),
    ]
    const t = tally(makeRound(), ballots, TABLE)
    expect(t.votersByTable).toEqual({ five: 5, [OTHER_TABLES]: 4 })
    expect(t.otherTables).toEqual(['solo', 'three'])
  })

  it('named workshops show every table as it voted', () => {
    const t = tally(
      makeRound(),
      [dotsBallot('solo', { a: 1 }), ...times(3, () => dotsBallot('big', { a: 1 }))],
      {
        anonymity: 'named',
        minTableVoters: 3,
      },
    )
    expect(t.votersByTable).toEqual({ solo: 1, big: 3 })
    expect(t.otherTables).toBeUndefined()
  })

  it('the anonymous mode pools too, and the threshold is the setting', () => {
    const ballots = [
      ...times(2, () => dotsBallot('x', { a: 1 })),
      ...times(2, () => dotsBallot('y', { a: 1 })),
    ]
    expect(
      tally(makeRound(), ballots, { anonymity: 'anonymous', minTableVoters: 2 }).votersByTable,
    ).toEqual({ x: 2, y: 2 })
    expect(
      tally(makeRound(), ballots, { anonymity: 'anonymous', minTableVoters: 3 }).votersByTable,
    ).toEqual({ [OTHER_TABLES]: 4 })
  })

  it('pooled mean scores weigh each table by how many scored there, as if tallied together', () => {
    const round = makeRound({ kind: 'scores', criteria: [{ id: 'energie', label: 'Energie' }] })
    const ballots = [
      scoreBallot('one', { a: { energie: 5 } }),
      scoreBallot('two', { a: { energie: 2 } }),
      scoreBallot('two', { a: { energie: 2 } }),
      scoreBallot('two', { b: { energie: 4 } }),
    ]
    const t = tally(round, ballots, TABLE)
    // (5 + 2 + 2) / 3, not the mean of the two tables' means (5 and 2)
    expect(t.tasks.find((x) => x.taskId === 'a')!.byTable[OTHER_TABLES]!.scores).toEqual({
      energie: 3,
    })
    expect(t.tasks.find((x) => x.taskId === 'b')!.byTable[OTHER_TABLES]!.scores).toEqual({
      energie: 4,
    })
  })

  it('applying it again changes nothing', () => {
    const ballots = [
      ...times(3, () => dotsBallot('big', { a: 1 })),
      dotsBallot('solo', { b: 3 }),
      ...times(2, () => dotsBallot('pair', { a: 2 })),
    ]
    const once = tally(makeRound(), ballots, TABLE)
    expect(protectTally(once, TABLE)).toEqual(once)
  })
})
