/**
 * Ballot rules and tallies, server-authoritative. Pure functions over a round and its ballots;
 * the route handles identity and storage.
 */
import { ErrorCode } from '../../shared/protocol.ts'
import {
  type Round,
  SCORE_MAX,
  SCORE_MIN,
  type Tally,
  type TaskTally,
  unscoredTasks,
} from '../../shared/control.ts'
import { type TallyPrivacy, protectTally } from '../../shared/tally-privacy.ts'

export interface Ballot {
  dots: Record<string, number>
  scores: Record<string, Record<string, number>>
}

export interface StoredBallot extends Ballot {
  participantId: string
  tableId: string
}

export type BallotCheck =
  { ok: true; ballot: Ballot } | { ok: false; status: 400 | 422; code: ErrorCode; message: string }

const refuse = (code: ErrorCode, message: string, status: 400 | 422 = 422): BallotCheck => ({
  ok: false,
  status,
  code,
  message,
})

/** A ballot as the route parsed it: keys not yet checked, and never assigned onto an object. */
export interface BallotInput {
  dots?: ReadonlyMap<string, number>
  scores?: ReadonlyMap<string, ReadonlyMap<string, number>>
  /** Score rounds: tasks left out on purpose. */
  skip?: readonly string[]
}

/**
 * Keys are checked against the round before anything is built, and only the round's own task and
 * criterion ids become keys of the stored ballot. An empty ballot (no dot, no score) is refused:
 * it is not a vote and must not count as a voter. A score ballot is complete: every task has every
 * criterion scored, or is skipped on purpose (a forgotten task must not silently lower nothing).
 */
export function checkBallot(round: Round, input: BallotInput): BallotCheck {
  const tasks = new Set(round.taskIds)
  const named = (id: string) => JSON.stringify(id.slice(0, 64))
  if (round.kind === 'dots') {
    if (input.scores || input.skip)
      return refuse(ErrorCode.BadRequest, 'this round takes dots, not scores')
    const dots = new Map<string, number>()
    let total = 0
    for (const [taskId, n] of input.dots ?? []) {
      if (!tasks.has(taskId))
        return refuse(ErrorCode.BadRequest, `task ${named(taskId)} is not in this round`)
      if (n > round.maxPerTask)
        return refuse(ErrorCode.VoteLimit, `at most ${round.maxPerTask} dots per task`)
      total += n
      if (n > 0) dots.set(taskId, n)
    }
    if (total > round.dotsPerPerson)
      return refuse(ErrorCode.VoteLimit, `at most ${round.dotsPerPerson} dots in all`)
    if (total === 0) return refuse(ErrorCode.EmptyBallot, 'a ballot needs at least one dot', 400)
    return { ok: true, ballot: { dots: Object.fromEntries(dots), scores: {} } }
  }
  if (input.dots) return refuse(ErrorCode.BadRequest, 'this round takes scores, not dots')
  const criteria = new Set(round.criteria.map((c) => c.id))
  const scores = new Map<string, Record<string, number>>()
  for (const [taskId, perCriterion] of input.scores ?? []) {
    if (!tasks.has(taskId))
      return refuse(ErrorCode.BadRequest, `task ${named(taskId)} is not in this round`)
    const clean = new Map<string, number>()
    for (const [criterion, v] of perCriterion) {
      if (!criteria.has(criterion))
        return refuse(ErrorCode.BadRequest, `criterion ${named(criterion)} is not in this round`)
      if (v < SCORE_MIN || v > SCORE_MAX)
        return refuse(ErrorCode.VoteLimit, `scores run from ${SCORE_MIN} to ${SCORE_MAX}`)
      clean.set(criterion, v)
    }
    if (clean.size) scores.set(taskId, Object.fromEntries(clean))
  }
  const skipped = new Set<string>()
  for (const taskId of input.skip ?? []) {
    if (!tasks.has(taskId))
      return refuse(ErrorCode.BadRequest, `task ${named(taskId)} is not in this round`)
    if (scores.has(taskId))
      return refuse(ErrorCode.BadRequest, `task ${named(taskId)} is both scored and skipped`)
    skipped.add(taskId)
  }
  if (scores.size === 0)
    return refuse(ErrorCode.EmptyBallot, 'a ballot needs at least one score', 400)
  const missing = unscoredTasks(
    round,
    (taskId, c) => scores.get(taskId)?.[c] !== undefined,
    skipped,
  )
  if (missing.length) {
    return refuse(
      ErrorCode.IncompleteBallot,
      `${missing.length} of ${round.taskIds.length} tasks lack a score; score every criterion or skip the task: ${missing.map(named).join(', ')}`,
    )
  }
  return { ok: true, ballot: { dots: {}, scores: Object.fromEntries(scores) } }
}

const mean = (xs: number[]) =>
  xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 100) / 100 : null

function tallyOf(round: Round, taskId: string, ballots: StoredBallot[]) {
  const dots = ballots.reduce((n, b) => n + (b.dots[taskId] ?? 0), 0)
  const scores: Record<string, number | null> = {}
  const scored: Record<string, number> = {}
  for (const c of round.criteria) {
    const given = ballots.flatMap((b) =>
      b.scores[taskId]?.[c.id] === undefined ? [] : [b.scores[taskId]![c.id]!],
    )
    scores[c.id] = mean(given)
    scored[c.id] = given.length
  }
  return { dots, scores, scored }
}

/**
 * Totals per task, and the same per table so each perspective's choice stays visible; in the
 * anonymous modes tables with too few voters are pooled (shared/tally-privacy.ts).
 */
export function tally(round: Round, ballots: StoredBallot[], privacy: TallyPrivacy): Tally {
  return protectTally(fullTally(round, ballots), privacy)
}

function fullTally(round: Round, ballots: StoredBallot[]): Tally {
  const tables = [...new Set(ballots.map((b) => b.tableId))].sort()
  const votersByTable = Object.fromEntries(
    tables.map((t) => [t, ballots.filter((b) => b.tableId === t).length]),
  )
  const tasks: TaskTally[] = round.taskIds.map((taskId) => {
    const { scored: _all, ...total } = tallyOf(round, taskId, ballots)
    const byTable: TaskTally['byTable'] = {}
    for (const t of tables) {
      const atTable = ballots.filter((b) => b.tableId === t)
      byTable[t] = { ...tallyOf(round, taskId, atTable), voters: atTable.length }
    }
    return { taskId, ...total, byTable }
  })
  return { roundId: round.id, voters: ballots.length, votersByTable, tasks }
}
