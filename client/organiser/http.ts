/**
 * Organiser requests that are not plain JSON replies: binary bodies with progress, file downloads and the
 * deletion (204). Errors become the same closed codes as `apiCall`, so they are shown translated.
 */
import { ApiError, HISTORY_API } from '../../shared/api.ts'
import type { ApiResult } from '../lib/api.ts'
import type { ClientErrorCode } from '../i18n/index.ts'
import { filenameFrom, saveBlob } from './download.ts'

export function send(
  path: string,
  key: string,
  method: 'GET' | 'DELETE' = 'GET',
): Promise<SendResult> {
  return reply(
    fetch(path, {
      method,
      headers: { Authorization: `Bearer ${key}` },
      cache: 'no-store',
    }),
  )
}

type SendResult = { ok: true; res: Response } | { ok: false; error: ClientErrorCode }

/** A request already on its way (the replay starts its first one early), its failure as a code. */
export async function reply(request: Promise<Response>): Promise<SendResult> {
  let res: Response
  try {
    res = await request
  } catch {
    return { ok: false, error: 'NETWORK' }
  }
  if (res.ok) return { ok: true, res }
  try {
    const err = ApiError.safeParse(await res.json())
    return { ok: false, error: err.success ? err.data.error : 'INTERNAL' }
  } catch {
    return { ok: false, error: 'INTERNAL' }
  }
}

/** Bytes received of `total` (0 while the length is not known). */
export type DownloadProgress = (received: number, total: number) => void

/** The whole body, reporting as it arrives: a long meeting's history is megabytes. */
export async function readBody(res: Response, onProgress?: DownloadProgress): Promise<Uint8Array> {
  const total = Number(res.headers.get('Content-Length')) || 0
  if (!onProgress || !res.body) return new Uint8Array(await res.arrayBuffer())
  const reader = res.body.getReader()
  const chunks: Uint8Array[] = []
  let received = 0
  onProgress(0, total)
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    received += value.byteLength
    onProgress(received, total)
  }
  if (chunks.length === 1) return chunks[0]!
  const out = new Uint8Array(received)
  let at = 0
  for (const c of chunks) {
    out.set(c, at)
    at += c.byteLength
  }
  return out
}

/** Fetches a file route and hands it to the browser as a download; resolves to its file name. */
export async function downloadFile(
  path: string,
  key: string,
  fallbackName: string,
): Promise<ApiResult<string>> {
  const r = await send(path, key)
  if (!r.ok) return r
  let blob: Blob
  try {
    blob = await r.res.blob()
  } catch {
    return { ok: false, error: 'NETWORK' }
  }
  const name = filenameFrom(r.res.headers.get('Content-Disposition'), fallbackName)
  saveBlob(blob, name)
  return { ok: true, data: name }
}

export async function deleteWorkshop(workshopId: string, key: string): Promise<ApiResult<null>> {
  const r = await send(HISTORY_API.workshop(workshopId), key, 'DELETE')
  return r.ok ? { ok: true, data: null } : r
}
