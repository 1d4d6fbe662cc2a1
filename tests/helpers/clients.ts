/** Node y-websocket clients using the app's own connection class. */
import WebSocket from 'ws'
import { WorkshopConnection } from '../../client/sync/connection.ts'
import type { Credential } from '../../shared/protocol.ts'
import { until } from './wait.ts'

export function connectClient(
  wsUrl: string,
  workshopId: string,
  credential: Credential,
): WorkshopConnection {
  return new WorkshopConnection({
    serverUrl: wsUrl,
    workshopId,
    credential,
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
  })
}

export const live = (c: WorkshopConnection) =>
  until('connection live', [[c, 'change']], () => c.status.kind === 'live')

export const saved = (c: WorkshopConnection) =>
  until('edits saved', [[c, 'change']], () => c.status.kind === 'live' && c.status.saved)

/**
 * Disconnects or destroys a client that may have met forged structs under its own client id:
 * Yjs then gives its doc a new id and y-websocket's awareness throws (TypeError) on disconnect.
 * Tests that attack the server judge the server, not that.
 */
export function stopClient(c: WorkshopConnection, how: 'disconnect' | 'destroy'): void {
  try {
    c[how]()
  } catch (err) {
    if (!(err instanceof TypeError)) throw err
  }
}
