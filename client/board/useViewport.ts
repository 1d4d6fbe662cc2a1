/** Viewport state for a canvas element: size tracking, zoom around a point, fit to content. */
import { type RefObject, useCallback, useEffect, useRef, useState } from 'react'
import { type Box, type Viewport, fitBox, zoomAt } from './viewport.ts'

export function useViewport(ref: RefObject<HTMLElement | null>) {
  const [viewport, setViewport] = useState<Viewport>({ x: 0, y: 0, scale: 1 })
  const [size, setSize] = useState({ w: 0, h: 0 })
  const current = useRef(viewport)
  current.current = viewport

  useEffect(() => {
    const el = ref.current
    if (!el) return
    const measure = () => setSize({ w: el.clientWidth, h: el.clientHeight })
    measure()
    const ro = new ResizeObserver(measure)
    ro.observe(el)
    return () => ro.disconnect()
  }, [ref])

  const zoomBy = useCallback(
    (factor: number, at?: { x: number; y: number }) => {
      setViewport((v) => zoomAt(v, factor, at?.x ?? size.w / 2, at?.y ?? size.h / 2))
    },
    [size],
  )
  const fit = useCallback(
    (box: Box | null, insetTop = 0) => box && setViewport(fitBox(box, size.w, size.h, insetTop)),
    [size],
  )
  const panBy = useCallback((dx: number, dy: number) => setViewport((v) => ({ ...v, x: v.x + dx, y: v.y + dy })), [])

  return { viewport, current, size, setViewport, zoomBy, fit, panBy }
}
