/**
 * What the client must know of each vote kind: its ballot form and what the form sends, and its
 * result view. client/voting/kinds/index.ts maps every VoteKind to one; a kind missing there fails
 * to compile.
 */
import type { ComponentType } from 'react'
import type { BallotRequest } from '../../../shared/api.ts'
import type { RoundOf, Tally } from '../../../shared/control.ts'
import type { Table } from '../../../shared/schema.ts'
import type { VoteKind } from '../../../shared/vote-kinds/kind.ts'
import type { MessageKey } from '../../i18n/index.ts'
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

export interface ClientVoteKind<K extends VoteKind> {
  /** The ballot's heading when the round has no title. */
  heading: MessageKey
  Form: ComponentType<BallotFormProps<K>>
  /** Tasks the ballot leaves open; it is sent only when there are none. */
  missing(round: RoundOf<K>, ballot: BallotState): string[]
  /** What goes to the server: this kind's fields only. */
  request(ballot: BallotState): BallotRequest
  Result: ComponentType<ResultViewProps<K>>
}
