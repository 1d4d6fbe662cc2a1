/**
 * WebSocket ping frames to every socket, so a peer whose network vanished without a close (a
 * half-open TCP connection) is cut and its presence dropped. Anything the peer sends counts as a
 * sign of life, not only pongs: a busy peer is never cut for a pong stuck behind its updates.
 * Nor is one cut for our own stall: after a long synchronous task the pongs that arrived meanwhile
 * are still unread when this timer fires, so a late tick does not judge.
 */
import type { WebSocket } from 'ws'
import { SERVER_DEAD_AFTER_MS, SERVER_PING_EVERY_MS } from '../../shared/limits.ts'
import type { Clock } from '../deps.ts'

export interface HeartbeatOptions {
  everyMs: number
  deadAfterMs: number
}
/** A tick this many intervals late means this process stalled, not that the peer went quiet. */
const STALLED_TICKS = 2

export const DEFAULT_HEARTBEAT: HeartbeatOptions = {
  everyMs: SERVER_PING_EVERY_MS,
  deadAfterMs: SERVER_DEAD_AFTER_MS,
}

/** Starts pinging `ws`; calls `onDead` and terminates it when it stays silent. Stops on close. */
export function startHeartbeat(
  ws: WebSocket,
  clock: Clock,
  opts: HeartbeatOptions,
  onDead: () => void,
): void {
  let lastHeard = clock.now()
  let lastTick = lastHeard
  const heard = () => {
    lastHeard = clock.now()
  }
  ws.on('pong', heard)
  ws.on('message', heard)
  const timer = setInterval(() => {
    if (ws.readyState !== ws.OPEN) return
    const now = clock.now()
    const late = now - lastTick >= opts.everyMs * STALLED_TICKS
    lastTick = now
    // after our own stall the peer's answers may sit unread behind this timer: judge next tick
    if (!late && now - lastHeard >= opts.deadAfterMs) {
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
