/**
 * WebSocket ping frames to every socket, so a peer whose network vanished without a close (a
 * half-open TCP connection) is cut and its presence dropped. Anything the peer sends counts as a
 * sign of life, not only pongs: a busy peer is never cut for a pong stuck behind its updates.
 */
import type { WebSocket } from 'ws'
import { SERVER_DEAD_AFTER_MS, SERVER_PING_EVERY_MS } from '../../shared/limits.ts'
import type { Clock } from '../deps.ts'

export interface HeartbeatOptions {
  everyMs: number
  deadAfterMs: number
}
export const DEFAULT_HEARTBEAT: HeartbeatOptions = { everyMs: SERVER_PING_EVERY_MS, deadAfterMs: SERVER_DEAD_AFTER_MS }

/** Starts pinging `ws`; calls `onDead` and terminates it when it stays silent. Stops on close. */
export function startHeartbeat(ws: WebSocket, clock: Clock, opts: HeartbeatOptions, onDead: () => void): void {
  let lastHeard = clock.now()
  const heard = () => {
    lastHeard = clock.now()
  }
  ws.on('pong', heard)
  ws.on('message', heard)
  const timer = setInterval(() => {
    if (ws.readyState !== ws.OPEN) return
    if (clock.now() - lastHeard >= opts.deadAfterMs) {
      clearInterval(timer)
      onDead()
      // terminate, not close: a dead peer never completes a closing handshake
      ws.terminate()
      return
    }
    ws.ping()
  }, opts.everyMs)
  ws.once('close', () => clearInterval(timer))
}
