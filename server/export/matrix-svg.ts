/**
 * The energie × impact matrix of a scores round as inline SVG (nothing loaded from elsewhere):
 * the first criterion across, the second up, a numbered marker per task with the same number in
 * the legend beside it. Ties are drawn apart (shared/matrix-layout.ts) with a line to the true spot.
 */
import { SCORE_MAX, SCORE_MIN } from '../../shared/control.ts'
import { spreadMarkers } from '../../shared/matrix-layout.ts'

export interface MatrixRow {
  n: number
  label: string
  x: number
  y: number
  chosen: boolean
}

const PLOT = 420
const MARGIN = { left: 56, right: 16, top: 16, bottom: 48 }
/** Markers stay this far inside the frame, so a 1 or a 5 is not cut by the border. */
const INSET = 24
const MARKER = 26
/** Air between markers drawn apart, so each reads as its own. */
const MARKER_GAP = 4
const TICKS = [1, 2, 3, 4, 5]

const axis = (v: number) => INSET + ((v - SCORE_MIN) / (SCORE_MAX - SCORE_MIN)) * (PLOT - 2 * INSET)

export function matrixSvg(
  rows: readonly MatrixRow[],
  labels: { x: string; y: string; title: string },
  esc: (s: string) => string,
): string {
  const w = MARGIN.left + PLOT + MARGIN.right
  const h = MARGIN.top + PLOT + MARGIN.bottom
  const placed = spreadMarkers(
    rows.map((r) => ({ id: String(r.n), x: axis(r.x), y: PLOT - axis(r.y) })),
    MARKER + MARKER_GAP,
    PLOT,
    PLOT,
  )
  const mid = axis((SCORE_MIN + SCORE_MAX) / 2)
  const ticks = TICKS.map(
    (v) =>
      `<text x="${axis(v)}" y="${PLOT + 18}" text-anchor="middle" font-size="12">${v}</text>` +
      `<text x="-8" y="${PLOT - axis(v) + 4}" text-anchor="end" font-size="12">${v}</text>`,
  ).join('')
  // lines to the true spots first, so no marker's number is drawn over
  const leaders = placed
    .filter((p) => p.mx !== p.x || p.my !== p.y)
    .map(
      (p) =>
        `<line x1="${p.x.toFixed(1)}" y1="${p.y.toFixed(1)}" x2="${p.mx.toFixed(1)}" y2="${p.my.toFixed(1)}" stroke="#555" stroke-width="1.5"/>`,
    )
    .join('')
  const markers = placed
    .map((p, i) => {
      const row = rows[i]!
      const fill = row.chosen ? '#1b6e3c' : '#1d4f91'
      return (
        `<g class="marker" data-n="${row.n}"><circle cx="${p.mx.toFixed(1)}" cy="${p.my.toFixed(1)}" r="${MARKER / 2}" fill="${fill}" stroke="#fff" stroke-width="2"/>` +
        `<text x="${p.mx.toFixed(1)}" y="${(p.my + 4.5).toFixed(1)}" text-anchor="middle" font-size="13" font-weight="bold" fill="#fff">${row.n}</text></g>`
      )
    })
    .join('')
  return `<svg role="img" aria-label="${esc(labels.title)}" class="matrix" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" xmlns="http://www.w3.org/2000/svg">
<g transform="translate(${MARGIN.left} ${MARGIN.top})">
<rect x="0" y="0" width="${PLOT}" height="${PLOT}" fill="#f7f9fc" stroke="#666"/>
<line x1="${mid}" y1="0" x2="${mid}" y2="${PLOT}" stroke="#aaa" stroke-dasharray="4 4"/>
<line x1="0" y1="${PLOT - mid}" x2="${PLOT}" y2="${PLOT - mid}" stroke="#aaa" stroke-dasharray="4 4"/>
${ticks}
<text x="${PLOT / 2}" y="${PLOT + 40}" text-anchor="middle" font-size="14" font-weight="bold">${esc(labels.x)} →</text>
<text transform="translate(-40 ${PLOT / 2}) rotate(-90)" text-anchor="middle" font-size="14" font-weight="bold">${esc(labels.y)} →</text>
${leaders}${markers}
</g>
</svg>`
}
