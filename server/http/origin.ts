/** Cross-site requests are refused: a page elsewhere must not drive a participant's session. */
import type { IncomingMessage } from 'node:http'

export function originAllowed(req: IncomingMessage, allowed: readonly string[]): boolean {
  const origin = req.headers.origin
  if (origin === undefined) return true // not a browser; browsers always send Origin on ws and POST
  if (allowed.includes(origin)) return true
  try {
    return new URL(origin).host === req.headers.host
  } catch {
    return false
  }
}
