/**
 * The replay's requests: the head (the outline, parsed with its schema, and the meeting's end)
 * and each segment (binary, checked against the outline). A refusal for load (429: the workshop's heavy requests are capped)
 * is waited out and asked again, so a report downloading meanwhile does not break the replay.
 */
import { HISTORY_API } from '../../shared/api.ts'
import { HEAVY_RETRY_AFTER_S } from '../../shared/limits.ts'
import { ErrorCode } from '../../shared/protocol.ts'
import {
  type ReplayHead,
  type Segment,
  decodeReplayHead,
  decodeSegment,
} from '../../shared/replay-segments.ts'
import type { ApiResult } from '../lib/api.ts'
import { type DownloadProgress, readBody, reply, send } from '../organiser/http.ts'
import { takePrefetch } from './prefetch.ts'
import type { SegmentRef } from './session.ts'

const TRIES = 5

async function retried<T>(ask: () => Promise<ApiResult<T>>): Promise<ApiResult<T>> {
  for (let i = 1; ; i++) {
    const r = await ask()
    if (r.ok || r.error !== ErrorCode.RateLimited || i >= TRIES) return r
    await new Promise((resolve) => setTimeout(resolve, HEAVY_RETRY_AFTER_S * 1000))
  }
}

/** The outline with the meeting's end (taken from the early request if the app made one). */
export const fetchHead = (workshopId: string, key: string, onProgress?: DownloadProgress) =>
  retried(async (): Promise<ApiResult<ReplayHead>> => {
    const early = takePrefetch(workshopId, key)
    const r = await (early ? reply(early) : send(HISTORY_API.replayOutline(workshopId), key))
    if (!r.ok) return r
    return body(r.res, decodeReplayHead, onProgress)
  })

async function body<T>(
  res: Response,
  decode: (bytes: Uint8Array) => T,
  onProgress?: DownloadProgress,
): Promise<ApiResult<T>> {
  let bytes: Uint8Array
  try {
    bytes = await readBody(res, onProgress)
  } catch {
    return { ok: false, error: 'NETWORK' }
  }
  try {
    return { ok: true, data: decode(bytes) }
  } catch {
    return { ok: false, error: 'INTERNAL' }
  }
}

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
    return body(r.res, (bytes) => decodeSegment(bytes, ref.info), onProgress)
  })
