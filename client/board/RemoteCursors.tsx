/** Other people's mouse pointers on the canvas (world coordinates), with their names. */
import { useEffect, useState } from 'react'
import type { Awareness } from 'y-protocols/awareness'
import { useI18n } from '../i18n/index.ts'
import { type Peer, peersOf, presenceLabels, presenceName } from '../sync/presence.ts'
import { onRemoteTick } from '../sync/remoteTick.ts'

const others = (awareness: Awareness) => peersOf(awareness).filter((p) => !p.self && p.pointer)

/**
 * Other people with a pointer on the board, re-read on the remote tick (30 moving pointers are 600
 * changes a second; the tick shows them with their card moves, in one frame); our own pointer's
 * moves do not re-render the layer.
 */
function usePointersOnTick(awareness: Awareness): Peer[] {
  const [peers, setPeers] = useState<Peer[]>(() => others(awareness))
  useEffect(() => {
    let cancel: (() => void) | null = null
    const read = () => {
      cancel = null
      const next = others(awareness)
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
  const peers = usePointersOnTick(awareness)
  const labels = presenceLabels(t)
  return (
    <div className="cursor-layer" aria-hidden="true">
      {peers.map((p) => (
        <div
          key={p.clientId}
          className="remote-cursor"
          data-testid="remote-cursor"
          style={{
            // --cursor-scale is set by the canvas on zoom: a cursor keeps its screen size
            transform: `translate(${p.pointer?.x ?? 0}px, ${p.pointer?.y ?? 0}px) scale(var(--cursor-scale, 1))`,
            ['--peer' as string]: p.user.color,
          }}
        >
          <svg width="16" height="20" viewBox="0 0 16 20" className="remote-cursor-arrow">
            <path d="M1 1 L1 17 L5 13 L8 19 L10.5 18 L7.5 12 L13 12 Z" fill={p.user.color} stroke="#fff" strokeWidth="1.2" />
          </svg>
          <span className="remote-cursor-name">{presenceName(p.user, labels)}</span>
        </div>
      ))}
    </div>
  )
}
