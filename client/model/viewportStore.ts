/**
 * The canvas viewport outside React state. A pan or zoom changes a plain value and tells its
 * listeners; the canvas writes the world layer's transform straight to the DOM, and React only
 * hears about coarse changes (culling, zoom level), so moving the view never re-renders the board.
 */
import { type Box, type Viewport, fitBox, zoomAt } from './viewport.ts'

export interface Size {
  w: number
  h: number
}

export type ViewportListener = (v: Viewport) => void

export class ViewportStore {
  private value: Viewport = { x: 0, y: 0, scale: 1 }
  private readonly listeners = new Set<ViewportListener>()
  /** Canvas size in CSS px, kept by the owner's ResizeObserver. */
  size: Size = { w: 0, h: 0 }

  get(): Viewport {
    return this.value
  }

  set = (next: Viewport): void => {
    const v = this.value
    if (next.x === v.x && next.y === v.y && next.scale === v.scale) return
    this.value = next
    for (const fn of this.listeners) fn(next)
  }

  panBy = (dx: number, dy: number): void => {
    if (dx || dy) this.set({ ...this.value, x: this.value.x + dx, y: this.value.y + dy })
  }

  /** Zoom by `factor` around a screen point, by default the canvas centre. */
  zoomBy = (factor: number, at?: { x: number; y: number }): void => {
    this.set(zoomAt(this.value, factor, at?.x ?? this.size.w / 2, at?.y ?? this.size.h / 2))
  }

  fit = (box: Box | null, insetTop = 0): void => {
    if (box) this.set(fitBox(box, this.size.w, this.size.h, insetTop))
  }

  subscribe = (fn: ViewportListener): (() => void) => {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }
}
