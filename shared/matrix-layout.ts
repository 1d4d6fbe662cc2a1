/**
 * Where the markers of a score matrix go. A task sits at its mean scores; tasks with equal (or
 * nearly equal) means would cover each other, so a marker that would overlap one already placed
 * moves to the nearest free spot on rings around its true point, and keeps a line back to it.
 */

export interface MatrixPoint {
  id: string
  /** The true position, in the plot's own units (px). */
  x: number
  y: number
}

export interface PlacedMarker extends MatrixPoint {
  /** Where the marker is drawn; equal to x, y unless it had to move. */
  mx: number
  my: number
}

/** Candidate spots per ring grow with its circumference, so rings stay evenly filled. */
const SPOTS_PER_RING = 6
const MAX_RINGS = 12

/**
 * Places markers of diameter `size` inside [0, width] × [0, height] without overlaps, in the
 * given order (earlier ones keep their true spot). Deterministic: same input, same picture.
 */
export function spreadMarkers(
  points: readonly MatrixPoint[],
  size: number,
  width: number,
  height: number,
): PlacedMarker[] {
  const placed: PlacedMarker[] = []
  const r = size / 2
  const free = (mx: number, my: number) =>
    mx >= r &&
    mx <= width - r &&
    my >= r &&
    my <= height - r &&
    placed.every((p) => Math.hypot(p.mx - mx, p.my - my) >= size)
  for (const p of points) {
    let spot: { mx: number; my: number } | null = free(p.x, p.y) ? { mx: p.x, my: p.y } : null
    for (let ring = 1; !spot && ring <= MAX_RINGS; ring++) {
      const spots = SPOTS_PER_RING * ring
      for (let i = 0; i < spots && !spot; i++) {
        // start straight up, then go round: the first tie sits above, the next ones around it
        const a = -Math.PI / 2 + (2 * Math.PI * i) / spots
        const mx = p.x + Math.cos(a) * size * ring
        const my = p.y + Math.sin(a) * size * ring
        if (free(mx, my)) spot = { mx, my }
      }
    }
    placed.push({ ...p, ...(spot ?? { mx: p.x, my: p.y }) })
  }
  return placed
}
