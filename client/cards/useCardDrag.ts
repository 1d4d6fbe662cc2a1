/**
 * Pointer drag of a card. The card follows the pointer locally; the doc gets the position at most
 * every DRAG_WRITE_INTERVAL_MS, and the table (tableAt) on drop.
 */
import { type PointerEvent as ReactPointerEvent, useRef, useState } from 'react'
import type { Card } from '../../shared/schema.ts'
import { DRAG_WRITE_INTERVAL_MS } from '../../shared/limits.ts'
import { beginGesture, dragCardTo, dropCard } from '../board/actions.ts'
import type { BoardApi } from '../board/context.ts'

/** Movement (screen px) below which a press is a click, not a drag (keeps double-click working). */
const DRAG_THRESHOLD_PX = 4

interface DragState {
  pointerId: number
  startX: number
  startY: number
  cardX: number
  cardY: number
  moved: boolean
  lastWrite: number
}

export function useCardDrag(card: Card, api: BoardApi) {
  const drag = useRef<DragState | null>(null)
  const [override, setOverride] = useState<{ x: number; y: number } | null>(null)

  const isInteractive = (el: EventTarget | null) =>
    el instanceof Element && !!el.closest('button, select, input, textarea, [contenteditable="true"], .card-editor')

  function onPointerDown(e: ReactPointerEvent<HTMLElement>) {
    if (api.readOnly || e.button !== 0 || isInteractive(e.target)) return
    e.stopPropagation()
    // capture now: a fast pointer leaves the card before the drag threshold is reached
    e.currentTarget.setPointerCapture(e.pointerId)
    drag.current = {
      pointerId: e.pointerId,
      startX: e.clientX,
      startY: e.clientY,
      cardX: card.x,
      cardY: card.y,
      moved: false,
      lastWrite: 0,
    }
  }

  function position(e: ReactPointerEvent<HTMLElement>, d: DragState) {
    const s = api.scale()
    return { x: d.cardX + (e.clientX - d.startX) / s, y: d.cardY + (e.clientY - d.startY) / s }
  }

  function onPointerMove(e: ReactPointerEvent<HTMLElement>) {
    const d = drag.current
    if (!d || d.pointerId !== e.pointerId) return
    if (!d.moved) {
      if (Math.hypot(e.clientX - d.startX, e.clientY - d.startY) < DRAG_THRESHOLD_PX) return
      d.moved = true
      beginGesture(api.doc)
      api.setDragging(card.id)
    }
    const p = position(e, d)
    setOverride(p)
    const now = performance.now()
    if (now - d.lastWrite >= DRAG_WRITE_INTERVAL_MS) {
      d.lastWrite = now
      dragCardTo(api.doc, card.id, p.x, p.y)
    }
  }

  function end(e: ReactPointerEvent<HTMLElement>, commit: boolean) {
    const d = drag.current
    if (!d || d.pointerId !== e.pointerId) return
    drag.current = null
    if (!d.moved) return
    const p = position(e, d)
    if (commit) dropCard(api.doc, card, p.x, p.y, api.tables())
    else dragCardTo(api.doc, card.id, d.cardX, d.cardY)
    setOverride(null)
    api.setDragging(null)
  }

  return {
    override,
    handlers: {
      onPointerDown,
      onPointerMove,
      onPointerUp: (e: ReactPointerEvent<HTMLElement>) => end(e, true),
      onPointerCancel: (e: ReactPointerEvent<HTMLElement>) => end(e, false),
    },
  }
}
