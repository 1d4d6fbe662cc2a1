/** Replay state for React: the current frame, seeking, and play at a chosen speed. */
import { useCallback, useEffect, useRef, useState } from 'react'
import { flushSync } from 'react-dom'
import type { History, SnapshotInfo } from '../../shared/history.ts'
import { type ReplayFrame, ReplaySession } from './session.ts'

/** Meeting-time multipliers offered for play. */
export const SPEEDS = [1, 10, 60, 300] as const
export type Speed = (typeof SPEEDS)[number]
const DEFAULT_SPEED: Speed = 60

/** Where the replay opens: a moment, or a snapshot by its id (shown exactly as it was recorded). */
export type ReplayStart = { time: number } | { snapshotId: string } | null

export function useReplay(history: History | null, start: ReplayStart) {
  const [session, setSession] = useState<ReplaySession | null>(null)
  const [frame, setFrame] = useState<ReplayFrame | null>(null)
  const [playing, setPlaying] = useState(false)
  const [speed, setSpeed] = useState<Speed>(DEFAULT_SPEED)
  const timeRef = useRef(0)
  timeRef.current = frame?.time ?? 0

  // built in an effect so StrictMode's second mount gets a session that is not destroyed
  useEffect(() => {
    if (!history) return
    const s = new ReplaySession(history)
    setSession(s)
    const snap =
      start && 'snapshotId' in start
        ? history.snapshots.find((x) => x.id === start.snapshotId)
        : undefined
    setFrame(
      snap ? s.frameAtSnapshot(snap) : s.frameAt(start && 'time' in start ? start.time : s.end),
    )
    return () => {
      setPlaying(false)
      setSession(null)
      setFrame(null)
      s.destroy()
    }
  }, [history, start])

  /** A seek from a user event: rendered before the event returns, so the board never lags the scrubber. */
  const seek = useCallback(
    (time: number) => {
      if (!session || !Number.isFinite(time)) return
      flushSync(() => setFrame(session.frameAt(time)))
    },
    [session],
  )

  /** Opens a snapshot read-only: the state it stored, by log position, not the moment it was taken. */
  const openSnapshot = useCallback(
    (snapshot: SnapshotInfo) => {
      if (!session) return
      flushSync(() => {
        setPlaying(false)
        setFrame(session.frameAtSnapshot(snapshot))
      })
    },
    [session],
  )

  useEffect(() => {
    if (!playing || !session) return
    let last = performance.now()
    let raf = requestAnimationFrame(function tick(now) {
      const next = Math.min(session.end, timeRef.current + (now - last) * speed)
      last = now
      timeRef.current = next
      setFrame(session.frameAt(next))
      if (next >= session.end) setPlaying(false)
      else raf = requestAnimationFrame(tick)
    })
    return () => cancelAnimationFrame(raf)
  }, [playing, speed, session])

  const togglePlay = useCallback(() => {
    if (!session) return
    if (!playing && timeRef.current >= session.end) setFrame(session.frameAt(session.start))
    setPlaying((p) => !p)
  }, [session, playing])

  return { session, frame, playing, speed, setSpeed, seek, openSnapshot, togglePlay }
}
