/**
 * Voting rounds as rows (issue #12 point 4): the database, not the control doc, decides whether a
 * round is open. Casting a ballot locks the round's row, checks it is open and the ballot within
 * the round's limits, upserts the ballot and the voter count, and commits; closing, revealing and
 * deleting take the same lock, so no ballot lands after the tally was taken. A partial unique index
 * allows one open round per workshop. The control doc gets a display copy of what this decided.
 */
import type pg from 'pg'
import { type Round, RoundSchema } from '../../shared/control.ts'
import type { BallotRow } from '../store/store.ts'
import { inTransaction } from '../store/postgres.ts'
import {
  LedgerError,
  type RoundLedger,
  roundNotFound,
  roundNotOpen,
  roundRevealed,
  roundStillOpen,
} from './ledger.ts'

/**
 * A deleted round keeps its row under this status, with no ballots: the control doc's display copy
 * may still hold the round (its removal is written after the ledger's commit and can fail), and a
 * row that is gone would let the read-through take that copy in again, as a round with 0 ballots.
 */
const DELETED = 'deleted'

interface RoundPgRow {
  round: unknown
  status: Round['status'] | typeof DELETED
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
  /** The round's row under its lock; null when it was deleted. */
  const lockedRow = async (c: pg.PoolClient, workshopId: string, roundId: string) => {
    const { rows } = await c.query<RoundPgRow>(
      `SELECT round, status, voter_count, closed_at FROM rounds
       WHERE workshop_id = $1 AND id = $2 FOR UPDATE`,
      [workshopId, roundId],
    )
    if (!rows[0]) throw roundNotFound()
    return rows[0].status === DELETED ? null : toRound(rows[0])
  }
  const locked = async (c: pg.PoolClient, workshopId: string, roundId: string) => {
    const round = await lockedRow(c, workshopId, roundId)
    if (!round) throw roundNotFound()
    return round
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
        if ((err as { code?: string }).code !== UNIQUE_VIOLATION) throw err
        const { rows } = await pool.query<{ id: string }>(
          `SELECT id FROM rounds WHERE workshop_id = $1 AND status = 'open'`,
          [workshopId],
        )
        throw roundStillOpen(rows[0]?.id ?? '')
      }
      return r
    },
    async round(workshopId, roundId) {
      const { rows } = await pool.query<RoundPgRow>(
        `SELECT round, status, voter_count, closed_at FROM rounds WHERE workshop_id = $1 AND id = $2`,
        [workshopId, roundId],
      )
      return rows[0] && rows[0].status !== DELETED ? toRound(rows[0]) : null
    },
    cast: (ballot, check) =>
      tx(async (c) => {
        const round = await locked(c, ballot.workshopId, ballot.roundId)
        if (round.status !== 'open') throw roundNotOpen()
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
        const round = await lockedRow(c, workshopId, roundId)
        // deleted already: the route writes the display copy's removal again
        if (!round) return
        if (round.status === 'revealed') throw roundRevealed()
        await c.query(`DELETE FROM ballots WHERE workshop_id = $1 AND round_id = $2`, [
          workshopId,
          roundId,
        ])
        await c.query(
          `UPDATE rounds SET status = '${DELETED}', voter_count = 0 WHERE workshop_id = $1 AND id = $2`,
          [workshopId, roundId],
        )
      }),
    async adopt(workshopId, round) {
      const r = RoundSchema.parse(round)
      // ON CONFLICT without a target: a row of that id, or another open round, wins
      await pool.query(
        `INSERT INTO rounds (workshop_id, id, status, round, voter_count, closed_at)
         SELECT $1, $2, $3, $4, COUNT(*)::int, $5 FROM ballots
         WHERE workshop_id = $1 AND round_id = $2
         ON CONFLICT DO NOTHING`,
        [workshopId, r.id, r.status, JSON.stringify(r), r.closedAt],
      )
    },
  }
}
