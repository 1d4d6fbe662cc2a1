/**
 * The energie × impact matrix for the room: every marker carries its number and its task's title
 * beside it, markers of tied tasks are drawn apart (shared/matrix-layout.ts) with a dot on the true
 * spot, and a legend gives each task's mean scores. It takes the room it is given, never more.
 */
import { useLayoutEffect, useRef, useState } from 'react'
import { type Leader, alignOf, leaderOf, placeLabels } from './labelPlacement.ts'
import { type Round, type Tally, roundCriteria } from '../../shared/control.ts'
import { spreadMarkers } from '../../shared/matrix-layout.ts'
import { useI18n } from '../i18n/index.ts'
import { formatMean, scoreAxisPct } from '../voting/matrixScale.ts'

interface Props {
  round: Round
  tally: Tally
  titles: ReadonlyMap<string, string>
}

/** Markers stay this far (%) inside the frame. */
const INSET_PCT = 8
const axisPct = (v: number) => scoreAxisPct(v, INSET_PCT)
/** A marker's diameter as a share of the plot's side. */
const MARKER_SHARE = 0.06

function useSide() {
  const ref = useRef<HTMLDivElement>(null)
  const [side, setSide] = useState(0)
  useLayoutEffect(() => {
    const el = ref.current
    if (!el) return
    // the padding holds the axis names, outside the square
    const measure = () => {
      const s = getComputedStyle(el)
      const w = el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight)
      const h = el.clientHeight - parseFloat(s.paddingTop) - parseFloat(s.paddingBottom)
      setSide(Math.max(0, Math.floor(Math.min(w, h))))
    }
    measure()
    const ro = new ResizeObserver(measure)
    ro.observe(el)
    return () => ro.disconnect()
  }, [])
  return { ref, side }
}

export function PresentMatrix({ round, tally, titles }: Props) {
  const { t } = useI18n()
  const criteria = roundCriteria(round)
  const [xc, yc] = criteria
  const { ref, side } = useSide()
  const rows = round.taskIds.map((taskId, i) => {
    const scores = tally.tasks.find((x) => x.taskId === taskId)?.scores ?? {}
    return { taskId, n: i + 1, title: titles.get(taskId) ?? t('task.unknown'), scores }
  })
  const plotted = rows.flatMap((r) => {
    const x = xc ? r.scores[xc.id] : null
    const y = yc ? r.scores[yc.id] : null
    return x === null || x === undefined || y === null || y === undefined
      ? []
      : [{ ...r, x: axisPct(x), y: axisPct(y) }]
  })
  const marker = Math.max(28, side * MARKER_SHARE)
  const placed =
    side > 0
      ? spreadMarkers(
          plotted.map((p) => ({
            id: p.taskId,
            x: (p.x / 100) * side,
            y: side - (p.y / 100) * side,
          })),
          marker + 4,
          side,
          side,
        )
      : []
  // labels are measured as rendered, then placed where they cover nothing
  const labelRefs = useRef(new Map<string, HTMLSpanElement>())
  const [sizes, setSizes] = useState<ReadonlyMap<string, { w: number; h: number }>>(new Map())
  const sizeKey = `${side}|${plotted.map((p) => `${p.taskId}:${p.title}`).join('|')}`
  useLayoutEffect(() => {
    const next = new Map<string, { w: number; h: number }>()
    for (const [id, el] of labelRefs.current)
      next.set(id, { w: el.offsetWidth, h: el.offsetHeight })
    setSizes((prev) =>
      prev.size === next.size &&
      [...next].every(([id, s]) => prev.get(id)?.w === s.w && prev.get(id)?.h === s.h)
        ? prev
        : next,
    )
  }, [sizeKey])
  const labelled = placed.flatMap((at) => {
    const size = sizes.get(at.id)
    return size ? [{ id: at.id, mx: at.mx, my: at.my, r: marker / 2, ...size }] : []
  })
  const labelAt = new Map(
    labelled.length === placed.length
      ? placeLabels(labelled, side).map((rect, i) => [labelled[i]!.id, rect])
      : [],
  )
  const alignAt = new Map(
    labelled.flatMap((it) => {
      const rect = labelAt.get(it.id)
      return rect ? [[it.id, alignOf(it, rect)] as const] : []
    }),
  )
  const leaders = labelled.flatMap((it) => {
    const rect = labelAt.get(it.id)
    const line = rect && leaderOf(it, rect, labelled)
    return line ? [{ id: it.id, ...line }] : []
  })
  return (
    <figure className="present-matrix" data-testid="results-matrix">
      <figcaption className="visually-hidden">
        {t('vote.matrixHeading', { x: xc?.label ?? '', y: yc?.label ?? '' })}
      </figcaption>
      <div className="present-matrix-plot" ref={ref}>
        {xc && yc && side > 0 && (
          <div
            className="present-matrix-square"
            style={{ width: side, height: side, ['--marker' as string]: `${marker}px` }}
            aria-hidden="true"
          >
            <span className="present-axis present-axis-y">
              {t('vote.axisUp', { criterion: yc.label })}
            </span>
            <span className="present-axis present-axis-x">
              {t('vote.axisAcross', { criterion: xc.label })}
            </span>
            {leaders.length > 0 && <Leaders lines={leaders} side={side} />}
            {plotted.map((r) => {
              const at = placed.find((p) => p.id === r.taskId)
              if (!at) return null
              const moved = at.mx !== at.x || at.my !== at.y
              const rect = labelAt.get(r.taskId)
              return (
                <span key={r.taskId}>
                  {moved && <span className="present-true" style={{ left: at.x, top: at.y }} />}
                  <span
                    className="present-marker"
                    data-testid="matrix-point"
                    data-task-id={r.taskId}
                    style={{ left: at.mx, top: at.my }}
                  >
                    {r.n}
                  </span>
                  <span
                    ref={(el) => {
                      if (el) labelRefs.current.set(r.taskId, el)
                      else labelRefs.current.delete(r.taskId)
                    }}
                    className={`present-marker-label${rect ? '' : ' unplaced'}`}
                    data-testid="matrix-label"
                    data-task-id={r.taskId}
                    style={
                      rect
                        ? { left: rect.x, top: rect.y, textAlign: alignAt.get(r.taskId) }
                        : { left: 0, top: 0 }
                    }
                  >
                    {r.title}
                  </span>
                </span>
              )
            })}
          </div>
        )}
      </div>
      <ol className="present-matrix-legend">
        {rows.map((r) => (
          <li key={r.taskId} data-testid="matrix-legend-item">
            <span className="present-legend-n" aria-hidden="true">
              {r.n}
            </span>
            <span>
              <span className="present-legend-title">{r.title}</span>{' '}
              <span className="present-legend-scores">
                {criteria.map((c) => `${c.label} ${formatMean(r.scores[c.id])}`).join(' · ')}
              </span>
            </span>
          </li>
        ))}
      </ol>
    </figure>
  )
}

/** Lines from markers to their labels where a label could not sit beside its marker. */
function Leaders({ lines, side }: { lines: (Leader & { id: string })[]; side: number }) {
  return (
    <svg className="present-leaders" width={side} height={side} viewBox={`0 0 ${side} ${side}`}>
      {lines.map((l) => (
        <line
          key={l.id}
          data-testid="matrix-leader"
          data-task-id={l.id}
          x1={l.x1}
          y1={l.y1}
          x2={l.x2}
          y2={l.y2}
        />
      ))}
    </svg>
  )
}
