/**
 * The replay's requests: the outline (JSON, parsed with its schema) and each segment (binary,
 * checked against the outline). A refusal for load (429: the workshop's heavy requests are capped)
 * is waited out and asked again, so a report downloading meanwhile does not break the replay.
 */
import { HISTORY_API } from '../../shared/api.ts'
import { HEAVY_RETRY_AFTER_S } from '../../shared/limits.ts'
import { ErrorCode } from '../../shared/protocol.ts'
import { ReplayOutline, type Segment, decodeSegment } from '../../shared/replay-segments.ts'
import { type ApiResult, apiCall } from '../lib/api.ts'
import { type DownloadProgress, readBody, send } from '../organiser/http.ts'
import type { SegmentRef } from './session.ts'

const TRIES = 5

async function retried<T>(ask: () => Promise<ApiResult<T>>): Promise<ApiResult<T>> {
  for (let i = 1; ; i++) {
    const r = await ask()
    if (r.ok || r.error !== ErrorCode.RateLimited || i >= TRIES) return r
    await new Promise((resolve) => setTimeout(resolve, HEAVY_RETRY_AFTER_S * 1000))
  }
}

/** `segment`: entries per segment, left to the server unless a test asks for small ones. */
export const fetchOutline = (workshopId: string, key: string, segment?: number) =>
  retried(() =>
    apiCall(HISTORY_API.replayOutline(workshopId, segment), ReplayOutline, { token: key }),
  )

export const fetchSegment = (
  workshopId: string,
  key: string,
  ref: SegmentRef,
  onProgress?: DownloadProgress,
): Promise<ApiResult<Segment>> =>
  retried(async () => {
    const path = HISTORY_API.replaySegment(workshopId, ref.doc, ref.info.base, ref.info.last)
    const r = await send(path, key)
    if (!r.ok) return r
    let bytes: Uint8Array
    try {
      bytes = await readBody(r.res, onProgress)
    } catch {
      return { ok: false, error: 'NETWORK' }
    }
    try {
      return { ok: true, data: decodeSegment(bytes, ref.info) }
    } catch {
      return { ok: false, error: 'INTERNAL' }
    }
  })
