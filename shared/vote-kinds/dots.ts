/** Dot voting: each person spreads a few dots over the tasks, a few at most on one. */
import { z } from 'zod'
import { countOf } from '../report-strings.ts'
import type { SharedVoteKind } from './spec.ts'

const DotCount = z.number().int().min(1).max(50)

export const DotsConfigSchema = z.object({
  dotsPerPerson: DotCount,
  maxPerTask: DotCount,
})
export type DotsConfig = z.infer<typeof DotsConfigSchema>

/** A field of another kind is refused by name, not silently dropped: the facilitator meant something. */
export const notOfKind = (kind: string, field: string) =>
  z.never({ error: `a ${kind} round takes no ${field}` }).optional()

const DotsRequestSchema = z.object({
  dotsPerPerson: DotCount.default(3),
  maxPerTask: DotCount.default(2),
  criteria: notOfKind('dots', 'criteria'),
})

export const dotsKind: SharedVoteKind<typeof DotsConfigSchema, typeof DotsRequestSchema> = {
  config: DotsConfigSchema,
  request: DotsRequestSchema,
  criteria: () => [],
  standing: (t) => t.dots,
  resultText: (lang, _criteria, v) => countOf(lang, v.dots, 'dot'),
}
