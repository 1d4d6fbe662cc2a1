/** Replay state for React: the current frame, seeking, and play at a chosen speed. */
import { useCallback, useEffect, useRef, useState } from 'react'
import { flushSync } from 'react-dom'
import type { SnapshotInfo } from '../../shared/history.ts'
import type { ReplayLoading } from './loading.ts'
import { type ReplayFrame, ReplaySession, type ReplayWhere } from './session.ts'

/** Meeting-time multipliers offered for play. */
export const SPEEDS = [1, 10, 60, 300] as const
export type Speed = (typeof SPEEDS)[number]
const DEFAULT_SPEED: Speed = 60

/** Where the replay opens: a moment, or a snapshot by its id (shown exactly as it was recorded). */
export type ReplayStart = { time: number } | { snapshotId: string } | null

const startSnapshot = (snapshots: SnapshotInfo[], start: ReplayStart) =>
  (start && 'snapshotId' in start && snapshots.find((x) => x.id === start.snapshotId)) || null

/** The moment a replay opens on: a snapshot by its id, a moment, or the end of the meeting. */
export function startWhere(
  session: ReplaySession,
  snapshots: SnapshotInfo[],
  start: ReplayStart,
): ReplayWhere {
  const snap = startSnapshot(snapshots, start)
  if (snap) return ReplaySession.atSnapshot(snap)
  return { time: start && 'time' in start ? start.time : session.end }
}

const startFrame = (session: ReplaySession, snapshots: SnapshotInfo[], start: ReplayStart) =>
  session.frameWhere(startWhere(session, snapshots, start), startSnapshot(snapshots, start))

/**
 * `session` is owned by the caller, and `loading` brings the rest of it in: a frame whose segments
 * are not in yet (pending) is asked again as each segment arrives.
 */
export function useReplay(
  session: ReplaySession,
  loading: ReplayLoading,
  snapshots: SnapshotInfo[],
  start: ReplayStart,
) {
  const [frame, setFrame] = useState<ReplayFrame>(() => startFrame(session, snapshots, start))
  const [playing, setPlaying] = useState(false)
  // a new session (the history reloaded after a restore) opens where a first one would
  const [framed, setFramed] = useState(session)
  if (framed !== session) {
    setFramed(session)
    setFrame(startFrame(session, snapshots, start))
    setPlaying(false)
  }
  const [speed, setSpeed] = useState<Speed>(DEFAULT_SPEED)
  const timeRef = useRef(0)
  timeRef.current = frame.time

  /** A seek from a user event: rendered before the event returns, so the board never lags the scrubber. */
  const seek = useCallback(
    (time: number) => {
      if (!Number.isFinite(time)) return
      flushSync(() => setFrame(session.frameAt(time)))
    },
    [session],
  )

  // a pending moment is shown once its segments are in (unless another was asked for meanwhile)
  const pending = frame.pending ? frame : null
  useEffect(() => {
    if (!pending) return
    const where: ReplayWhere = pending.snapshot
      ? ReplaySession.atSnapshot(pending.snapshot)
      : { time: pending.time }
    return loading.onSegment(() => {
      const next = session.frameWhere(where, pending.snapshot)
      if (!next.pending) setFrame((f) => (f === pending ? next : f))
    })
  }, [pending, loading, session])

  /** Opens a snapshot read-only: the state it stored, by log position, not the moment it was taken. */
  const openSnapshot = useCallback(
    (snapshot: SnapshotInfo) => {
      flushSync(() => {
        setPlaying(false)
        setFrame(session.frameAtSnapshot(snapshot))
      })
    },
    [session],
  )

  useEffect(() => {
    if (!playing) return
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
    if (!playing && timeRef.current >= session.end) setFrame(session.frameAt(session.start))
    setPlaying((p) => !p)
  }, [session, playing])

  return { frame, playing, speed, setSpeed, seek, openSnapshot, togglePlay }
}
