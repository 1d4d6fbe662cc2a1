/**
 * Follow-me. The facilitator's view is a world centre and zoom (screens differ in size, so the
 * centre is what must match). While follow is on it travels in the facilitator's awareness at
 * ~5 Hz, never in the control doc: the durable log keeps only the switch and the summons. The
 * projector tracks it; everybody jumps once to the view a summon wrote.
 */
import { useCallback, useEffect, useMemo, useRef } from 'react'
import { type Viewport as SharedView, readFollow } from '../../shared/control.ts'
import type { WorkshopConnection } from '../sync/connection.ts'
import { setFollowView, useFollowedView } from '../sync/presence.ts'
import type { Role } from '../../shared/protocol.ts'
import type { ViewportHandle } from '../model/useViewport.ts'
import { MAX_SCALE, MIN_SCALE, type Viewport as ScreenView } from '../model/viewport.ts'
import { useControl } from '../model/useControl.ts'
import { useProjectorView } from '../model/useProjectorView.ts'

/** The facilitator's view is published at most this often (~5 Hz). */
export const FOLLOW_WRITE_INTERVAL_MS = 200

type Vp = ViewportHandle
interface Size {
  w: number
  h: number
}

export function toSharedView(v: ScreenView, size: Size): SharedView {
  return { x: (size.w / 2 - v.x) / v.scale, y: (size.h / 2 - v.y) / v.scale, zoom: v.scale }
}

export function toScreenView(s: SharedView, size: Size): ScreenView {
  const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, s.zoom))
  return { scale, x: size.w / 2 - s.x * scale, y: size.h / 2 - s.y * scale }
}

export interface FollowHandle {
  /** The facilitator's current view, for a summon. */
  sharedView(): SharedView
}

export function useFollowSync(conn: WorkshopConnection, mode: Role, vp: Vp): FollowHandle {
  const doc = conn.control
  const follow = useControl(doc).follow
  const { size, setViewport } = vp
  const sizeRef = useRef(size)
  sizeRef.current = size
  const sharedView = useCallback(() => toSharedView(vp.get(), sizeRef.current), [vp])

  // facilitator: publish our own view in awareness while follow is on, throttled
  const awareness = conn.awareness
  const lastWrite = useRef(0)
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null)
  const publishing = mode === 'facilitator' && follow.active
  // the viewport lives outside React state: listen to it, not to renders
  useEffect(() => {
    if (!publishing || size.w === 0) return
    const write = () => {
      pending.current = null
      lastWrite.current = performance.now()
      setFollowView(awareness, sharedView())
    }
    const schedule = () => {
      const wait = FOLLOW_WRITE_INTERVAL_MS - (performance.now() - lastWrite.current)
      if (wait <= 0) write()
      else pending.current ??= setTimeout(write, wait)
    }
    schedule()
    const off = vp.subscribe(schedule)
    return () => {
      off()
      if (pending.current) clearTimeout(pending.current)
      pending.current = null
    }
  }, [publishing, vp, size, awareness, sharedView])
  // a view nobody follows any more is withdrawn (a no-op when none was published)
  useEffect(() => {
    if (!publishing) setFollowView(awareness, null)
  }, [publishing, awareness])

  // projector: track the facilitator's view while follow is on; otherwise fit the whole board
  const tracking = mode === 'viewer' && follow.active
  useProjectorView(conn.board, mode === 'viewer', follow.active, vp)
  // before the first view arrives, an old log's view (or the last summon's) stands in
  const followed = useFollowedView(awareness, tracking) ?? follow.viewport ?? null
  useEffect(() => {
    if (tracking && followed && size.w > 0) setViewport(toScreenView(followed, size))
  }, [tracking, followed, size, setViewport])

  // everybody but the facilitator: jump once per summon made after we joined
  const seenSummon = useRef<number | null>(null)
  const provider = conn.controlLink.provider
  useEffect(() => {
    const baseline = () => {
      if (seenSummon.current === null && provider.synced)
        seenSummon.current = readFollow(doc).summon
    }
    baseline()
    provider.on('sync', baseline)
    return () => provider.off('sync', baseline)
  }, [provider, doc])
  useEffect(() => {
    if (mode === 'facilitator' || seenSummon.current === null || size.w === 0) return
    if (follow.summon > seenSummon.current) {
      seenSummon.current = follow.summon
      if (follow.viewport) setViewport(toScreenView(follow.viewport, sizeRef.current))
    }
  }, [mode, follow.summon, follow.viewport, size.w, setViewport])

  // stable, so the side panel (memoised) does not re-render with every board change
  return useMemo(() => ({ sharedView }), [sharedView])
}
