/**
 * The server's registry of vote kinds, mapped over {@link VoteKind}: a kind without its module
 * here fails to compile.
 */
import type { z } from 'zod'
import type { OpenRoundRequest } from '../../../shared/api.ts'
import type { Round } from '../../../shared/control.ts'
import type { ErrorCode } from '../../../shared/protocol.ts'
import type { KindConfig } from '../../../shared/vote-kinds/index.ts'
import type { VoteKind } from '../../../shared/vote-kinds/kind.ts'
import { dotsServer } from './dots.ts'
import type { ServerVoteKind } from './kind.ts'
import { scoresServer } from './scores.ts'

const SERVER_KINDS: { [K in VoteKind]: ServerVoteKind<K> } = {
  dots: dotsServer,
  scores: scoresServer,
}

/**
 * The entry of a round's kind. Typed for any round: each entry reads only its own kind's rounds,
 * and the registry's type pairs every kind with its own entry.
 */
export const serverKind = (round: Round): ServerVoteKind<VoteKind> =>
  SERVER_KINDS[round.kind] as ServerVoteKind<VoteKind>

export const serverKindOf = <K extends VoteKind>(kind: K): ServerVoteKind<K> => SERVER_KINDS[kind]

/** A round's kind and that kind's settings: what a kind adds to the common fields. */
export type KindPart = { [K in VoteKind]: { kind: K } & KindConfig<K> }[VoteKind]

/** The kind's part of a new round, from an open request; refused when it cannot make one. */
export function kindSetup(
  request: z.output<typeof OpenRoundRequest>,
  lang: 'nl' | 'en',
): { ok: true; round: KindPart } | { ok: false; code: ErrorCode; message: string } {
  const made = (SERVER_KINDS[request.kind] as ServerVoteKind<VoteKind>).setup(request, lang)
  // the entry of request.kind made this config, so it pairs with that kind
  return made.ok ? { ok: true, round: { kind: request.kind, ...made.config } as KindPart } : made
}
