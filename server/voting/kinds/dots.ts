/** Dot voting on the server: the limits a ballot keeps, and dots summed per task. */
import { ErrorCode } from '../../../shared/protocol.ts'
import { countOf } from '../../../shared/report-strings.ts'
import { notInRound, refuse } from '../ballot-types.ts'
import type { ServerVoteKind } from './kind.ts'

export const dotsServer: ServerVoteKind<'dots'> = {
  setup: (request) => ({
    ok: true,
    config: {
      dotsPerPerson: request.dotsPerPerson,
      maxPerTask: Math.min(request.maxPerTask, request.dotsPerPerson),
    },
  }),

  /** Within both limits, and at least one dot: an empty ballot must not count as a voter. */
  check(round, input) {
    if (input.scores || input.skip)
      return refuse(ErrorCode.BadRequest, 'this round takes dots, not scores')
    const tasks = new Set(round.taskIds)
    const dots = new Map<string, number>()
    let total = 0
    for (const [taskId, n] of input.dots ?? []) {
      if (!tasks.has(taskId)) return notInRound(taskId)
      if (n > round.maxPerTask)
        return refuse(ErrorCode.VoteLimit, `at most ${round.maxPerTask} dots per task`)
      total += n
      if (n > 0) dots.set(taskId, n)
    }
    if (total > round.dotsPerPerson)
      return refuse(ErrorCode.VoteLimit, `at most ${round.dotsPerPerson} dots in all`)
    if (total === 0) return refuse(ErrorCode.EmptyBallot, 'a ballot needs at least one dot', 400)
    return { ok: true, ballot: { dots: Object.fromEntries(dots), scores: {} } }
  },

  totals: (_round, taskId, ballots) => ({
    dots: ballots.reduce((n, b) => n + (b.dots[taskId] ?? 0), 0),
    scores: {},
    scored: {},
  }),

  reportCharts: (c) =>
    c.bars(
      c.caption,
      (res) => res.dots,
      (v) => countOf(c.lang, v, 'dot'),
    ),
}
