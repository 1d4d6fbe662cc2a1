/**
 * Rounds that only the control doc knows (opened before the database decided rounds, or copied
 * from SQLite by `npm run migrate`) are taken into the ledger the first time a route names them,
 * rather than all at room load: most old rounds are never touched again. An open one is taken in
 * before a new round opens, so the one-open-round rule sees it.
 */
import type { Round } from '../../shared/control.ts'
import { ErrorCode } from '../../shared/protocol.ts'
import { LedgerError, type RoundLedger } from './ledger.ts'

export function readingThrough(
  ledger: RoundLedger,
  docRounds: (workshopId: string) => Promise<Round[]>,
): RoundLedger {
  /** Whether the doc had the round, now taken in. */
  const adopted = async (workshopId: string, roundId: string) => {
    const r = (await docRounds(workshopId)).find((x) => x.id === roundId)
    if (r) await ledger.adopt(workshopId, r)
    return Boolean(r)
  }
  const orAdopted = async <T>(workshopId: string, roundId: string, op: () => Promise<T>) => {
    try {
      return await op()
    } catch (err) {
      const missing = err instanceof LedgerError && err.code === ErrorCode.RoundNotFound
      if (missing && (await adopted(workshopId, roundId))) return op()
      throw err
    }
  }
  return {
    async open(workshopId, round) {
      for (const r of await docRounds(workshopId))
        if (r.status === 'open') await ledger.adopt(workshopId, r)
      return ledger.open(workshopId, round)
    },
    async round(workshopId, roundId) {
      const r = await ledger.round(workshopId, roundId)
      if (r || !(await adopted(workshopId, roundId))) return r
      return ledger.round(workshopId, roundId)
    },
    cast: (ballot, check) =>
      orAdopted(ballot.workshopId, ballot.roundId, () => ledger.cast(ballot, check)),
    closeRound: (workshopId, roundId, now) =>
      orAdopted(workshopId, roundId, () => ledger.closeRound(workshopId, roundId, now)),
    reveal: (workshopId, roundId, now, tally) =>
      orAdopted(workshopId, roundId, () => ledger.reveal(workshopId, roundId, now, tally)),
    remove: (workshopId, roundId) =>
      orAdopted(workshopId, roundId, () => ledger.remove(workshopId, roundId)),
    adopt: (workshopId, round) => ledger.adopt(workshopId, round),
  }
}
