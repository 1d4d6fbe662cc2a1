/**
 * Other people's mouse pointers on the canvas (world coordinates), with their names: one per
 * person (the tab they moved in last). A pointer that stops moving fades out after a few seconds
 * (CSS, `remote-cursor-idle` in styles.css), so a parked label never hides what is under it; the
 * layer takes no pointer events and sits below card tools and everything outside the canvas. Our
 * own tabs stay in the peers so a person with two tabs is grouped as one.
 */
import type { Awareness } from 'y-protocols/awareness'
import { useI18n } from '../i18n/index.ts'
import { peopleOf, presenceLabels, presenceName, usePeersWithPointers } from '../sync/presence.ts'

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
                <div
                  key={`${p.pointer.clientId}:${p.pointer.x}:${p.pointer.y}`}
                  className="remote-cursor-body"
                >
                  <svg width="16" height="20" viewBox="0 0 16 20" className="remote-cursor-arrow">
                    <path
                      d="M1 1 L1 17 L5 13 L8 19 L10.5 18 L7.5 12 L13 12 Z"
                      fill={p.user.color}
                      stroke="#fff"
                      strokeWidth="1.2"
                    />
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
