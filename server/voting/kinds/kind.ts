/**
 * What the server must know of each vote kind: how its round is set up from a request, how a
 * ballot is checked and how ballots are totalled, and how the HTML report charts its result.
 * server/voting/kinds/index.ts maps every {@link VoteKind} to one; a kind missing there fails to
 * compile.
 */
import type { z } from 'zod'
import type { RoundOf } from '../../../shared/control.ts'
import type { ErrorCode } from '../../../shared/protocol.ts'
import type { ReportLang } from '../../../shared/report-strings.ts'
import type { KindConfig, VoteKinds } from '../../../shared/vote-kinds/index.ts'
import type { NamedCriterion, VoteKind } from '../../../shared/vote-kinds/kind.ts'
import type { BallotCheck, BallotInput, StoredBallot, TaskTotals } from '../ballot-types.ts'

export type KindSetup<K extends VoteKind> =
  { ok: true; config: KindConfig<K> } | { ok: false; code: ErrorCode; message: string }

/** What the HTML report lends a kind to draw its result with (server/export/html.ts). */
export interface ReportCharts {
  lang: ReportLang
  /** "Ronde 1 — 3 stemmers", escaped. */
  caption: string
  /** The round's criteria as the report names them. */
  criteria: readonly NamedCriterion[]
  /** One figure of ranked bars by `value`, labelled by `text`, scaled to `max` (else the top bar). */
  bars(
    caption: string,
    value: (res: { dots: number; scores: Readonly<Record<string, number | null>> }) => number,
    text: (v: number) => string,
    max?: number,
  ): string
  /** The first two criteria's means as a 2×2 matrix figure. */
  matrix(): string
  esc(s: string): string
}

export interface ServerVoteKind<K extends VoteKind> {
  /** The round's settings from the request's own part; refused when they cannot make a round. */
  setup(request: z.output<VoteKinds[K]['request']>, lang: 'nl' | 'en'): KindSetup<K>
  /** Keys are checked against the round before anything is built (see ballots.ts). */
  check(round: RoundOf<K>, input: BallotInput): BallotCheck
  /** One task's totals among `ballots`. */
  totals(round: RoundOf<K>, taskId: string, ballots: readonly StoredBallot[]): TaskTotals
  /** The result's figures in the HTML report. */
  reportCharts(charts: ReportCharts): string
}
