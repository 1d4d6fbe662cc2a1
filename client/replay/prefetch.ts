/**
 * The replay's first request (its head: outline and the meeting's end), started as soon as the
 * route is known, while the replay's chunks still load; the route takes the response instead of
 * asking again. Once per workshop and page: a later load (after a restore) asks itself.
 */
import { HISTORY_API } from '../../shared/api.ts'
import { takeOrganiserKey } from '../organiser/key.ts'

const asked = new Set<string>()
let started: { id: string; key: string; res: Promise<Response> } | null = null

export function prefetchReplay(id: string, hash: string): void {
  if (asked.has(id)) return
  asked.add(id)
  const key = takeOrganiserKey(id, hash)
  if (!key) return
  const res = fetch(HISTORY_API.replayOutline(id), {
    headers: { Authorization: `Bearer ${key}` },
    cache: 'no-store',
  })
  // a failure is the taker's to report; untaken, it is nobody's
  res.catch(() => {})
  started = { id, key, res }
}

export function takePrefetch(id: string, key: string): Promise<Response> | null {
  const s = started
  if (!s || s.id !== id || s.key !== key) return null
  started = null
  return s.res
}
