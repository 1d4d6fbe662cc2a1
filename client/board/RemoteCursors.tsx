/**
 * Other people's mouse pointers on the canvas (world coordinates), with their names: one per
 * person (the tab they moved in last). A pointer that stops moving fades out after a few seconds
 * (CSS, `remote-cursor-idle` in styles.css), so a parked label never hides what is under it; the
 * layer takes no pointer events and sits below card tools and everything outside the canvas.
 */
import { useEffect, useState } from 'react'
import type { Awareness } from 'y-protocols/awareness'
import { useI18n } from '../i18n/index.ts'
import { type Peer, peersOf, peopleOf, presenceLabels, presenceName } from '../sync/presence.ts'
import { onRemoteTick } from '../sync/remoteTick.ts'

/**
 * Everyone's presence with pointers, re-read on the remote tick (30 moving pointers are 600
 * changes a second; the tick shows them with their card moves, in one frame). Our own tabs stay
 * in the list so a person with two tabs is grouped as one.
 */
function usePointersOnTick(awareness: Awareness): Peer[] {
  const [peers, setPeers] = useState<Peer[]>(() => peersOf(awareness))
  useEffect(() => {
    let cancel: (() => void) | null = null
    const read = () => {
      cancel = null
      const next = peersOf(awareness)
      // a peer whose state did not change is the same object (presence.ts parses each state once)
      setPeers((prev) => (prev.length === next.length && prev.every((p, i) => p === next[i]) ? prev : next))
    }
    read()
    const onChange = () => {
      cancel ??= onRemoteTick(read)
    }
    awareness.on('change', onChange)
    return () => {
      awareness.off('change', onChange)
      cancel?.()
    }
  }, [awareness])
  return peers
}

export function RemoteCursors({ awareness }: { awareness: Awareness }) {
  const { t } = useI18n()
  const people = peopleOf(usePointersOnTick(awareness), awareness)
  const labels = presenceLabels(t)
  return (
    <div className="cursor-layer" aria-hidden="true">
      {people.flatMap((p) =>
        p.self || !p.pointer
          ? []
          : [
              <div
                key={p.key}
                className="remote-cursor"
                data-testid="remote-cursor"
                style={{
                  // --cursor-scale is set by the canvas on zoom: a cursor keeps its screen size
                  transform: `translate(${p.pointer.x}px, ${p.pointer.y}px) scale(var(--cursor-scale, 1))`,
                  ['--peer' as string]: p.user.color,
                }}
              >
                {/* a new node per position restarts the idle fade: only a moving pointer shows */}
                <div key={`${p.pointer.clientId}:${p.pointer.x}:${p.pointer.y}`} className="remote-cursor-body">
                  <svg width="16" height="20" viewBox="0 0 16 20" className="remote-cursor-arrow">
                    <path d="M1 1 L1 17 L5 13 L8 19 L10.5 18 L7.5 12 L13 12 Z" fill={p.user.color} stroke="#fff" strokeWidth="1.2" />
                  </svg>
                  <span className="remote-cursor-name" data-testid="remote-cursor-name">
                    {presenceName(p.user, labels)}
                  </span>
                </div>
              </div>,
            ],
      )}
    </div>
  )
}
