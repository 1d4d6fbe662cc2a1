/**
 * Which card holds focus inside a container (canvas or list), and where focus goes when that card
 * disappears: deleted here, removed by undo/redo, or deleted by someone else. Without this the
 * browser drops focus on <body> and a keyboard user starts again from the top of the page.
 */
import { type RefObject, useEffect, useLayoutEffect, useRef, useState } from 'react'
import type { Card } from '../../shared/schema.ts'

export type FocusTarget = { card: string } | { table: string } | null

/** The next card at the removed card's table, else the previous one, else that table's add button. */
export function neighbourAfterRemoval(
  gone: Card,
  before: readonly Card[],
  now: readonly Card[],
): FocusTarget {
  const alive = new Set(now.map((c) => c.id))
  const peers = before.filter((c) => c.table === gone.table)
  const at = peers.findIndex((c) => c.id === gone.id)
  const next =
    peers.slice(at + 1).find((c) => alive.has(c.id)) ??
    peers
      .slice(0, Math.max(0, at))
      .reverse()
      .find((c) => alive.has(c.id))
  if (next) return { card: next.id }
  return gone.table ? { table: gone.table } : null
}

export const cardSelector = (id: string) => `[data-card-id="${CSS.escape(id)}"]`
/** Add buttons carry the id of their table (the canvas zone and the list's table section). */
export const addButtonSelector = (tableId: string) => `[data-add-for="${CSS.escape(tableId)}"]`

function focusLost(): boolean {
  const active = document.activeElement
  return !active || active === document.body
}

export function useCardFocus(
  container: RefObject<HTMLElement | null>,
  cards: readonly Card[],
): string | null {
  const [focused, setFocused] = useState<string | null>(null)
  const focusedRef = useRef<string | null>(null)
  const before = useRef(cards)

  useEffect(() => {
    const root = container.current
    if (!root) return
    const set = (id: string | null) => {
      focusedRef.current = id
      setFocused(id)
    }
    const onIn = (e: FocusEvent) => {
      const card =
        e.target instanceof Element ? e.target.closest<HTMLElement>('[data-card-id]') : null
      set(card?.dataset.cardId ?? null)
    }
    const onOut = (e: FocusEvent) => {
      const to = e.relatedTarget
      if (to instanceof Node && root.contains(to)) return
      if (to) return set(null)
      // focus went nowhere: a removed element (handled below, on the next render) or a click on
      // nothing; a window switch leaves the element focused and changes nothing
      const from = e.target
      setTimeout(() => {
        if (from instanceof Element && from.isConnected && document.activeElement !== from)
          set(null)
      })
    }
    root.addEventListener('focusin', onIn)
    root.addEventListener('focusout', onOut)
    return () => {
      root.removeEventListener('focusin', onIn)
      root.removeEventListener('focusout', onOut)
    }
  }, [container])

  // layout effect: runs right after the card's element left the DOM, before anything else moves focus
  useLayoutEffect(() => {
    const prev = before.current
    before.current = cards
    const id = focusedRef.current
    if (!id || cards.some((c) => c.id === id)) return
    focusedRef.current = null
    setFocused(null)
    const gone = prev.find((c) => c.id === id)
    const root = container.current
    if (!gone || !root || !focusLost()) return
    const to = neighbourAfterRemoval(gone, prev, cards)
    const target =
      to &&
      root.querySelector<HTMLElement>(
        'card' in to ? cardSelector(to.card) : addButtonSelector(to.table),
      )
    ;(target ?? root).focus()
  }, [cards, container])

  return focused
}
