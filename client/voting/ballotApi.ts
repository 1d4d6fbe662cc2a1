/** A participant's ballot goes to the server, never into a Yjs doc (everyone receives the docs). */
import { type BallotRequest, BallotResponse, ROUND_API } from '../../shared/api.ts'
import { type ApiResult, apiCall } from '../lib/api.ts'
import { loadParticipant } from '../lib/session.ts'

export function castBallot(
  workshopId: string,
  roundId: string,
  ballot: BallotRequest,
): Promise<ApiResult<BallotResponse>> {
  const token = loadParticipant(workshopId)?.token
  if (!token) return Promise.resolve({ ok: false, error: 'UNAUTHORIZED' })
  return apiCall(ROUND_API.ballot(workshopId, roundId), BallotResponse, { body: ballot, token })
}
