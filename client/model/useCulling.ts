/**
 * What the canvas hears of the viewport. The world layer's transform is written straight to the
 * DOM once per frame; React state (which cards are drawn, how much text detail) changes only when
 * the view leaves the box it was last culled for, or the zoom crosses a detail level.
 */
import { type RefObject, useEffect, useLayoutEffect, useRef, useState } from 'react'
import type { ViewportHandle } from './useViewport.ts'
import type { ViewportStore } from './viewportStore.ts'
import {
  type Box,
  type CardDetail,
  type Viewport,
  cardDetail,
  contains,
  cullBox,
  visibleWorld,
} from './viewport.ts'

/** A new culling pass runs at most this often while the view moves. */
const CULL_UPDATE_MS = 100
/** Zooming in by more than this factor since the last pass culls again (the box got far too big). */
const CULL_RESCALE = 2

interface Culling {
  /**
   * Cards outside this world box are culled. Null until the canvas has a size: no card is drawn
   * then, so the first draw happens once, at the first real view (after the fit).
   */
  box: Box | null
  scale: number
  detail: CardDetail
  /** Computed for the canvas's first view: the owner usually fits the content right after it. */
  first: boolean
}

function culling(v: Viewport, w: number, h: number, lod: boolean, first: boolean): Culling {
  return {
    box: w > 0 && h > 0 ? cullBox(v, w, h) : null,
    scale: v.scale,
    detail: lod ? cardDetail(v.scale) : 'rich',
    first,
  }
}

function stale(c: Culling, v: Viewport, w: number, h: number, lod: boolean): boolean {
  if (w <= 0 || h <= 0) return c.box !== null
  if (!c.box || !contains(c.box, visibleWorld(v, w, h, 0))) return true
  if (v.scale !== c.scale && c.first) return true
  if (v.scale > c.scale * CULL_RESCALE) return true
  return lod && cardDetail(v.scale) !== c.detail
}

export function useCulling(vp: ViewportHandle, lod: boolean): Culling {
  const { store, size } = vp
  const [state, setState] = useState(() => culling(store.get(), size.w, size.h, lod, true))
  const current = useRef(state)
  current.current = state

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null
    let last = 0
    const update = (v: Viewport) => {
      const next = culling(v, size.w, size.h, lod, current.current.box === null)
      current.current = next
      setState(next)
    }
    const run = () => {
      timer = null
      last = performance.now()
      const v = store.get()
      if (stale(current.current, v, size.w, size.h, lod)) update(v)
    }
    const check = (v: Viewport) => {
      if (timer || !stale(current.current, v, size.w, size.h, lod)) return
      // the first views (size known, content fitted) at once: that is the board's first full draw
      if (current.current.first) return update(v)
      timer = setTimeout(run, Math.max(0, CULL_UPDATE_MS - (performance.now() - last)))
    }
    check(store.get())
    const off = store.subscribe(check)
    return () => {
      off()
      if (timer) clearTimeout(timer)
    }
  }, [store, size.w, size.h, lod])

  return state
}

/**
 * Writes the viewport to the two world layers (translate outside, scale inside) as it changes.
 * Not deferred to an animation frame: Chromium dispatches pointer moves once per frame, before
 * its animation callbacks, so a pan moves the layer in the same frame either way, and asking for
 * a callback on every move cost more than the style write it saved (a pan frame's main thread:
 * 4.37 against 4.55 ms CPU, 1,000 cards). So code that measures the layout right after a pan
 * finds the world where the viewport has it.
 */
export function useWorldTransform(
  store: ViewportStore,
  world: RefObject<HTMLElement | null>,
  scaled: RefObject<HTMLElement | null>,
): void {
  useLayoutEffect(() => {
    let drawnScale = NaN
    const draw = () => {
      const v = store.get()
      const outer = world.current
      const inner = scaled.current
      if (!outer || !inner) return
      outer.style.transform = `translate(${v.x}px, ${v.y}px)`
      if (v.scale !== drawnScale) {
        drawnScale = v.scale
        inner.style.transform = `scale(${v.scale})`
        // card tools and zone buttons keep at least their normal screen size (24 px targets)
        inner.style.setProperty('--tools-scale', String(Math.max(1, 1 / v.scale)))
        // remote cursors keep their screen size at every zoom
        inner.style.setProperty('--cursor-scale', String(1 / v.scale))
      }
    }
    draw()
    return store.subscribe(draw)
  }, [store, world, scaled])
}
