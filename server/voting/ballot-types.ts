/** What a ballot is on the server, and how a check refuses one; shared by every vote kind. */
import { ErrorCode } from '../../shared/protocol.ts'

export interface Ballot {
  dots: Record<string, number>
  scores: Record<string, Record<string, number>>
}

export interface StoredBallot extends Ballot {
  participantId: string
  tableId: string
}

export type BallotCheck =
  { ok: true; ballot: Ballot } | { ok: false; status: 400 | 422; code: ErrorCode; message: string }

export const refuse = (code: ErrorCode, message: string, status: 400 | 422 = 422): BallotCheck => ({
  ok: false,
  status,
  code,
  message,
})

/** A ballot as the route parsed it: keys not yet checked, and never assigned onto an object. */
export interface BallotInput {
  dots?: ReadonlyMap<string, number>
  scores?: ReadonlyMap<string, ReadonlyMap<string, number>>
  /** Score rounds: tasks left out on purpose. */
  skip?: readonly string[]
}

/** An id from the ballot quoted in an error message, cut short: it is untrusted input. */
export const named = (id: string) => JSON.stringify(id.slice(0, 64))

export const notInRound = (taskId: string) =>
  refuse(ErrorCode.BadRequest, `task ${named(taskId)} is not in this round`)

/** One task's totals among some ballots: dots, mean score and how many scored, per criterion. */
export interface TaskTotals {
  dots: number
  scores: Record<string, number | null>
  scored: Record<string, number>
}
