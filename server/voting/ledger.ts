/**
 * The round ledger: what decides a voting round's state and takes its ballots (issue #12 point
 * 4). On PostgreSQL the rows decide (ledger-postgres.ts), so two instances cannot both act on one
 * round; on the embedded SQLite store, with its one writer, the control doc keeps the round as it
 * always did (ledger-doc.ts). Either way the routes write the control doc's display copy from
 * what the ledger answered.
 */
import type { Round, Tally } from '../../shared/control.ts'
import { ErrorCode } from '../../shared/protocol.ts'
import type { BallotRow } from '../store/store.ts'
import type { BallotCheck } from './ballot-types.ts'

/** A round operation refused by the round's state; the route answers it as is. */
export class LedgerError extends Error {
  constructor(
    readonly status: 404 | 409 | 400 | 422,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'LedgerError'
  }
}

export const roundNotFound = () =>
  new LedgerError(404, ErrorCode.RoundNotFound, 'no such voting round')
export const roundNotOpen = () =>
  new LedgerError(409, ErrorCode.RoundNotOpen, 'this voting round is not open')
export const roundRevealed = () =>
  new LedgerError(409, ErrorCode.RoundRevealed, 'a revealed round cannot be deleted')
export const roundStillOpen = (openId: string) =>
  new LedgerError(409, ErrorCode.RoundAlreadyOpen, `round ${openId} is still open; close it first`)

export interface RoundLedger {
  /** Refuses ROUND_ALREADY_OPEN while another round of the workshop is open. */
  open(workshopId: string, round: Round): Promise<Round>
  round(workshopId: string, roundId: string): Promise<Round | null>
  /** `check` runs under the round's lock, on the round as it stands then. */
  cast(
    ballot: Omit<BallotRow, 'ballot'>,
    check: (round: Round) => BallotCheck,
  ): Promise<{ round: Round; voters: number }>
  /** Closes an open round; answers the ballots as they stand at the close. */
  closeRound(
    workshopId: string,
    roundId: string,
    now: number,
  ): Promise<{ round: Round; ballots: BallotRow[] }>
  /** Closes if open and reveals, with the tally of exactly the ballots under the lock. */
  reveal(
    workshopId: string,
    roundId: string,
    now: number,
    tally: (round: Round, ballots: BallotRow[]) => Tally,
  ): Promise<{ round: Round; tally: Tally }>
  /** Deletes a round that was never revealed, with its ballots. */
  remove(workshopId: string, roundId: string): Promise<void>
  /**
   * Takes in a round the control doc holds and the ledger does not (one opened before the ledger
   * decided rounds, or copied by `npm run migrate`), as the doc has it, with the ballots already
   * stored. A round the ledger has is left as it is.
   */
  adopt(workshopId: string, round: Round): Promise<void>
}
