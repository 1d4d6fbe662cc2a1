/** Scoring on the server: a complete ballot within the scale, and mean scores per criterion. */
import { DEFAULT_CRITERIA } from '../../../shared/control-actions.ts'
import { ErrorCode } from '../../../shared/protocol.ts'
import { REPORT_STRINGS, scoreText } from '../../../shared/report-strings.ts'
import { SCORE_MAX, SCORE_MIN, unscoredTasks } from '../../../shared/vote-kinds/scores.ts'
import { named, notInRound, refuse } from '../ballot-types.ts'
import type { ServerVoteKind } from './kind.ts'

const mean = (xs: number[]) =>
  xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 100) / 100 : null

export const scoresServer: ServerVoteKind<'scores'> = {
  setup(request, lang) {
    if (request.criteria?.length === 0)
      return {
        ok: false,
        code: ErrorCode.NoCriteria,
        message: 'a scoring round needs at least one criterion',
      }
    return { ok: true, config: { criteria: request.criteria ?? [...DEFAULT_CRITERIA[lang]] } }
  },

  /**
   * Complete: every task has every criterion scored, or is skipped on purpose (a forgotten task
   * must not silently lower nothing); and at least one score, or it is not a vote.
   */
  check(round, input) {
    if (input.dots) return refuse(ErrorCode.BadRequest, 'this round takes scores, not dots')
    const tasks = new Set(round.taskIds)
    const criteria = new Set(round.criteria.map((c) => c.id))
    const scores = new Map<string, Record<string, number>>()
    for (const [taskId, perCriterion] of input.scores ?? []) {
      if (!tasks.has(taskId)) return notInRound(taskId)
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
      if (!tasks.has(taskId)) return notInRound(taskId)
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
  },

  totals(round, taskId, ballots) {
    const scores: Record<string, number | null> = {}
    const scored: Record<string, number> = {}
    for (const c of round.criteria) {
      const given = ballots.flatMap((b) => {
        const v = b.scores[taskId]?.[c.id]
        return v === undefined ? [] : [v]
      })
      scores[c.id] = mean(given)
      scored[c.id] = given.length
    }
    return { dots: 0, scores, scored }
  },

  /** The matrix, then ranked bars of the mean per criterion on the whole scale. */
  reportCharts: (c) =>
    c.matrix() +
    c.criteria
      .map((cr) =>
        c.bars(
          `${c.caption}: ${c.esc(cr.label)} (${REPORT_STRINGS[c.lang].meanScore})`,
          (res) => res.scores[cr.id] ?? 0,
          (v) => scoreText(c.lang, v),
          SCORE_MAX,
        ),
      )
      .join('\n'),
}
