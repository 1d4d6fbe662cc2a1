/**
 * Where each matrix marker's label goes: beside, above or below its marker, on the first spot that
 * stays inside the plot, covers no other label or marker and is nearer its own marker than any
 * other (a label beside someone else's marker reads as theirs). When none near it is free (a
 * cramped plot on an old beamer), the free spot nearest to it anywhere in the plot; only when the
 * plot has none at all, the spot that covers least. Deterministic, in the markers' order. A label
 * that did not land beside its marker gets a leader line to it ({@link leaderOf}).
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
/**
 * What a spot costs for each other marker nearer to it than its own: less than any overlap worth
 * the name, so a free, unambiguous spot wins over a free one beside another marker, and a free
 * spot beside another marker over one that covers text.
 */
const NEARER_OTHER = 0.5

/** Distance from a rect to a marker's edge (0: touching or covering it). */
function gapTo(c: Rect, m: LabelInput): number {
  const dx = Math.max(c.x - m.mx, 0, m.mx - (c.x + c.w))
  const dy = Math.max(c.y - m.my, 0, m.my - (c.y + c.h))
  return Math.max(0, Math.hypot(dx, dy) - m.r)
}

/** How many of the other markers are nearer to `c` than `it`'s own. */
function nearerOthers(it: LabelInput, c: Rect, items: readonly LabelInput[]): number {
  const own = gapTo(c, it)
  return items.filter((o) => o !== it && gapTo(c, o) < own).length
}
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
      outside(c) * 1e6 +
      [...placed, ...markers].reduce((sum, o) => sum + overlap(c, o), 0) +
      nearerOthers(it, c, items) * NEARER_OTHER
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

export interface Leader {
  x1: number
  y1: number
  x2: number
  y2: number
}

/**
 * The line from a marker's edge to the nearest point of its label, for a label that is not beside
 * the marker or has another marker nearer (`items`: all of them); null for a label beside its own
 * marker (within the gap the placement leaves, and a pixel for rounding) and nearest to it.
 */
export function leaderOf(it: LabelInput, at: Rect, items: readonly LabelInput[]): Leader | null {
  if (gapTo(at, it) <= GAP + 1 && nearerOthers(it, at, items) === 0) return null
  const x2 = Math.min(Math.max(it.mx, at.x), at.x + at.w)
  const y2 = Math.min(Math.max(it.my, at.y), at.y + at.h)
  // not 0: a label over its marker's centre is 0 away from it, and no other marker is nearer
  const d = Math.hypot(x2 - it.mx, y2 - it.my)
  return {
    x1: it.mx + ((x2 - it.mx) / d) * it.r,
    y1: it.my + ((y2 - it.my) / d) * it.r,
    x2,
    y2,
  }
}

/**
 * How a label's lines align: towards its marker, so a label left of its marker ends at it rather
 * than starting near whatever is further left (and reading as that marker's).
 */
export function alignOf(it: LabelInput, at: Rect): 'left' | 'right' | 'center' {
  if (at.x + at.w <= it.mx - it.r) return 'right'
  if (at.x >= it.mx + it.r) return 'left'
  return 'center'
}
