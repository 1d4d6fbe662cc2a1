/** Pan/zoom math for the canvas: screen = world * scale + offset. Pure functions, unit-testable. */

export interface Viewport {
  x: number
  y: number
  scale: number
}
export interface Box {
  x: number
  y: number
  w: number
  h: number
}

export const MIN_SCALE = 0.1
export const MAX_SCALE = 3
/** One +/- step multiplies the zoom by this much. */
export const ZOOM_STEP = 1.2
/** Screen pixels kept free around the content when fitting. */
const FIT_MARGIN_PX = 32
/** Cards this far (world px) outside the visible area are still rendered, so panning stays smooth. */
export const CULL_MARGIN = 300
/**
 * The culling box also reaches this fraction of the canvas's larger side beyond each edge, so a
 * pan of up to that distance needs no new culling pass (and no React render).
 */
export const CULL_MARGIN_VIEWS = 0.5
/** Card body text in world px (styles.css .card-body: 0.95rem). */
export const CARD_TEXT_PX = 15.2
/** Below this on-screen size rich text (bold, lists) cannot be made out: show it as plain text. */
export const RICH_TEXT_MIN_PX = 6
/** Below this on-screen size no text can be read: a card shows lines instead of letters. */
export const PLAIN_TEXT_MIN_PX = 3

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v))

export function toWorld(v: Viewport, sx: number, sy: number): { x: number; y: number } {
  return { x: (sx - v.x) / v.scale, y: (sy - v.y) / v.scale }
}

/** Zoom by `factor` keeping the screen point (sx, sy) fixed. */
export function zoomAt(v: Viewport, factor: number, sx: number, sy: number): Viewport {
  const scale = clamp(v.scale * factor, MIN_SCALE, MAX_SCALE)
  const k = scale / v.scale
  return { scale, x: sx - (sx - v.x) * k, y: sy - (sy - v.y) * k }
}

/** Fit `box` into a width × height screen, leaving `insetTop` screen px free above it. */
export function fitBox(box: Box, width: number, height: number, insetTop = 0): Viewport {
  const free = height - insetTop
  if (box.w <= 0 || box.h <= 0 || width <= 0 || free <= 0) return { x: 0, y: 0, scale: 1 }
  const scale = clamp(
    Math.min((width - 2 * FIT_MARGIN_PX) / box.w, (free - 2 * FIT_MARGIN_PX) / box.h),
    MIN_SCALE,
    MAX_SCALE,
  )
  return {
    scale,
    x: (width - box.w * scale) / 2 - box.x * scale,
    y: insetTop + (free - box.h * scale) / 2 - box.y * scale,
  }
}

export function union(boxes: Box[]): Box | null {
  if (boxes.length === 0) return null
  let x0 = Infinity
  let y0 = Infinity
  let x1 = -Infinity
  let y1 = -Infinity
  for (const b of boxes) {
    x0 = Math.min(x0, b.x)
    y0 = Math.min(y0, b.y)
    x1 = Math.max(x1, b.x + b.w)
    y1 = Math.max(y1, b.y + b.h)
  }
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 }
}

/** The world rectangle visible on screen, grown by `margin`. */
export function visibleWorld(
  v: Viewport,
  width: number,
  height: number,
  margin = CULL_MARGIN,
): Box {
  const tl = toWorld(v, 0, 0)
  return {
    x: tl.x - margin,
    y: tl.y - margin,
    w: width / v.scale + 2 * margin,
    h: height / v.scale + 2 * margin,
  }
}

export function intersects(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

export function contains(outer: Box, inner: Box): boolean {
  return (
    inner.x >= outer.x &&
    inner.y >= outer.y &&
    inner.x + inner.w <= outer.x + outer.w &&
    inner.y + inner.h <= outer.y + outer.h
  )
}

/** The world box whose cards are drawn: the view plus a margin that panning may use up. */
export function cullBox(v: Viewport, width: number, height: number): Box {
  return visibleWorld(
    v,
    width,
    height,
    Math.max(CULL_MARGIN, (CULL_MARGIN_VIEWS * Math.max(width, height)) / v.scale),
  )
}

/** How much of a card's text the zoom lets anyone read (level of detail). */
export type CardDetail = 'rich' | 'plain' | 'lines'

/**
 * Characters of plain text a card shows at 'plain' detail: about its three lines (336 px at
 * 15.2 px). CardBody cuts the text there; the height estimate counts the same.
 */
export const SUMMARY_CHARS = 120

export function cardDetail(scale: number): CardDetail {
  const px = CARD_TEXT_PX * scale
  return px >= RICH_TEXT_MIN_PX ? 'rich' : px >= PLAIN_TEXT_MIN_PX ? 'plain' : 'lines'
}
