/**
 * Other people's mouse pointers on the canvas (world coordinates), with their names: one per
 * person (the tab they moved in last). React renders each person's pointer once, when people come,
 * go or change; their moves are written to the nodes on the remote tick (cursorMotion.ts), which
 * also fades a pointer that stopped moving, so a parked label never hides what is under it. The
 * layer takes no pointer events and sits below card tools and everything outside the canvas. Our
 * own tabs stay in the peers so a person with two tabs is grouped as one.
 */
import { memo, useCallback, useEffect, useLayoutEffect, useState } from 'react'
import type { Awareness } from 'y-protocols/awareness'
import type { Box } from '../../shared/layout.ts'
import { useI18n } from '../i18n/index.ts'
import { peopleOf, usePeers } from '../sync/people.ts'
import { onAwarenessTick, peersOf, presenceLabels, presenceName } from '../sync/presence.ts'
import { CursorMotion, type Pointers } from './cursorMotion.ts'

interface CursorProps {
  id: string
  color: string
  name: string
  motion: CursorMotion
}

const browserClock = {
  now: () => performance.now(),
  setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
  clearTimeout: (h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>),
}

/** One pointer, hidden until cursorMotion places it. */
const Cursor = memo(function Cursor({ id, color, name, motion }: CursorProps) {
  const attach = useCallback((el: HTMLDivElement | null) => motion.attach(id, el), [motion, id])
  return (
    <div
      ref={attach}
      className="remote-cursor"
      data-testid="remote-cursor"
      hidden
      style={{ ['--peer' as string]: color }}
    >
      <div className="remote-cursor-body">
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

/** Where each other person's pointer is now, by person key. */
function pointersOf(awareness: Awareness): Pointers {
  const out = new Map<string, { x: number; y: number }>()
  for (const p of peopleOf(peersOf(awareness), awareness))
    if (!p.self && p.pointer) out.set(p.key, p.pointer)
  return out
}

interface Props {
  awareness: Awareness
  /** Pointers outside this world box are not drawn (the canvas's cull box; null: none). */
  cull: Box | null
}

export function RemoteCursors({ awareness, cull }: Props) {
  const { t } = useI18n()
  const [motion] = useState(() => new CursorMotion(browserClock))
  // who is there: a pointer's move alone renders nothing here
  const people = peopleOf(usePeers(awareness), awareness)
  const labels = presenceLabels(t)
  useEffect(
    () => onAwarenessTick(awareness, () => motion.show(pointersOf(awareness))),
    [awareness, motion],
  )
  useLayoutEffect(() => motion.setCull(cull), [motion, cull])
  useEffect(() => () => motion.dispose(), [motion])
  return (
    <div className="cursor-layer" aria-hidden="true">
      {people.flatMap((p) =>
        p.self
          ? []
          : [
              <Cursor
                key={p.key}
                id={p.key}
                color={p.user.color}
                name={presenceName(p.user, labels)}
                motion={motion}
              />,
            ],
      )}
    </div>
  )
}
