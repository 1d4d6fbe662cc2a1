/** Dot voting: each person spreads a few dots over the tasks, a few at most on one. */
import { z } from 'zod/mini'
import { countOf } from '../report-strings.ts'
import type { SharedVoteKind } from './spec.ts'

const DotCount = z.int().check(z.minimum(1), z.maximum(50))

export const DotsConfigSchema = z.object({
  dotsPerPerson: DotCount,
  maxPerTask: DotCount,
})
export type DotsConfig = z.infer<typeof DotsConfigSchema>

/** A field of another kind is refused by name, not silently dropped: the facilitator meant something. */
export const notOfKind = (kind: string, field: string) =>
  z.optional(z.never({ error: `a ${kind} round takes no ${field}` }))

const DotsRequestSchema = z.object({
  dotsPerPerson: z._default(DotCount, 3),
  maxPerTask: z._default(DotCount, 2),
  criteria: notOfKind('dots', 'criteria'),
})

export const dotsKind: SharedVoteKind<typeof DotsConfigSchema, typeof DotsRequestSchema> = {
  config: DotsConfigSchema,
  request: DotsRequestSchema,
  criteria: () => [],
  standing: (t) => t.dots,
  resultText: (lang, _criteria, v) => countOf(lang, v.dots, 'dot'),
}
