/**
 * The board's layout (layoutStore.ts over shared/layout.ts) fed with what only the browser knows:
 * each card's height, measured by one ResizeObserver for all cards, the cards opened with "more",
 * and the slot a dragged card hovers. Cards reach it through CardLayoutContext; each card, zone
 * and the canvas subscribe to the part they draw.
 */
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useSyncExternalStore,
} from 'react'
import type { Box, Slot } from '../../shared/layout.ts'
import { slotAt } from '../../shared/layout.ts'
import { cardBody } from '../../shared/schema.ts'
import { HeightEstimates } from './heightEstimate.ts'
import { LayoutStore, type ZonesView } from './layoutStore.ts'
import type { CardDetail } from './viewport.ts'
import type { BoardModel } from './model.ts'

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

export interface BoardLayoutHandle {
  store: LayoutStore
  api: CardLayoutApi
}

/**
 * One layout store per model, kept in step with it, with the card being edited and with the detail
 * the zoom draws cards at (an unmeasured card is estimated as it will be drawn).
 */
export function useBoardLayout(
  model: BoardModel,
  editingId: string | null,
  detail: CardDetail = 'rich',
): BoardLayoutHandle {
  const editing = useRef(editingId)
  const shownDetail = useRef(detail)
  const handle = useMemo(() => {
    const heights = new Map<string, number>()
    // until a card is measured its text says about how tall it is (heightEstimate.ts)
    const estimates = new HeightEstimates(
      (id) => cardBody(model.doc, id),
      (id) => model.bodyVersionOf(id),
    )
    const expanded = new Set<string>()
    const store = new LayoutStore(model.getSnapshot, {
      height: (id, width) => heights.get(id) ?? estimates.of(id, width, shownDetail.current),
      expanded: (id) => id === editing.current || expanded.has(id),
    })
    const targets = new Map<Element, { id: string; onResize: (() => void) | undefined }>()
    const observer =
      typeof ResizeObserver === 'undefined'
        ? null
        : new ResizeObserver((entries) => {
            const changed: string[] = []
            const after: (() => void)[] = []
            for (const entry of entries) {
              const target = targets.get(entry.target)
              if (!target) continue
              const h = Math.ceil(entry.borderBoxSize[0]?.blockSize ?? entry.contentRect.height)
              if (h > 0 && heights.get(target.id) !== h) {
                heights.set(target.id, h)
                estimates.forget(target.id)
                changed.push(target.id)
              }
              if (target.onResize) after.push(target.onResize)
            }
            if (changed.length) store.heightChanged(changed)
            for (const fn of after) fn()
          })
    const api: CardLayoutApi = {
      measure(id, el, onResize) {
        targets.set(el, { id, onResize })
        observer?.observe(el)
        return () => {
          targets.delete(el)
          observer?.unobserve(el)
        }
      },
      setExpanded(id, on) {
        if (expanded.has(id) === on) return
        if (on) expanded.add(id)
        else expanded.delete(id)
        store.inputsChanged()
      },
      slotAt: (x, y) => slotAt(store.getBase(), x, y),
      dragOver: (next) => store.setDrag(next),
    }
    return { store, api, observer }
  }, [model])
  useEffect(() => {
    const { store } = handle
    // the board may have changed between the store's first layout and this subscription
    store.update()
    const offCards = model.onCards(() => store.update())
    const offShape = model.subscribeShape(() => store.update())
    return () => {
      offCards()
      offShape()
    }
  }, [handle, model])
  useEffect(() => () => handle.observer?.disconnect(), [handle])
  useLayoutEffect(() => {
    if (shownDetail.current === detail) return
    shownDetail.current = detail
    handle.store.inputsChanged()
  }, [handle, detail])
  useLayoutEffect(() => {
    if (editing.current === editingId) return
    editing.current = editingId
    handle.store.inputsChanged()
  }, [handle, editingId])
  return handle
}

const noBox = () => undefined
const noSubscribe = () => () => {}

/** Where the layout puts card `id` (undefined: not laid out); re-renders only when it moves. */
export function useCardBox(store: LayoutStore, id: string | null): Box | undefined {
  const subscribe = useCallback(
    (fn: () => void) => (id ? store.subscribeBox(id, fn) : noSubscribe()),
    [store, id],
  )
  const get = useCallback(() => (id ? store.getBox(id) : noBox()), [store, id])
  return useSyncExternalStore(subscribe, get)
}

/** The zones, their column headers and counts, and a dragged card's placeholder. */
export function useZones(store: LayoutStore): ZonesView {
  return useSyncExternalStore(store.subscribeZones, store.getZones)
}
