/**
 * One card's fields and body version from the board model, subscribed per card: a write to a card
 * re-renders the components reading that card, and no others.
 */
import { useCallback, useSyncExternalStore } from 'react'
import type { Card } from '../../shared/schema.ts'
import type { BoardModel } from './model.ts'

const noSubscribe = () => () => {}

export function useCard(model: BoardModel | null, id: string | null): Card | undefined {
  const subscribe = useCallback(
    (fn: () => void) => (model && id ? model.subscribeCard(id, fn) : noSubscribe()),
    [model, id],
  )
  const get = useCallback(() => (model && id ? model.getCard(id) : undefined), [model, id])
  return useSyncExternalStore(subscribe, get)
}

/** Bumped whenever the card's text changes. */
export function useBodyVersion(model: BoardModel | null, id: string | null): number {
  const subscribe = useCallback(
    (fn: () => void) => (model && id ? model.subscribeBody(id, fn) : noSubscribe()),
    [model, id],
  )
  const get = useCallback(() => (model && id ? model.bodyVersionOf(id) : 0), [model, id])
  return useSyncExternalStore(subscribe, get)
}
