/**
 * Voting rounds as rows (issue #12 point 4): the database, not the control doc, decides whether a
 * round is open. Casting a ballot locks the round's row, checks it is open and the ballot within
 * the round's limits, upserts the ballot and the voter count, and commits; closing, revealing and
 * deleting take the same lock, so no ballot lands after the tally was taken. A partial unique index
 * allows one open round per workshop. The control doc gets a display copy of what this decided.
 */
import type pg from 'pg'
import { type Round, RoundSchema, type Tally } from '../../shared/control.ts'
import { ErrorCode } from '../../shared/protocol.ts'
import type { BallotRow } from '../store/store.ts'
import { inTransaction } from '../store/postgres.ts'
import type { BallotCheck } from './ballots.ts'

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
}

interface RoundPgRow {
  round: unknown
  status: Round['status']
  voter_count: number
  closed_at: number | null
}

const toRound = (r: RoundPgRow): Round =>
  RoundSchema.parse({
    ...(r.round as object),
    status: r.status,
    voterCount: r.voter_count,
    closedAt: r.closed_at,
  })

const UNIQUE_VIOLATION = '23505'

/** On the pool of a migrated PostgreSQL store (`openPostgresStore(...).pool`). */
export function postgresLedger(pool: pg.Pool): RoundLedger {
  const tx = <T>(fn: (c: pg.PoolClient) => Promise<T>) => inTransaction(pool, fn)
  const locked = async (c: pg.PoolClient, workshopId: string, roundId: string) => {
    const { rows } = await c.query<RoundPgRow>(
      `SELECT round, status, voter_count, closed_at FROM rounds
       WHERE workshop_id = $1 AND id = $2 FOR UPDATE`,
      [workshopId, roundId],
    )
    if (!rows[0]) throw new LedgerError(404, ErrorCode.RoundNotFound, 'no such voting round')
    return toRound(rows[0])
  }
  const ballotsOf = async (c: pg.PoolClient, workshopId: string, roundId: string) =>
    (
      await c.query<{
        participant_id: string
        table_id: string
        ballot: string
        cast_at: number
      }>(
        `SELECT participant_id, table_id, ballot, cast_at FROM ballots
         WHERE workshop_id = $1 AND round_id = $2 ORDER BY participant_id`,
        [workshopId, roundId],
      )
    ).rows.map((r): BallotRow => ({
      workshopId,
      roundId,
      participantId: r.participant_id,
      tableId: r.table_id,
      ballot: r.ballot,
      castAt: r.cast_at,
    }))

  return {
    async open(workshopId, round) {
      const r = RoundSchema.parse({ ...round, status: 'open', voterCount: 0, closedAt: null })
      try {
        await pool.query(
          `INSERT INTO rounds (workshop_id, id, status, round, voter_count, closed_at)
           VALUES ($1, $2, 'open', $3, 0, NULL)`,
          [workshopId, r.id, JSON.stringify(r)],
        )
      } catch (err) {
        if ((err as { code?: string }).code === UNIQUE_VIOLATION)
          throw new LedgerError(409, ErrorCode.RoundAlreadyOpen, 'another voting round is open')
        throw err
      }
      return r
    },
    async round(workshopId, roundId) {
      const { rows } = await pool.query<RoundPgRow>(
        `SELECT round, status, voter_count, closed_at FROM rounds WHERE workshop_id = $1 AND id = $2`,
        [workshopId, roundId],
      )
      return rows[0] ? toRound(rows[0]) : null
    },
    cast: (ballot, check) =>
      tx(async (c) => {
        const round = await locked(c, ballot.workshopId, ballot.roundId)
        if (round.status !== 'open')
          throw new LedgerError(409, ErrorCode.RoundNotOpen, 'this voting round is not open')
        const checked = check(round)
        if (!checked.ok) throw new LedgerError(checked.status, checked.code, checked.message)
        await c.query(
          `INSERT INTO ballots (workshop_id, round_id, participant_id, table_id, ballot, cast_at)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (workshop_id, round_id, participant_id)
           DO UPDATE SET table_id = EXCLUDED.table_id, ballot = EXCLUDED.ballot, cast_at = EXCLUDED.cast_at`,
          [
            ballot.workshopId,
            ballot.roundId,
            ballot.participantId,
            ballot.tableId,
            JSON.stringify(checked.ballot),
            ballot.castAt,
          ],
        )
        const { rows } = await c.query<{ n: number }>(
          `UPDATE rounds SET voter_count = (
             SELECT COUNT(*) FROM ballots WHERE workshop_id = $1 AND round_id = $2)
           WHERE workshop_id = $1 AND id = $2 RETURNING voter_count AS n`,
          [ballot.workshopId, ballot.roundId],
        )
        const voters = rows[0]!.n
        return { round: { ...round, voterCount: voters }, voters }
      }),
    closeRound: (workshopId, roundId, now) =>
      tx(async (c) => {
        let round = await locked(c, workshopId, roundId)
        if (round.status === 'open') {
          await c.query(
            `UPDATE rounds SET status = 'closed', closed_at = $3 WHERE workshop_id = $1 AND id = $2`,
            [workshopId, roundId, now],
          )
          round = { ...round, status: 'closed', closedAt: now }
        }
        return { round, ballots: await ballotsOf(c, workshopId, roundId) }
      }),
    reveal: (workshopId, roundId, now, tally) =>
      tx(async (c) => {
        const round = await locked(c, workshopId, roundId)
        const ballots = await ballotsOf(c, workshopId, roundId)
        const result = tally(round, ballots)
        const closedAt = round.closedAt ?? now
        await c.query(
          `UPDATE rounds SET status = 'revealed', closed_at = $3, voter_count = $4
           WHERE workshop_id = $1 AND id = $2`,
          [workshopId, roundId, closedAt, result.voters],
        )
        return {
          round: { ...round, status: 'revealed', closedAt, voterCount: result.voters },
          tally: result,
        }
      }),
    remove: (workshopId, roundId) =>
      tx(async (c) => {
        const round = await locked(c, workshopId, roundId)
        if (round.status === 'revealed')
          throw new LedgerError(409, ErrorCode.RoundRevealed, 'a revealed round cannot be deleted')
        await c.query(`DELETE FROM ballots WHERE workshop_id = $1 AND round_id = $2`, [
          workshopId,
          roundId,
        ])
        await c.query(`DELETE FROM rounds WHERE workshop_id = $1 AND id = $2`, [
          workshopId,
          roundId,
        ])
      }),
  }
}
