/**
 * Ballot rules and tallies, server-authoritative. Pure functions over a round and its ballots;
 * the route handles identity and storage.
 */
import type { Round, Tally, TaskTally } from '../../shared/control.ts'
import { type TallyPrivacy, protectTally } from '../../shared/tally-privacy.ts'
import type { BallotCheck, BallotInput, StoredBallot } from './ballot-types.ts'
import { serverKind } from './kinds/index.ts'

export type { Ballot, BallotCheck, BallotInput, StoredBallot } from './ballot-types.ts'

/**
 * Checked by the round's kind (server/voting/kinds/). Keys are checked against the round before
 * anything is built, and only the round's own task and criterion ids become keys of the stored
 * ballot. An empty ballot is refused: it is not a vote and must not count as a voter.
 */
export const checkBallot = (round: Round, input: BallotInput): BallotCheck =>
  serverKind(round).check(round, input)

const tallyOf = (round: Round, taskId: string, ballots: readonly StoredBallot[]) =>
  serverKind(round).totals(round, taskId, ballots)

/**
 * Totals per task, and the same per table so each perspective's choice stays visible; in the
 * anonymous modes tables with too few voters are pooled (shared/tally-privacy.ts).
 */
export function tally(round: Round, ballots: StoredBallot[], privacy: TallyPrivacy): Tally {
  return protectTally(fullTally(round, ballots), privacy)
}

function fullTally(round: Round, ballots: StoredBallot[]): Tally {
  const tables = [...new Set(ballots.map((b) => b.tableId))].sort()
  const votersByTable = Object.fromEntries(
    tables.map((t) => [t, ballots.filter((b) => b.tableId === t).length]),
  )
  const tasks: TaskTally[] = round.taskIds.map((taskId) => {
    const { scored: _all, ...total } = tallyOf(round, taskId, ballots)
    const byTable: TaskTally['byTable'] = {}
    for (const t of tables) {
      const atTable = ballots.filter((b) => b.tableId === t)
      byTable[t] = { ...tallyOf(round, taskId, atTable), voters: atTable.length }
    }
    return { taskId, ...total, byTable }
  })
  return { roundId: round.id, voters: ballots.length, votersByTable, tasks }
}
