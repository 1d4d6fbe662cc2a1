/**
 * card id -> names of other people editing it. Changes only when that mapping changes, so pointer
 * moves in awareness do not re-render the board.
 */
import { useEffect, useState } from 'react'
import type { Awareness } from 'y-protocols/awareness'
import { useI18n } from '../i18n/index.ts'
import {
  type PresenceLabels,
  onAwarenessTick,
  peersOf,
  presenceLabels,
  presenceName,
} from '../sync/presence.ts'

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
  useEffect(
    () =>
      onAwarenessTick(awareness, () => {
        const next = compute(awareness, { facilitator, anonymous })
        // the same mapping keeps the same Map, so nothing re-renders
        setValue((prev) => (keyOf(prev) === keyOf(next) ? prev : next))
      }),
    [awareness, facilitator, anonymous],
  )
  return value
}
