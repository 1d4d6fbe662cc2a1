/** Facilitator round actions over HTTP: the server owns rounds, ballots and tallies. */
import { z } from 'zod/mini'
import { OpenRoundResponse, type OpenRoundRequest, ROUND_API } from '../../shared/api.ts'
import { type ApiResult, apiCall } from '../lib/api.ts'
import { loadFacilitatorKey } from '../lib/session.ts'

const Ok = z.object({ ok: z.literal(true) })
/** The reveal reply is the tally; the control doc carries it to every screen, so it is not read here. */
const Anything = z.unknown()

// read at call time: the board stores the key from the link only after its first render
const key = (workshopId: string) => loadFacilitatorKey(workshopId) ?? undefined

export function openRound(
  workshopId: string,
  body: OpenRoundRequest,
): Promise<ApiResult<{ roundId: string }>> {
  return apiCall(ROUND_API.open(workshopId), OpenRoundResponse, { body, token: key(workshopId) })
}

export function closeRound(workshopId: string, roundId: string): Promise<ApiResult<unknown>> {
  return apiCall(ROUND_API.close(workshopId, roundId), Ok, {
    method: 'POST',
    body: {},
    token: key(workshopId),
  })
}

export function revealRound(workshopId: string, roundId: string): Promise<ApiResult<unknown>> {
  return apiCall(ROUND_API.reveal(workshopId, roundId), Anything, {
    method: 'POST',
    body: {},
    token: key(workshopId),
  })
}

/** Deletes a round that was never revealed, with its ballots. */
export function deleteRound(workshopId: string, roundId: string): Promise<ApiResult<unknown>> {
  return apiCall(ROUND_API.round(workshopId, roundId), Ok, {
    method: 'DELETE',
    token: key(workshopId),
  })
}
