/**
 * The round ledger on the embedded SQLite store: one process writes, so a queue per workshop is
 * the lock. The round's state is kept where it always was, in the control doc (stored in the
 * same SQLite file), and the ballots in the ballots table; so a workshop from before the ledger
 * needs nothing moved.
 */
import {
  type Round,
  RoundSchema,
  listRounds,
  readRound,
  writeRound,
  writeTally,
} from '../../shared/control.ts'
import { deleteRound } from '../../shared/control-actions.ts'
import { DocName } from '../../shared/protocol.ts'
import { KeyedQueue } from '../relay/keyed-queue.ts'
import type { RoomRegistry } from '../relay/rooms.ts'
import type { AsyncStore } from '../store/async-store.ts'
import {
  LedgerError,
  type RoundLedger,
  roundNotFound,
  roundNotOpen,
  roundRevealed,
  roundStillOpen,
} from './ledger.ts'

export function docLedger(
  rooms: Pick<RoomRegistry, 'read' | 'write'>,
  store: Pick<AsyncStore, 'putBallot' | 'ballots' | 'deleteBallots'>,
): RoundLedger {
  const queue = new KeyedQueue()
  const round = (workshopId: string, roundId: string) =>
    rooms.read(workshopId, DocName.Control, (doc) => readRound(doc, roundId))
  const existing = async (workshopId: string, roundId: string): Promise<Round> =>
    (await round(workshopId, roundId)) ?? Promise.reject(roundNotFound())
  const write = (workshopId: string, r: Round) =>
    rooms.write(workshopId, DocName.Control, (doc) => writeRound(doc, r))

  return {
    open: (workshopId, opened) =>
      queue.run(workshopId, async () => {
        const stillOpen = (await rooms.read(workshopId, DocName.Control, listRounds)).find(
          (r) => r.status === 'open',
        )
        if (stillOpen) throw roundStillOpen(stillOpen.id)
        const r = RoundSchema.parse({ ...opened, status: 'open', voterCount: 0, closedAt: null })
        await write(workshopId, r)
        return r
      }),
    round,
    // the voter count in the doc is a display copy of the ballots table: the route writes it
    cast: (ballot, check) =>
      queue.run(ballot.workshopId, async () => {
        const r = await existing(ballot.workshopId, ballot.roundId)
        if (r.status !== 'open') throw roundNotOpen()
        const checked = check(r)
        if (!checked.ok) throw new LedgerError(checked.status, checked.code, checked.message)
        const voters = await store.putBallot({ ...ballot, ballot: JSON.stringify(checked.ballot) })
        return { round: { ...r, voterCount: voters }, voters }
      }),
    closeRound: (workshopId, roundId, now) =>
      queue.run(workshopId, async () => {
        let r = await existing(workshopId, roundId)
        if (r.status === 'open') {
          r = { ...r, status: 'closed', closedAt: now }
          await write(workshopId, r)
        }
        return { round: r, ballots: await store.ballots(workshopId, roundId) }
      }),
    reveal: (workshopId, roundId, now, tally) =>
      queue.run(workshopId, async () => {
        const r = await existing(workshopId, roundId)
        const counted = tally(r, await store.ballots(workshopId, roundId))
        const revealed: Round = {
          ...r,
          status: 'revealed',
          closedAt: r.closedAt ?? now,
          voterCount: counted.voters,
        }
        await rooms.write(workshopId, DocName.Control, (doc) => {
          writeRound(doc, revealed)
          writeTally(doc, counted)
        })
        return { round: revealed, tally: counted }
      }),
    remove: (workshopId, roundId) =>
      queue.run(workshopId, async () => {
        if ((await existing(workshopId, roundId)).status === 'revealed') throw roundRevealed()
        await store.deleteBallots(workshopId, roundId)
        await rooms.write(workshopId, DocName.Control, (doc) => deleteRound(doc, roundId))
      }),
    // the doc is where this ledger keeps rounds: there is nothing to take in
    adopt: async () => {},
  }
}
