/**
 * The board's layout (shared/layout.ts) fed with what only the browser knows: each card's height,
 * measured by one ResizeObserver for all cards, the cards opened with "more", and the slot a
 * dragged card hovers. Cards reach it through CardLayoutContext.
 */
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useReducer,
  useRef,
  useState,
} from 'react'
import type { Card, Table } from '../../shared/schema.ts'
import { type BoardLayout, type Box, type Slot, layoutBoard, slotAt } from '../../shared/layout.ts'
import { useVersionedMemo } from '../lib/useVersionedMemo.ts'

export interface CardLayoutApi {
  /** Measures the card element from now on; `onResize` runs after each new size. Returns the stop. */
  measure(id: string, el: HTMLElement, onResize?: () => void): () => void
  /** A card opened with "more" gets its full height (the card keeps the flag itself). */
  setExpanded(id: string, on: boolean): void
  /** The slot under a world point, ignoring the card being dragged. */
  slotAt(x: number, y: number): Slot | null
  /** A drag hovers `slot` (null: off every zone); `null` as id ends the drag. */
  dragOver(drag: { id: string; h: number; slot: Slot | null } | null): void
}

export const CardLayoutContext = createContext<CardLayoutApi | null>(null)

export function useCardLayout(): CardLayoutApi | null {
  return useContext(CardLayoutContext)
}

const sameBox = (a: Box, b: Box) => a.x === b.x && a.y === b.y && a.w === b.w && a.h === b.h
const sameSlot = (a: Slot | null, b: Slot | null) =>
  a === b || (!!a && !!b && a.table === b.table && a.column === b.column && a.index === b.index)

/** Keeps last layout's box objects where nothing moved, so memoised cards do not re-render. */
function stabilise(next: Map<string, Box>, prev: Map<string, Box> | undefined): Map<string, Box> {
  if (!prev) return next
  for (const [id, box] of next) {
    const old = prev.get(id)
    if (old && sameBox(old, box)) next.set(id, old)
  }
  return next
}

export function useBoardLayout(
  tables: readonly Table[],
  cards: readonly Card[],
  editingId: string | null,
) {
  const heights = useRef(new Map<string, number>())
  const [heightsVersion, bump] = useReducer((n: number) => n + 1, 0)
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set())
  const [drag, setDrag] = useState<{ id: string; h: number; slot: Slot | null } | null>(null)
  const targets = useRef(new Map<Element, { id: string; onResize: (() => void) | undefined }>())
  const [observer] = useState(() =>
    typeof ResizeObserver === 'undefined'
      ? null
      : new ResizeObserver((entries) => {
          let changed = false
          const after: (() => void)[] = []
          for (const entry of entries) {
            const target = targets.current.get(entry.target)
            if (!target) continue
            const h = Math.ceil(entry.borderBoxSize[0]?.blockSize ?? entry.contentRect.height)
            if (h > 0 && heights.current.get(target.id) !== h) {
              heights.current.set(target.id, h)
              changed = true
            }
            if (target.onResize) after.push(target.onResize)
          }
          if (changed) bump()
          for (const fn of after) fn()
        }),
  )
  useEffect(() => () => observer?.disconnect(), [observer])

  const isExpanded = useCallback(
    (id: string) => id === editingId || expanded.has(id),
    [expanded, editingId],
  )
  const height = useCallback((id: string) => heights.current.get(id), [])

  const prevBoxes = useRef<Map<string, Box>>(undefined)
  const dragId = drag?.id ?? null
  const dragH = drag?.h ?? 0
  // the layout without the dragged card: what slots are read from, so they hold still while the placeholder opens
  const base = useVersionedMemo<BoardLayout>(
    () =>
      layoutBoard({
        tables,
        cards,
        height,
        expanded: isExpanded,
        drag: dragId ? { id: dragId, h: dragH, slot: null } : null,
      }),
    [tables, cards, height, isExpanded, dragId, dragH],
    heightsVersion,
  )
  const dragSlot = drag?.slot ?? null
  const shown = useMemo<BoardLayout>(() => {
    const l =
      dragId && dragSlot
        ? layoutBoard({
            tables,
            cards,
            height,
            expanded: isExpanded,
            drag: { id: dragId, h: dragH, slot: dragSlot },
          })
        : base
    const boxes = stabilise(new Map(l.boxes), prevBoxes.current)
    // the dragged card is out of the layout; it keeps its size while it follows the pointer
    const held = dragId ? prevBoxes.current?.get(dragId) : undefined
    if (dragId && held && !boxes.has(dragId)) boxes.set(dragId, held)
    prevBoxes.current = boxes
    return { ...l, boxes }
  }, [base, tables, cards, height, isExpanded, dragId, dragH, dragSlot])

  const baseRef = useRef(base)
  baseRef.current = base
  const api = useMemo<CardLayoutApi>(
    () => ({
      measure(id, el, onResize) {
        targets.current.set(el, { id, onResize })
        observer?.observe(el)
        return () => {
          targets.current.delete(el)
          observer?.unobserve(el)
        }
      },
      setExpanded: (id, on) =>
        setExpanded((cur) => {
          if (cur.has(id) === on) return cur
          const next = new Set(cur)
          if (on) next.add(id)
          else next.delete(id)
          return next
        }),
      slotAt: (x, y) => slotAt(baseRef.current, x, y),
      dragOver: (next) =>
        setDrag((cur) =>
          cur?.id === next?.id &&
          cur?.h === next?.h &&
          sameSlot(cur?.slot ?? null, next?.slot ?? null)
            ? cur
            : next,
        ),
    }),
    [observer],
  )
  return { layout: shown, api }
}
