/**
 * Remote control changes said politely to screen readers: phase, round opened/closed/revealed,
 * lock on/off, a summons to the facilitator's view, a restore of the board. Only live remote
 * changes; not the catch-up sync, not our own writes. The ones a participant must not miss (a round
 * opens, a summons, a restore) are also handed to `onCue`, which shows them whatever is collapsed.
 */
import { useEffect, useRef } from 'react'
import type * as Y from 'yjs'
import { type Restored, readRestored } from '../../shared/control.ts'
import type { Translate } from '../i18n/index.ts'
import type { WorkshopConnection } from '../sync/connection.ts'
import { type ControlState, readControlState } from './useControl.ts'

/** Something every participant should notice, with every panel collapsed too. */
export type RoomCue =
  /** `ongoing`: it was already open when this screen joined. */
  | { kind: 'round'; roundId: string; ongoing?: boolean }
  | { kind: 'summon' }
  | { kind: 'restore'; label: string }

interface Seen {
  state: ControlState
  restored: Restored
}

interface Change {
  message: string
  cue?: RoomCue
}

function changes(before: Seen, after: Seen, t: Translate): Change[] {
  const out: Change[] = []
  const { state: b } = before
  const { state: a } = after
  if (a.phase && a.phase.id !== b.phase?.id)
    out.push({ message: t('fac.announcePhase', { name: a.phase.name }) })
  const rb = b.latestRound
  const ra = a.latestRound
  if (ra && (ra.id !== rb?.id || ra.status !== rb.status)) {
    out.push({
      message: t(`vote.announce.${ra.status}`),
      ...(ra.status === 'open' && { cue: { kind: 'round', roundId: ra.id } }),
    })
  }
  if (a.manualLock !== b.manualLock)
    out.push({ message: t(a.manualLock ? 'fac.announceLocked' : 'fac.announceUnlocked') })
  if (a.follow.summon > b.follow.summon)
    out.push({ message: t('cue.summon'), cue: { kind: 'summon' } })
  if (after.restored.count > before.restored.count) {
    out.push({ message: t('cue.restore'), cue: { kind: 'restore', label: after.restored.label } })
  }
  return out
}

export function useControlAnnouncements(
  conn: WorkshopConnection,
  t: Translate,
  announce: (m: string) => void,
  onCue?: (cue: RoomCue) => void,
): void {
  // the latest callback, without re-subscribing (and re-reading the baseline) on each render
  const cueRef = useRef(onCue)
  cueRef.current = onCue
  // someone joining while a round is open hears about it once, when the control doc first syncs
  const toldOngoing = useRef<WorkshopConnection | null>(null)
  useEffect(() => {
    const provider = conn.controlLink.provider
    const check = () => {
      if (!provider.synced || toldOngoing.current === conn) return
      toldOngoing.current = conn
      const round = readControlState(conn.control).latestRound
      if (round?.status !== 'open') return
      announce(t('cue.roundOngoing'))
      cueRef.current?.({ kind: 'round', roundId: round.id, ongoing: true })
    }
    check()
    provider.on('sync', check)
    return () => provider.off('sync', check)
  }, [conn, t, announce])
  useEffect(() => {
    const doc = conn.control
    const provider = conn.controlLink.provider
    const seen = (): Seen => ({ state: readControlState(doc), restored: readRestored(doc) })
    let before = seen()
    const onUpdate = (_u: Uint8Array, origin: unknown, _d: Y.Doc, _tr: Y.Transaction) => {
      // the cached state was dropped by the control store's own listener, registered earlier
      const after = seen()
      if (origin === provider && provider.synced) {
        for (const c of changes(before, after, t)) {
          announce(c.message)
          if (c.cue) cueRef.current?.(c.cue)
        }
      }
      before = after
    }
    doc.on('update', onUpdate)
    return () => doc.off('update', onUpdate)
  }, [conn, t, announce])
}
