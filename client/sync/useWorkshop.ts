/**
 * The live connection for one workshop. Created inside an effect and kept in state, so React
 * StrictMode's mount → cleanup → mount in dev gets a fresh connection (STACK-PROBE E9).
 */
import { useEffect, useRef, useState, useSyncExternalStore } from 'react'
import { batchedIndexeddb } from './offlineCache.ts'
import type { Credential, DocName, Notice } from '../../shared/protocol.ts'
import { ErrorCode, WS_PATH_PREFIX } from '../../shared/protocol.ts'
import { WorkshopConnection } from './connection.ts'
import { DroppedEntryCounter } from './read-issues.ts'

/** Doc entries this tab could not read, by root (inspected in e2e tests and when debugging). */
export const droppedEntries = new DroppedEntryCounter()
if (typeof window !== 'undefined')
  (window as { stipDroppedEntries?: DroppedEntryCounter }).stipDroppedEntries = droppedEntries

export function serverUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
  return `${scheme}://${location.host}${WS_PATH_PREFIX}`
}

export function useWorkshop(
  workshopId: string,
  credential: Credential | null,
): WorkshopConnection | null {
  const [conn, setConn] = useState<WorkshopConnection | null>(null)
  // the credential's content, not its identity, decides whether to reconnect
  const credKey = credential ? JSON.stringify(credential) : ''
  const latest = useRef(credential)
  latest.current = credential
  useEffect(() => {
    const credential = latest.current
    if (!credential) return
    const c = new WorkshopConnection({
      serverUrl: serverUrl(),
      workshopId,
      credential,
      offlineCache: (doc, name, remote) => batchedIndexeddb(name, doc, remote),
    })
    setConn(c)
    return () => {
      setConn(null)
      c.destroy()
    }
  }, [workshopId, credKey])
  return conn
}

/** What the status indicator shows; a string so useSyncExternalStore gets a stable snapshot. */
export type DisplayStatus =
  | 'connecting'
  | 'live'
  | 'saving'
  | 'saved'
  | 'not-saved'
  | 'offline'
  | 'offline-saved'
  | 'readonly'
  | `refused:${ErrorCode}`
  | `retry:${ErrorCode}`

export function displayStatus(conn: WorkshopConnection): DisplayStatus {
  const s = conn.status
  switch (s.kind) {
    case 'connecting':
      return s.retry ? `retry:${s.retry}` : 'connecting'
    case 'refused':
      return `refused:${s.code}`
    case 'offline':
      if (s.retry) return `retry:${s.retry}`
      return s.saved ? 'offline-saved' : 'offline'
    case 'live': {
      if (s.readOnly) return 'readonly'
      if (s.refusedEdit) return 'not-saved'
      if (!s.saved) return 'saving'
      const edited = conn.boardLink.tracker.latest + conn.controlLink.tracker.latest > 0
      return edited ? 'saved' : 'live'
    }
  }
}

export function useDisplayStatus(conn: WorkshopConnection): DisplayStatus {
  return useSyncExternalStore(
    (fn) => {
      conn.on('change', fn)
      return () => conn.off('change', fn)
    },
    () => displayStatus(conn),
  )
}

/**
 * A toast. `discard` is offered for a refused edit and for a copy that diverged from the server's:
 * it throws away what this device holds of that doc (its offline cache; after a divergence once
 * our own edits are saved) and reloads the page, so the doc is the server's again.
 */
export type ShownNotice = Notice & { key: number; discard?: () => void }

export function useNotices(conn: WorkshopConnection): {
  notices: ShownNotice[]
  dismiss: (key: number) => void
} {
  const [notices, setNotices] = useState<ShownNotice[]>([])
  useEffect(() => {
    let next = 0
    const onNotice = (n: Notice, doc: DocName) => {
      const key = ++next
      const link = conn.link(doc)
      const discard =
        n.code === ErrorCode.Forbidden
          ? () => void link.discardLocal().finally(() => location.reload())
          : n.code === ErrorCode.Diverged
            ? () => void link.resolveDivergence().finally(() => location.reload())
            : undefined
      // one toast per code: a repeated notice replaces the older one
      setNotices((list) => [
        ...list.filter((x) => x.code !== n.code),
        { ...n, key, ...(discard && { discard }) },
      ])
    }
    conn.on('notice', onNotice)
    // what came before this screen was mounted (a refused replay of the offline cache)
    for (const [n, doc] of conn.takeUnheardNotices()) onNotice(n, doc)
    return () => conn.off('notice', onNotice)
  }, [conn])
  return { notices, dismiss: (key) => setNotices((list) => list.filter((n) => n.key !== key)) }
}
