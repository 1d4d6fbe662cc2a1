/**
 * A canvas slot's card under one subscription, split by what a change costs. What the card shows
 * (its kind, table, author, text, width) renders it again; where it sits does not: the slot's
 * placement writes the card element's left/top straight to the DOM (as the remote pointers are
 * moved), so a card that 30 people's drags push along its column is no React render each time.
 *
 * A board keeps a slot per drawn card, so a slot mounts one store hook, not one per source: the
 * page's heap and its first draw both feel it (tests/bench/client.ts: heap, mount).
 */
import { useMemo, useSyncExternalStore } from 'react'
import type { Card } from '../../shared/schema.ts'
import type { LayoutStore } from './layoutStore.ts'
import type { BoardModel } from './model.ts'

/** Where a card sits, read when it is placed; `subscribe` hears every move. */
export interface CardPlacement {
  /** The card's top-left in world px: its box, or where it was put while it has none. */
  at(): { x: number; y: number; h: number } | undefined
  subscribe(fn: () => void): () => void
  /** The card as the board has it now (the rendered one may carry an older place). */
  latest(): Card | undefined
}

export interface CardSlotState {
  /** The card as last rendered: replaced when what it shows changed, not when it only moved. */
  card: Card | undefined
  /** Column width from the layout (the card's own while it is not laid out). */
  width: number
  /** Bumped whenever the card's text changes. */
  bodyVersion: number
}

const sameOrigin = (a: Card['origin'], b: Card['origin']) =>
  a === b ||
  (!!a && !!b && a.workshop === b.workshop && a.snapshot === b.snapshot && a.card === b.card)

/** Fields that change what a card shows. x, y, h and order only move it: its box says where. */
export function sameLook(a: Card, b: Card): boolean {
  return (
    a.id === b.id &&
    a.kind === b.kind &&
    a.table === b.table &&
    a.author === b.author &&
    a.created === b.created &&
    a.w === b.w &&
    sameOrigin(a.origin, b.origin)
  )
}

function slotSource(model: BoardModel, store: LayoutStore, id: string) {
  let last: CardSlotState | null = null
  const placement: CardPlacement = {
    at: () => store.getBox(id) ?? model.getCard(id),
    subscribe(fn) {
      const offBox = store.subscribeBox(id, fn)
      // a card without a box (not laid out) sits where it was put
      const offCard = model.subscribeCard(id, fn)
      return () => {
        offBox()
        offCard()
      }
    },
    latest: () => model.getCard(id),
  }
  return {
    placement,
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
    /** The same object while nothing the card shows changed (useSyncExternalStore compares it). */
    get(): CardSlotState {
      const now = model.getCard(id)
      const card = last?.card && now && sameLook(last.card, now) ? last.card : now
      const width = store.getBox(id)?.w ?? now?.w ?? 0
      const bodyVersion = model.bodyVersionOf(id)
      if (last && last.card === card && last.width === width && last.bodyVersion === bodyVersion)
        return last
      return (last = { card, width, bodyVersion })
    },
  }
}

export function useCardSlot(
  model: BoardModel,
  store: LayoutStore,
  id: string,
): CardSlotState & { placement: CardPlacement } {
  const source = useMemo(() => slotSource(model, store, id), [model, store, id])
  const state = useSyncExternalStore(source.subscribe, source.get)
  return { ...state, placement: source.placement }
}
