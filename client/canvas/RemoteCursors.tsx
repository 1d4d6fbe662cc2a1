/**
 * Other people's mouse pointers on the canvas (world coordinates), with their names: one per
 * person (the tab they moved in last). A pointer that stops moving fades out after a few seconds
 * (a Web Animation restarted on every move), so a parked label never hides what is under it; the
 * layer takes no pointer events and sits below card tools and everything outside the canvas. Our
 * own tabs stay in the peers so a person with two tabs is grouped as one.
 */
import { memo, useLayoutEffect, useRef } from 'react'
import type { Awareness } from 'y-protocols/awareness'
import { useI18n } from '../i18n/index.ts'
import { peopleOf, presenceLabels, presenceName, usePeersWithPointers } from '../sync/presence.ts'

interface CursorProps {
  x: number
  y: number
  color: string
  name: string
}

/** A pointer shows for a few seconds after it last moved, then fades (at once with reduced motion). */
const IDLE_FADE_MS = 3600
const IDLE_FADE: Keyframe[] = [{ opacity: 1 }, { opacity: 1, offset: 0.83 }, { opacity: 0 }]
const IDLE_FADE_AT_ONCE: Keyframe[] = [{ opacity: 1 }, { opacity: 1, offset: 0.99 }, { opacity: 0 }]

/**
 * One pointer. A move restarts its idle fade on the same nodes, through the animation object kept
 * from the start: 30 people dragging move their pointers 600 times a second, and a new node per
 * position (or asking the element for its CSS animations, which flushes style) cost a style pass
 * each time.
 */
const Cursor = memo(function Cursor({ x, y, color, name }: CursorProps) {
  const body = useRef<HTMLDivElement>(null)
  const fade = useRef<Animation | null>(null)
  useLayoutEffect(() => {
    const reduce = matchMedia('(prefers-reduced-motion: reduce)').matches
    const a = body.current?.animate(reduce ? IDLE_FADE_AT_ONCE : IDLE_FADE, {
      duration: IDLE_FADE_MS,
      fill: 'forwards',
    })
    fade.current = a ?? null
    return () => a?.cancel()
  }, [])
  useLayoutEffect(() => {
    const a = fade.current
    if (!a) return
    a.currentTime = 0
    a.play()
  }, [x, y])
  return (
    <div
      className="remote-cursor"
      data-testid="remote-cursor"
      style={{
        // --cursor-scale is set by the canvas on zoom: a cursor keeps its screen size
        transform: `translate(${x}px, ${y}px) scale(var(--cursor-scale, 1))`,
        ['--peer' as string]: color,
      }}
    >
      <div ref={body} className="remote-cursor-body">
        <svg width="16" height="20" viewBox="0 0 16 20" className="remote-cursor-arrow">
          <path
            d="M1 1 L1 17 L5 13 L8 19 L10.5 18 L7.5 12 L13 12 Z"
            fill={color}
            stroke="#fff"
            strokeWidth="1.2"
          />
        </svg>
        <span className="remote-cursor-name" data-testid="remote-cursor-name">
          {name}
        </span>
      </div>
    </div>
  )
})

export function RemoteCursors({ awareness }: { awareness: Awareness }) {
  const { t } = useI18n()
  const people = peopleOf(usePeersWithPointers(awareness), awareness)
  const labels = presenceLabels(t)
  return (
    <div className="cursor-layer" aria-hidden="true">
      {people.flatMap((p) =>
        p.self || !p.pointer
          ? []
          : [
              <Cursor
                key={p.key}
                x={p.pointer.x}
                y={p.pointer.y}
                color={p.user.color}
                name={presenceName(p.user, labels)}
              />,
            ],
      )}
    </div>
  )
}
