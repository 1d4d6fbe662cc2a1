/**
 * What the client must know of each vote kind: its settings form in the open-round dialog and
 * what that sends, its ballot form and what the form sends, and its result view.
 * client/voting/kinds/index.ts maps every VoteKind to one; a kind missing there fails to compile.
 */
import type { ComponentType } from 'react'
import type { BallotRequest, OpenRoundRequest } from '../../../shared/api.ts'
import type { RoundOf, Tally } from '../../../shared/control.ts'
import type { Table } from '../../../shared/schema.ts'
import type { KindConfig } from '../../../shared/vote-kinds/index.ts'
import type { VoteKind } from '../../../shared/vote-kinds/kind.ts'
import type { Lang, MessageKey } from '../../i18n/index.ts'
import type { BallotDraft } from '../ballotDraft.ts'

/** A ballot being filled in: every kind's fields, so one draft per round holds any of them. */
export type BallotState = Omit<BallotDraft, 'saved'>

export interface BallotFormProps<K extends VoteKind> {
  round: RoundOf<K>
  titles: ReadonlyMap<string, string>
  ballot: BallotState
  /** Tasks still open, marked once the voter tried to send. */
  missing: ReadonlySet<string>
  onChange(next: BallotState): void
}

export interface ResultViewProps<K extends VoteKind> {
  round: RoundOf<K>
  tally: Tally
  titles: ReadonlyMap<string, string>
  tables: Table[]
  /** A per-table view shared with the projector (the facilitator's toggle), where the kind has one. */
  perTable?: boolean
  onPerTable?: (on: boolean) => void
}

/** The fields a request to open a round of kind K carries beside the common ones. */
export type KindRequest<K extends VoteKind> = Omit<
  Extract<OpenRoundRequest, { kind: K }>,
  'kind' | 'title' | 'taskIds' | 'fromRound'
>

export interface RoundSettingsProps<K extends VoteKind> {
  value: KindConfig<K>
  onChange(next: KindConfig<K>): void
}

/** The kind's part of the open-round dialog: the round's own settings, edited as its config. */
export interface RoundSettings<K extends VoteKind> {
  /** The kind's name where the facilitator picks it. */
  label: MessageKey
  /** A new round's settings (defaults in the UI's language). */
  initial(lang: Lang): KindConfig<K>
  Form: ComponentType<RoundSettingsProps<K>>
  /** What goes to the server: this kind's settings only, tidied (the server checks them). */
  request(value: KindConfig<K>): KindRequest<K>
}

export interface ClientVoteKind<K extends VoteKind> {
  settings: RoundSettings<K>
  /** The ballot's heading when the round has no title. */
  heading: MessageKey
  Form: ComponentType<BallotFormProps<K>>
  /** Tasks the ballot leaves open; it is sent only when there are none. */
  missing(round: RoundOf<K>, ballot: BallotState): string[]
  /** What goes to the server: this kind's fields only. */
  request(ballot: BallotState): BallotRequest
  Result: ComponentType<ResultViewProps<K>>
}
