/**
 * The viewport of a canvas element: a ViewportStore (outside React state) plus the canvas size.
 * Reading the viewport never subscribes a component; hooks below subscribe coarsely.
 */
import { type RefObject, useEffect, useMemo, useState } from 'react'
import type { Viewport } from './viewport.ts'
import { type Size, ViewportStore } from './viewportStore.ts'

/** The zoom level shown in React (toolbar, projector type) updates at most this often. */
const SCALE_UPDATE_MS = 100

export function useViewport(ref: RefObject<HTMLElement | null>) {
  const [store] = useState(() => new ViewportStore())
  const [size, setSize] = useState<Size>({ w: 0, h: 0 })

  useEffect(() => {
    const el = ref.current
    if (!el) return
    const measure = () => {
      const next = { w: el.clientWidth, h: el.clientHeight }
      store.size = next
      setSize((s) => (s.w === next.w && s.h === next.h ? s : next))
    }
    measure()
    const ro = new ResizeObserver(measure)
    ro.observe(el)
    return () => ro.disconnect()
  }, [ref, store])

  return useMemo(
    () => ({
      store,
      size,
      get: (): Viewport => store.get(),
      setViewport: store.set,
      zoomBy: store.zoomBy,
      fit: store.fit,
      panBy: store.panBy,
      subscribe: store.subscribe,
    }),
    [store, size],
  )
}

export type ViewportHandle = ReturnType<typeof useViewport>

/** The current zoom as React state: changes with zooming, throttled; panning never re-renders. */
export function useViewportScale(store: ViewportStore): number {
  const [scale, setScale] = useState(() => store.get().scale)
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null
    let shown = store.get().scale
    setScale(shown)
    const off = store.subscribe((v) => {
      if (v.scale === shown || timer) return
      timer = setTimeout(() => {
        timer = null
        shown = store.get().scale
        setScale(shown)
      }, SCALE_UPDATE_MS)
    })
    return () => {
      off()
      if (timer) clearTimeout(timer)
    }
  }, [store])
  return scale
}
