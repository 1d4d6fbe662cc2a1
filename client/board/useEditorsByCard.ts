/**
 * card id -> names of other people editing it. Changes only when that mapping changes, so pointer
 * moves in awareness do not re-render the board.
 */
import { useEffect, useState } from 'react'
import type { Awareness } from 'y-protocols/awareness'
import { peersOf } from '../sync/presence.ts'

function compute(awareness: Awareness): Map<string, string> {
  const byCard = new Map<string, string[]>()
  for (const p of peersOf(awareness)) {
    if (p.self || !p.editing) continue
    byCard.set(p.editing, [...(byCard.get(p.editing) ?? []), p.user.name])
  }
  return new Map([...byCard].map(([id, names]) => [id, names.join(', ')]))
}

const keyOf = (m: Map<string, string>) => JSON.stringify([...m].sort())

export function useEditorsByCard(awareness: Awareness): ReadonlyMap<string, string> {
  const [value, setValue] = useState(() => compute(awareness))
  useEffect(() => {
    let last = keyOf(value)
    const onChange = () => {
      const next = compute(awareness)
      const k = keyOf(next)
      if (k !== last) {
        last = k
        setValue(next)
      }
    }
    onChange()
    awareness.on('change', onChange)
    return () => awareness.off('change', onChange)
    // value is only the starting point
  }, [awareness])
  return value
}
