/**
 * The live connection for one workshop. Created inside an effect and kept in state, so React
 * StrictMode's mount → cleanup → mount in dev gets a fresh connection (STACK-PROBE E9).
 */
import { useEffect, useState, useSyncExternalStore } from 'react'
import { IndexeddbPersistence } from 'y-indexeddb'
import type { Credential, ErrorCode, Notice } from '../../shared/protocol.ts'
import { WS_PATH_PREFIX } from '../../shared/protocol.ts'
import { WorkshopConnection } from './connection.ts'

export function serverUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
  return `${scheme}://${location.host}${WS_PATH_PREFIX}`
}

export function useWorkshop(workshopId: string, credential: Credential | null): WorkshopConnection | null {
  const [conn, setConn] = useState<WorkshopConnection | null>(null)
  const credKey = credential ? JSON.stringify(credential) : ''
  useEffect(() => {
    if (!credential) return
    const c = new WorkshopConnection({
      serverUrl: serverUrl(),
      workshopId,
      credential,
      offlineCache: (doc, name) => new IndexeddbPersistence(name, doc),
    })
    setConn(c)
    return () => {
      setConn(null)
      c.destroy()
    }
    // credKey stands for the credential (its content, not its identity)
  }, [workshopId, credKey])
  return conn
}

/** What the status indicator shows; a string so useSyncExternalStore gets a stable snapshot. */
export type DisplayStatus = 'connecting' | 'live' | 'saving' | 'saved' | 'offline' | 'offline-saved' | 'readonly' | `refused:${ErrorCode}`

export function displayStatus(conn: WorkshopConnection): DisplayStatus {
  const s = conn.status
  switch (s.kind) {
    case 'connecting':
      return 'connecting'
    case 'refused':
      return `refused:${s.code}`
    case 'offline':
      return s.saved ? 'offline-saved' : 'offline'
    case 'live': {
      if (s.readOnly) return 'readonly'
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

export function useNotices(conn: WorkshopConnection): { notices: (Notice & { key: number })[]; dismiss: (key: number) => void } {
  const [notices, setNotices] = useState<(Notice & { key: number })[]>([])
  useEffect(() => {
    let next = 0
    const onNotice = (n: Notice) => {
      const key = ++next
      // one toast per code: a repeated notice replaces the older one
      setNotices((list) => [...list.filter((x) => x.code !== n.code), { ...n, key }])
    }
    conn.on('notice', onNotice)
    return () => conn.off('notice', onNotice)
  }, [conn])
  return { notices, dismiss: (key) => setNotices((list) => list.filter((n) => n.key !== key)) }
}
