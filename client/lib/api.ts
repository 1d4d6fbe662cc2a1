/** REST calls: replies are parsed with the shared schemas; failures become a closed error code. */
import type { z } from 'zod/mini'
import { ApiError } from '../../shared/api.ts'
import type { ClientErrorCode } from '../i18n/index.ts'

export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: ClientErrorCode }

export async function apiCall<S extends z.ZodMiniType>(
  path: string,
  schema: S,
  init: { method?: 'GET' | 'POST' | 'PATCH' | 'DELETE'; body?: unknown; token?: string } = {},
): Promise<ApiResult<z.infer<S>>> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (init.body !== undefined) headers['Content-Type'] = 'application/json'
  if (init.token) headers.Authorization = `Bearer ${init.token}`
  let res: Response
  try {
    res = await fetch(path, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers,
      body: init.body === undefined ? null : JSON.stringify(init.body),
    })
  } catch {
    return { ok: false, error: 'NETWORK' }
  }
  let json: unknown
  try {
    json = await res.json()
  } catch {
    return { ok: false, error: res.ok ? 'INTERNAL' : 'NETWORK' }
  }
  if (!res.ok) {
    const err = ApiError.safeParse(json)
    return { ok: false, error: err.success ? err.data.error : 'INTERNAL' }
  }
  const parsed = schema.safeParse(json)
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, error: 'INTERNAL' }
}
