/**
 * Pointer drag of a card. The card follows the pointer locally and the layout opens the slot it
 * would drop into; the doc is written once, on the drop: the slot (table, column, place) under
 * the pointer, or, off every zone, a loose position. Escape during the drag cancels it: the card
 * goes back to its slot and nothing is written. Arrow-key moves write each step; Escape takes the
 * whole keyboard move back (useKeyboardMove).
 */
import { type PointerEvent as ReactPointerEvent, useEffect, useRef, useState } from 'react'
import type { Card } from '../../shared/schema.ts'
import type { Box, Slot } from '../../shared/layout.ts'
import type * as Y from 'yjs'
import {
  type KeyboardMove,
  beginGesture,
  beginKeyboardMove,
  cancelKeyboardMove,
  dropCard,
} from '../model/actions.ts'
import type { BoardApi } from '../model/context.ts'
import type { CardLayoutApi } from '../model/useBoardLayout.ts'

/** Movement (screen px) below which a press is a click, not a drag (keeps double-click working). */
const DRAG_THRESHOLD_PX = 4

interface DragState {
  pointerId: number
  startX: number
  startY: number
  /** The card's box when the drag began (world px). */
  from: Box
  /** Where in the card it was grabbed (world px from its top-left). */
  grabX: number
  grabY: number
  moved: boolean
  /** The element holding the pointer capture (released when Escape cancels). */
  el: HTMLElement
  /** Stops listening for Escape. */
  unlisten(): void
}

/** `card` and `place` are read when the drag needs them: the card may have moved since it rendered. */
export function useCardDrag(
  card: () => Card,
  place: () => Box,
  api: BoardApi,
  layout: CardLayoutApi | null,
) {
  const drag = useRef<DragState | null>(null)
  const [override, setOverride] = useState<{ x: number; y: number } | null>(null)
  // a card that goes mid-drag (deleted, culled) stops listening for Escape
  useEffect(() => () => drag.current?.unlisten(), [])

  const isInteractive = (el: EventTarget | null) =>
    el instanceof Element &&
    !!el.closest('button, select, input, textarea, [contenteditable="true"], .card-editor')

  function onPointerDown(e: ReactPointerEvent<HTMLElement>) {
    if (api.readOnly || e.button !== 0 || isInteractive(e.target)) return
    e.stopPropagation()
    // capture now: a fast pointer leaves the card before the drag threshold is reached
    e.currentTarget.setPointerCapture(e.pointerId)
    const rect = e.currentTarget.getBoundingClientRect()
    const s = api.scale()
    drag.current = {
      pointerId: e.pointerId,
      startX: e.clientX,
      startY: e.clientY,
      from: place(),
      grabX: (e.clientX - rect.left) / s,
      grabY: (e.clientY - rect.top) / s,
      moved: false,
      el: e.currentTarget,
      unlisten: () => {},
    }
  }

  /** Back to where the drag began, with nothing written; the pointer's release is then no drop. */
  function cancel() {
    const d = drag.current
    if (!d) return
    drag.current = null
    d.unlisten()
    if (d.el.hasPointerCapture(d.pointerId)) d.el.releasePointerCapture(d.pointerId)
    if (!d.moved) return
    layout?.dragOver(null)
    setOverride(null)
    api.setDragging(null)
  }

  /** The card's top-left and the pointer, in world px. */
  function position(e: ReactPointerEvent<HTMLElement>, d: DragState) {
    const s = api.scale()
    const x = d.from.x + (e.clientX - d.startX) / s
    const y = d.from.y + (e.clientY - d.startY) / s
    return { x, y, px: x + d.grabX, py: y + d.grabY }
  }

  function onPointerMove(e: ReactPointerEvent<HTMLElement>) {
    const d = drag.current
    if (!d || d.pointerId !== e.pointerId) return
    if (!d.moved) {
      if (Math.hypot(e.clientX - d.startX, e.clientY - d.startY) < DRAG_THRESHOLD_PX) return
      d.moved = true
      beginGesture(api.doc)
      api.setDragging(card().id)
      // on the window: focus may be anywhere while the pointer carries the card
      const onKey = (k: KeyboardEvent) => {
        if (k.key !== 'Escape') return
        k.preventDefault()
        k.stopPropagation()
        cancel()
      }
      window.addEventListener('keydown', onKey, true)
      d.unlisten = () => window.removeEventListener('keydown', onKey, true)
    }
    const p = position(e, d)
    setOverride({ x: p.x, y: p.y })
    layout?.dragOver({ id: card().id, h: d.from.h, slot: layout.slotAt(p.px, p.py) })
  }

  function end(e: ReactPointerEvent<HTMLElement>, commit: boolean) {
    const d = drag.current
    if (!d || d.pointerId !== e.pointerId) return
    drag.current = null
    d.unlisten()
    if (!d.moved) return
    const p = position(e, d)
    const slot: Slot | null = layout?.slotAt(p.px, p.py) ?? null
    if (commit) dropCard(api.doc, card(), slot ? { slot } : { x: p.x, y: p.y }, api.cards())
    layout?.dragOver(null)
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

/**
 * A keyboard move of a card: the arrow-key steps from the first one until the card loses focus.
 * Each step is written as it is taken (others see the card move); Escape takes them all back, and
 * out of the person's undo too, so the move leaves no trace. Any other key ends the move.
 */
export function useKeyboardMove(doc: Y.Doc) {
  const move = useRef<KeyboardMove | null>(null)
  return {
    /** Before an arrow-key step. */
    step() {
      move.current ??= beginKeyboardMove(doc)
    },
    /** Escape: true when there was a move to take back. */
    cancel(): boolean {
      const m = move.current
      move.current = null
      return m ? cancelKeyboardMove(m) : false
    },
    end() {
      move.current = null
    },
  }
}
