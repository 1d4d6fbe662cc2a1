/**
 * Server time on this device. The Welcome carries the server clock at send time; the offset to our
 * own clock is taken when it arrives, so every screen computes the same remaining time.
 */
import { useEffect, useState } from 'react'
import type * as Y from 'yjs'
import type { Welcome } from '../../shared/protocol.ts'
import type { WorkshopConnection } from '../sync/connection.ts'

const offsets = new WeakMap<WorkshopConnection, number>()
const seen = new WeakSet<Welcome>()
const attached = new WeakSet<WorkshopConnection>()
/** The connection a control doc belongs to, for views handed only the doc. */
const byControl = new WeakMap<Y.Doc, WorkshopConnection>()

function takeWelcomes(conn: WorkshopConnection): void {
  for (const w of [conn.boardLink.welcome, conn.controlLink.welcome]) {
    if (!w || seen.has(w)) continue
    seen.add(w)
    offsets.set(conn, w.serverTime - Date.now())
  }
}

/**
 * Starts listening for Welcomes. Call as early as possible: a Welcome that arrived before this
 * is measured late, by the time between its arrival and now.
 */
export function trackServerClock(conn: WorkshopConnection): void {
  if (attached.has(conn)) return
  attached.add(conn)
  byControl.set(conn.control, conn)
  takeWelcomes(conn)
  conn.on('change', () => takeWelcomes(conn))
}

/** Server time now, as well as this device can tell. */
export function serverNow(conn: WorkshopConnection): number {
  return Date.now() + (offsets.get(conn) ?? 0)
}

/** Server time for a control doc's workshop (this device's clock if its connection is unknown). */
export function serverNowOf(control: Y.Doc): number {
  const conn = byControl.get(control)
  return conn ? serverNow(conn) : Date.now()
}

/** Re-renders every `intervalMs` while `active`, returning the server time. */
export function useServerNow(conn: WorkshopConnection, intervalMs: number, active = true): number {
  trackServerClock(conn)
  const [now, setNow] = useState(() => serverNow(conn))
  useEffect(() => {
    setNow(serverNow(conn))
    if (!active) return
    const id = setInterval(() => setNow(serverNow(conn)), intervalMs)
    return () => clearInterval(id)
  }, [conn, intervalMs, active])
  return now
}
