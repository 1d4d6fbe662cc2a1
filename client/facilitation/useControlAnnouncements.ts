/**
 * Remote control changes said politely to screen readers: phase, round opened/closed/revealed,
 * lock on/off. Only live remote changes; not the catch-up sync, not our own writes.
 */
import { useEffect } from 'react'
import type * as Y from 'yjs'
import type { Translate } from '../i18n/index.ts'
import type { WorkshopConnection } from '../sync/connection.ts'
import { type ControlState, readControlState } from './useControl.ts'

function changes(before: ControlState, after: ControlState, t: Translate): string[] {
  const out: string[] = []
  if (after.phase && after.phase.id !== before.phase?.id) out.push(t('fac.announcePhase', { name: after.phase.name }))
  const b = before.latestRound
  const a = after.latestRound
  if (a && (a.id !== b?.id || a.status !== b.status)) out.push(t(`vote.announce.${a.status}`))
  if (after.manualLock !== before.manualLock) out.push(t(after.manualLock ? 'fac.announceLocked' : 'fac.announceUnlocked'))
  return out
}

export function useControlAnnouncements(conn: WorkshopConnection, t: Translate, announce: (m: string) => void): void {
  useEffect(() => {
    const doc = conn.control
    const provider = conn.controlLink.provider
    let before = readControlState(doc)
    const onUpdate = (_u: Uint8Array, origin: unknown, _d: Y.Doc, _tr: Y.Transaction) => {
      // the cached state was dropped by the control store's own listener, registered earlier
      const after = readControlState(doc)
      if (origin === provider && provider.synced) for (const m of changes(before, after, t)) announce(m)
      before = after
    }
    doc.on('update', onUpdate)
    return () => doc.off('update', onUpdate)
  }, [conn, t, announce])
}
