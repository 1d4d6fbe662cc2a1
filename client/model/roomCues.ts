/**
 * The visible side of the room cues (useControlAnnouncements.ts says them): a round that opened, a
 * summons, a restore, each a toast until dismissed, one per kind. A round's toast goes once the
 * person opened the drawer with the ballot, or once the round is no longer open.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import type { RoomCue } from './useControlAnnouncements.ts'
import { useControl } from './useControl.ts'
import type { WorkshopConnection } from '../sync/connection.ts'

export interface ShownCue {
  key: number
  cue: RoomCue
}

export interface RoomCues {
  cues: ShownCue[]
  push(cue: RoomCue): void
  dismiss(key: number): void
}

/** `forMe`: whether this screen shows a cue of that kind (a facilitator opened the round themselves). */
export function useRoomCues(
  conn: WorkshopConnection,
  forMe: (cue: RoomCue) => boolean,
  sideOpen: boolean,
): RoomCues {
  const [cues, setCues] = useState<ShownCue[]>([])
  const next = useRef(0)
  const forMeRef = useRef(forMe)
  forMeRef.current = forMe
  const push = useCallback((cue: RoomCue) => {
    if (!forMeRef.current(cue)) return
    const key = ++next.current
    setCues((list) => [...list.filter((c) => c.cue.kind !== cue.kind), { key, cue }])
  }, [])
  const dismiss = useCallback(
    (key: number) => setCues((list) => list.filter((c) => c.key !== key)),
    [],
  )

  const latest = useControl(conn.control).latestRound
  const openRound = latest?.status === 'open' ? latest.id : null
  useEffect(() => {
    setCues((list) => {
      const kept = list.filter(
        (c) => c.cue.kind !== 'round' || (!sideOpen && c.cue.roundId === openRound),
      )
      return kept.length === list.length ? list : kept
    })
  }, [sideOpen, openRound])
  return { cues, push, dismiss }
}
