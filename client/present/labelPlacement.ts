/**
 * Where each matrix marker's label goes: beside, above or below its marker, on the first spot that
 * stays inside the plot and covers no other label or marker. When none near it is free (a cramped
 * plot on an old beamer), the free spot nearest to it anywhere in the plot; only when the plot has
 * none at all, the spot that covers least. Deterministic, in the markers' order.
 */
export interface Rect {
  x: number
  y: number
  w: number
  h: number
}

export interface LabelInput {
  /** The marker's centre and radius (px). */
  mx: number
  my: number
  r: number
  /** The label's measured size (px). */
  w: number
  h: number
}

const overlap = (a: Rect, b: Rect) =>
  Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)) *
  Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y))

const GAP = 4
/** How many half-heights (beside) or quarter-widths (above, below) a label may move off its marker. */
const MAX_SHIFT = 4

export function placeLabels(items: readonly LabelInput[], side: number): Rect[] {
  const markers = items.map((m) => ({ x: m.mx - m.r, y: m.my - m.r, w: 2 * m.r, h: 2 * m.r }))
  const placed: Rect[] = []
  for (const it of items) {
    const d = it.r + GAP
    const { w, h } = it
    const candidates: Rect[] = []
    // nearest first: beside the marker, then above and below it, then shifted ever further
    for (let k = 0; k <= MAX_SHIFT; k++)
      for (const sign of k === 0 ? [0] : [-1, 1]) {
        const dy = (sign * k * h) / 2
        const dx = (sign * k * w) / 4
        candidates.push(
          { x: it.mx + d, y: it.my - h / 2 + dy, w, h },
          { x: it.mx - d - w, y: it.my - h / 2 + dy, w, h },
          { x: it.mx - w / 2 + dx, y: it.my - d - h, w, h },
          { x: it.mx - w / 2 + dx, y: it.my + d, w, h },
        )
      }
    const outside = (c: Rect) =>
      Math.max(0, -c.x) +
      Math.max(0, c.x + c.w - side) +
      Math.max(0, -c.y) +
      Math.max(0, c.y + c.h - side)
    const cost = (c: Rect) =>
      outside(c) * 1e6 + [...placed, ...markers].reduce((sum, o) => sum + overlap(c, o), 0)
    let best = candidates[0]!
    let bestCost = Infinity
    for (const c of candidates) {
      const k = cost(c)
      if (k < bestCost) {
        best = c
        bestCost = k
        if (k === 0) break
      }
    }
    if (bestCost > 0) {
      // scan the whole plot in half-height, quarter-width steps: free first, then nearest
      const far = (c: Rect) => Math.hypot(c.x + c.w / 2 - it.mx, c.y + c.h / 2 - it.my)
      let bestFar = far(best)
      for (let y = 0; y + h <= side; y += Math.max(1, h / 2))
        for (let x = 0; x + w <= side; x += Math.max(1, w / 4)) {
          const c = { x, y, w, h }
          const k = cost(c)
          const f = far(c)
          if (k < bestCost || (k === bestCost && f < bestFar)) {
            best = c
            bestCost = k
            bestFar = f
          }
        }
    }
    placed.push(best)
  }
  return placed
}
