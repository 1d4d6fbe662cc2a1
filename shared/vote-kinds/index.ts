/**
 * The shared registry of vote kinds: per kind its round settings, its request, how it ranks and
 * how a report words a result. Mapped over {@link VoteKind}: a kind without a module here fails to
 * compile, and so does every place that reads the registry for it.
 */
import type { z } from 'zod/mini'
import { dotsKind } from './dots.ts'
import type { VoteKind } from './kind.ts'
import type { SharedVoteKind } from './spec.ts'
import { scoresKind } from './scores.ts'

export const VOTE_KINDS = {
  dots: dotsKind,
  scores: scoresKind,
} as const satisfies { [K in VoteKind]: SharedVoteKind<z.ZodMiniObject, z.ZodMiniObject> }

export type VoteKinds = typeof VOTE_KINDS
/** The settings a round of kind K carries beside the common fields. */
export type KindConfig<K extends VoteKind> = z.output<VoteKinds[K]['config']>
