/**
 * The client's registry of vote kinds, mapped over VoteKind: a kind without its module here fails
 * to compile.
 */
import type { Round } from '../../../shared/control.ts'
import type { VoteKind } from '../../../shared/vote-kinds/kind.ts'
import { dotsClient } from './dots.tsx'
import type { ClientVoteKind } from './kind.ts'
import { scoresClient } from './scores.tsx'

export const CLIENT_KINDS: { [K in VoteKind]: ClientVoteKind<K> } = {
  dots: dotsClient,
  scores: scoresClient,
}

/** Every kind, in the order the open-round dialog offers them. */
export const CLIENT_KIND_LIST = Object.keys(CLIENT_KINDS) as VoteKind[]

/**
 * The entry of a round's kind, typed for any round: each entry reads only its own kind's rounds,
 * and the registry's type pairs every kind with its own entry.
 */
export const clientKind = (round: Round): ClientVoteKind<VoteKind> =>
  CLIENT_KINDS[round.kind] as ClientVoteKind<VoteKind>
