/**
 * card id -> names of other people editing it. Changes only when that mapping changes, so pointer
 * moves in awareness do not re-render the board.
 */
import { useEffect, useState } from 'react'
import type { Awareness } from 'y-protocols/awareness'
import { useI18n } from '../i18n/index.ts'
import { type PresenceLabels, peersOf, presenceLabels, presenceName } from '../sync/presence.ts'
import { onRemoteTick } from '../sync/remoteTick.ts'

/** In anonymous workshops the server blanks others' names; a facilitator reads as the role. */
function compute(awareness: Awareness, labels: PresenceLabels): Map<string, string> {
  const byCard = new Map<string, string[]>()
  for (const p of peersOf(awareness)) {
    if (p.self || !p.editing) continue
    byCard.set(p.editing, [...(byCard.get(p.editing) ?? []), presenceName(p.user, labels)])
  }
  return new Map([...byCard].map(([id, names]) => [id, names.join(', ')]))
}

const keyOf = (m: Map<string, string>) => JSON.stringify([...m].sort())

export function useEditorsByCard(awareness: Awareness): ReadonlyMap<string, string> {
  const { t } = useI18n()
  const labels = presenceLabels(t)
  const { facilitator, anonymous } = labels
  const [value, setValue] = useState(() => compute(awareness, labels))
  useEffect(() => {
    let cancel: (() => void) | null = null
    const read = () => {
      cancel = null
      const next = compute(awareness, { facilitator, anonymous })
      // the same mapping keeps the same Map, so nothing re-renders
      setValue((prev) => (keyOf(prev) === keyOf(next) ? prev : next))
    }
    read()
    // on the remote tick, not per message: most changes are pointer moves
    const onChange = () => {
      cancel ??= onRemoteTick(read)
    }
    awareness.on('change', onChange)
    return () => {
      awareness.off('change', onChange)
      cancel?.()
    }
  }, [awareness, facilitator, anonymous])
  return value
}
