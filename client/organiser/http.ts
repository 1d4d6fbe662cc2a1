/**
 * Organiser requests that are not plain JSON replies: the binary history, file downloads and the
 * deletion (204). Errors become the same closed codes as `apiCall`, so they are shown translated.
 */
import { ApiError, HISTORY_API } from '../../shared/api.ts'
import { type History, decodeHistory } from '../../shared/history.ts'
import type { ApiResult } from '../lib/api.ts'
import type { ClientErrorCode } from '../i18n/index.ts'
import { filenameFrom, saveBlob } from './download.ts'

async function send(
  path: string,
  key: string,
  method: 'GET' | 'DELETE' = 'GET',
): Promise<{ ok: true; res: Response } | { ok: false; error: ClientErrorCode }> {
  let res: Response
  try {
    res = await fetch(path, {
      method,
      headers: { Authorization: `Bearer ${key}` },
      cache: 'no-store',
    })
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

export async function fetchHistory(workshopId: string, key: string): Promise<ApiResult<History>> {
  const r = await send(HISTORY_API.history(workshopId), key)
  if (!r.ok) return r
  try {
    return { ok: true, data: decodeHistory(new Uint8Array(await r.res.arrayBuffer())) }
  } catch {
    return { ok: false, error: 'INTERNAL' }
  }
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
