/** Scoring: each person gives every task a score from 1 to 5 on each of the round's criteria. */
import { z } from 'zod/mini'
import { scoreText } from '../report-strings.ts'
import { cleanText } from '../clean-text.ts'
import { notOfKind } from './dots.ts'
import type { SharedVoteKind } from './spec.ts'

export const SCORE_MIN = 1
export const SCORE_MAX = 5

export const CriterionSchema = z.object({
  id: z.string().check(z.minLength(1), z.maxLength(40)),
  label: z.string().check(z.minLength(1), z.maxLength(60)),
})
export type Criterion = z.infer<typeof CriterionSchema>

export const ScoresConfigSchema = z.object({
  criteria: z.array(CriterionSchema).check(z.maxLength(5)),
})
export type ScoresConfig = z.infer<typeof ScoresConfigSchema>

const ScoresRequestSchema = z.object({
  /** Left out: the workshop language's default criteria (energy and impact). */
  criteria: z.optional(
    z
      .array(
        z.object({ id: z.string().check(z.minLength(1), z.maxLength(40)), label: cleanText(60) }),
      )
      .check(z.maxLength(5)),
  ),
  dotsPerPerson: notOfKind('scores', 'dotsPerPerson'),
  maxPerTask: notOfKind('scores', 'maxPerTask'),
})

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null)

export const scoresKind: SharedVoteKind<typeof ScoresConfigSchema, typeof ScoresRequestSchema> = {
  config: ScoresConfigSchema,
  request: ScoresRequestSchema,
  criteria: (c) => c.criteria,
  /** The mean of its criteria's mean scores. */
  standing: (t) => mean(Object.values(t.scores).filter((v): v is number => v !== null)),
  resultText: (lang, criteria, v, esc) =>
    criteria.map((c) => `${esc(c.label)} ${scoreText(lang, v.scores[c.id] ?? null)}`).join(', '),
}

/**
 * The tasks a score ballot leaves open: neither skipped nor scored on every criterion. A score
 * ballot is accepted only when this is empty (the server checks, the ballot form says which).
 */
export function unscoredTasks(
  round: ScoresConfig & { taskIds: readonly string[] },
  scored: (taskId: string, criterionId: string) => boolean,
  skipped: ReadonlySet<string>,
): string[] {
  return round.taskIds.filter(
    (taskId) => !skipped.has(taskId) && round.criteria.some((c) => !scored(taskId, c.id)),
  )
}
