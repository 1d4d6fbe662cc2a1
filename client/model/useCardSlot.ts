/**
 * A canvas slot's card, its box and its body version under one subscription. A board keeps a slot
 * per card (1,000 on a big board), and three separate store hooks per slot were nine hooks with
 * their callbacks, dependency arrays and effects each: with one source per slot a slot mounts two
 * hooks, which the page's heap and its first draw both feel (tests/bench/client.ts: heap, mount).
 */
import { useMemo, useSyncExternalStore } from 'react'
import type { Box } from '../../shared/layout.ts'
import type { Card } from '../../shared/schema.ts'
import type { LayoutStore } from './layoutStore.ts'
import type { BoardModel } from './model.ts'

export interface CardSlotState {
  card: Card | undefined
  /** Where the layout puts the card (undefined: not laid out). */
  box: Box | undefined
  /** Bumped whenever the card's text changes. */
  bodyVersion: number
}

function slotSource(model: BoardModel, store: LayoutStore, id: string) {
  let last: CardSlotState | null = null
  return {
    subscribe(fn: () => void): () => void {
      const offCard = model.subscribeCard(id, fn)
      const offBody = model.subscribeBody(id, fn)
      const offBox = store.subscribeBox(id, fn)
      return () => {
        offCard()
        offBody()
        offBox()
      }
    },
    /** The same object while none of the three changed (useSyncExternalStore compares it). */
    get(): CardSlotState {
      const card = model.getCard(id)
      const box = store.getBox(id)
      const bodyVersion = model.bodyVersionOf(id)
      if (last && last.card === card && last.box === box && last.bodyVersion === bodyVersion)
        return last
      return (last = { card, box, bodyVersion })
    },
  }
}

export function useCardSlot(model: BoardModel, store: LayoutStore, id: string): CardSlotState {
  const source = useMemo(() => slotSource(model, store, id), [model, store, id])
  return useSyncExternalStore(source.subscribe, source.get)
}
