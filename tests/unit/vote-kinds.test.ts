/**
 * Issue #11 point 9: a round is its kind's own shape (shared/vote-kinds/). Rounds the earlier
 * build stored flat, with every kind's fields, still read; an open request with another kind's
 * field is refused by name.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { OpenRoundRequest } from '../../shared/api.ts'
import {
  RoundSchema,
  controlRoots,
  listRounds,
  readRound,
  roundCriteria,
  writeRound,
} from '../../shared/control.ts'
import { taskStanding } from '../../shared/control-actions.ts'
import { VOTE_KINDS } from '../../shared/vote-kinds/index.ts'
import { checkBallot, tally } from '../../server/voting/ballots.ts'

/** Exactly what the flat-Round build's writeRound put in the control doc, for each kind. */
const FLAT_DOTS = {
  id: 'r-dots',
  title: 'Welke opgaven pakken we op?',
  kind: 'dots',
  taskIds: ['t1', 't2'],
  dotsPerPerson: 3,
  maxPerTask: 2,
  criteria: [],
  status: 'revealed',
  openedAt: 10,
  closedAt: 20,
  voterCount: 4,
}
/** Every field again: the flat build stored both kinds' settings on every round. */
const FLAT_SCORES = {
  ...FLAT_DOTS,
  id: 'r-scores',
  title: 'Energie en impact',
  kind: 'scores',
  criteria: [
    { id: 'energie', label: 'Energie' },
    { id: 'impact', label: 'Impact' },
  ],
  status: 'open',
  openedAt: 30,
  closedAt: null,
  voterCount: 0,
}

describe('rounds per kind', () => {
  it('a round stored flat by the earlier build reads as its own kind, for both kinds', () => {
    const doc = new Y.Doc()
    controlRoots(doc).rounds.set(FLAT_DOTS.id, FLAT_DOTS)
    controlRoots(doc).rounds.set(FLAT_SCORES.id, FLAT_SCORES)
    const { criteria: _none, ...dots } = FLAT_DOTS
    const { dotsPerPerson: _d, maxPerTask: _m, ...scores } = FLAT_SCORES
    expect(readRound(doc, FLAT_DOTS.id)).toEqual(dots)
    expect(readRound(doc, FLAT_SCORES.id)).toEqual(scores)
    expect(listRounds(doc).map((r) => r.id)).toEqual([FLAT_DOTS.id, FLAT_SCORES.id])
    expect(roundCriteria(readRound(doc, FLAT_DOTS.id)!)).toEqual([])
    expect(roundCriteria(readRound(doc, FLAT_SCORES.id)!).map((c) => c.id)).toEqual([
      'energie',
      'impact',
    ])
  })

  it('a round read back from flat storage checks and tallies ballots as before', () => {
    const dots = RoundSchema.parse({ ...FLAT_DOTS, status: 'open' })
    expect(checkBallot(dots, { dots: new Map([['t1', 3]]) })).toMatchObject({ ok: false })
    const cast = checkBallot(dots, { dots: new Map([['t1', 2]]) })
    expect(cast).toEqual({ ok: true, ballot: { dots: { t1: 2 }, scores: {} } })
    const scores = RoundSchema.parse(FLAT_SCORES)
    expect(checkBallot(scores, { dots: new Map([['t1', 1]]) })).toMatchObject({ ok: false })
    const ballot = (tableId: string, e: number, i: number) => ({
      participantId: `${tableId}-${e}`,
      tableId,
      dots: {},
      scores: { t1: { energie: e, impact: i } },
    })
    const t = tally(scores, [ballot('a', 4, 2), ballot('a', 2, 2)], {
      anonymity: 'named',
      minTableVoters: 3,
    })
    expect(t.tasks[0]).toMatchObject({ taskId: 't1', dots: 0, scores: { energie: 3, impact: 2 } })
    expect(taskStanding('scores', t.tasks[0]!)).toBe(2.5)
    expect(t.tasks[1]).toMatchObject({ taskId: 't2', scores: { energie: null, impact: null } })
    expect(taskStanding('scores', t.tasks[1]!)).toBeNull()
  })

  it('a round is written with its own kind fields only', () => {
    const doc = new Y.Doc()
    writeRound(doc, RoundSchema.parse(FLAT_DOTS))
    expect(controlRoots(doc).rounds.get(FLAT_DOTS.id)).not.toHaveProperty('criteria')
    writeRound(doc, RoundSchema.parse(FLAT_SCORES))
    expect(controlRoots(doc).rounds.get(FLAT_SCORES.id)).not.toHaveProperty('dotsPerPerson')
  })

  it('a round of an unknown kind is dropped, not read as dots', () => {
    expect(RoundSchema.safeParse({ ...FLAT_DOTS, kind: 'ranking' }).success).toBe(false)
  })

  it('every kind in the registry has a report text', () => {
    const v = { dots: 2, scores: { energie: 4.5 } }
    const criteria = [{ id: 'energie', label: 'Energie' }]
    expect(VOTE_KINDS.dots.resultText('nl', [], v, (s) => s)).toBe('2 stippen')
    expect(VOTE_KINDS.scores.resultText('nl', criteria, v, (s) => s)).toBe('Energie 4,5')
  })
})

describe('open requests per kind', () => {
  const issues = (body: unknown) => {
    const r = OpenRoundRequest.safeParse(body)
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
  }

  it("keeps today's defaults: 3 dots, 2 per task; criteria left to the server", () => {
    expect(OpenRoundRequest.parse({ kind: 'dots', taskIds: ['t1'] })).toEqual({
      kind: 'dots',
      title: '',
      taskIds: ['t1'],
      dotsPerPerson: 3,
      maxPerTask: 2,
    })
    expect(OpenRoundRequest.parse({ kind: 'scores', taskIds: ['t1'] })).toEqual({
      kind: 'scores',
      title: '',
      taskIds: ['t1'],
    })
  })

  it("a request with another kind's field is refused, naming the field", () => {
    expect(issues({ kind: 'dots', taskIds: ['t1'], criteria: [] })).toEqual([
      'criteria: a dots round takes no criteria',
    ])
    expect(issues({ kind: 'scores', taskIds: ['t1'], dotsPerPerson: 3 })).toEqual([
      'dotsPerPerson: a scores round takes no dotsPerPerson',
    ])
    expect(issues({ kind: 'scores', taskIds: ['t1'], maxPerTask: 2 })).toEqual([
      'maxPerTask: a scores round takes no maxPerTask',
    ])
    expect(issues({ kind: 'ranking', taskIds: ['t1'] })).not.toEqual([])
  })
})
