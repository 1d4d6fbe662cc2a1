/**
 * Scores results as a 2×2 matrix: the round's first criterion (energy) across, the second (impact)
 * up. Each task is a numbered point with a text legend giving its title and mean scores. Points
 * that would cover each other (equal means) are drawn apart, a dot marking the true spot.
 */
import { useId, useLayoutEffect, useRef, useState } from 'react'
import { type Round, type Tally, roundCriteria } from '../../shared/control.ts'
import { spreadMarkers } from '../../shared/matrix-layout.ts'
import { useI18n } from '../i18n/index.ts'
import { formatMean, scoreAxisPct } from './matrixScale.ts'

interface Props {
  round: Round
  tally: Tally
  titles: ReadonlyMap<string, string>
}

/** Points stay this far (%) inside the frame, so a 1 or a 5 is not cut off by the border. */
const INSET_PCT = 7
const axisPct = (v: number) => scoreAxisPct(v, INSET_PCT)
/** The point's width in styles.css, used until a rendered one can be measured. */
const POINT_PX = 26

/** The matrix's side and its points' size in px, followed as the column resizes. */
function useMatrixSize() {
  const ref = useRef<HTMLDivElement>(null)
  const [size, setSize] = useState({ side: 0, point: POINT_PX })
  useLayoutEffect(() => {
    const el = ref.current
    if (!el) return
    const measure = () => {
      const point = el.querySelector<HTMLElement>('.matrix-point')?.offsetWidth || POINT_PX
      setSize((s) =>
        s.side === el.clientWidth && s.point === point ? s : { side: el.clientWidth, point },
      )
    }
    measure()
    const ro = new ResizeObserver(measure)
    ro.observe(el)
    return () => ro.disconnect()
  }, [])
  return { ref, ...size }
}

export function ResultsMatrix({ round, tally, titles }: Props) {
  const { t } = useI18n()
  const captionId = useId()
  const criteria = roundCriteria(round)
  const [xc, yc] = criteria
  const rows = round.taskIds.map((taskId, i) => {
    const tt = tally.tasks.find((x) => x.taskId === taskId)
    return {
      taskId,
      n: i + 1,
      title: titles.get(taskId) ?? t('task.unknown'),
      scores: tt?.scores ?? {},
    }
  })
  const { ref, side, point } = useMatrixSize()
  const plotted = rows.flatMap((r) => {
    const x = xc && r.scores[xc.id]
    const y = yc && r.scores[yc.id]
    return x === null || x === undefined || y === null || y === undefined
      ? []
      : [{ ...r, x: axisPct(x), y: axisPct(y) }]
  })
  // spread in px (top-down), drawn back in % so the picture scales with the column
  const toPx = (pct: number) => (pct / 100) * side
  const spread =
    side > 0
      ? spreadMarkers(
          plotted.map((p) => ({ id: p.taskId, x: toPx(p.x), y: side - toPx(p.y) })),
          point + 2,
          side,
          side,
        )
      : []
  const placedAt = (taskId: string) => spread.find((s) => s.id === taskId)
  return (
    <figure className="results-matrix" data-testid="results-matrix" aria-labelledby={captionId}>
      <figcaption id={captionId}>
        {t('vote.matrixHeading', { x: xc?.label ?? '', y: yc?.label ?? '' })}{' '}
        <span className="hint">{t('vote.voters', { count: tally.voters })}</span>
      </figcaption>
      {xc && yc && (
        <div className="matrix-frame">
          <span className="matrix-axis matrix-axis-y">
            {t('vote.axisUp', { criterion: yc.label })}
          </span>
          <div className="matrix" aria-hidden="true" ref={ref}>
            <span className="quadrant q-tl">
              {t('vote.quadrant', {
                x: t('vote.low'),
                xc: xc.label,
                y: t('vote.high'),
                yc: yc.label,
              })}
            </span>
            <span className="quadrant q-tr">
              {t('vote.quadrant', {
                x: t('vote.high'),
                xc: xc.label,
                y: t('vote.high'),
                yc: yc.label,
              })}
            </span>
            <span className="quadrant q-bl">
              {t('vote.quadrant', {
                x: t('vote.low'),
                xc: xc.label,
                y: t('vote.low'),
                yc: yc.label,
              })}
            </span>
            <span className="quadrant q-br">
              {t('vote.quadrant', {
                x: t('vote.high'),
                xc: xc.label,
                y: t('vote.low'),
                yc: yc.label,
              })}
            </span>
            {plotted.map((r) => {
              const at = placedAt(r.taskId)
              const moved = at && (at.mx !== at.x || at.my !== at.y)
              const left = at ? (at.mx / side) * 100 : r.x
              const bottom = at ? 100 - (at.my / side) * 100 : r.y
              return [
                moved && (
                  <span
                    key={`${r.taskId}-true`}
                    className="matrix-true"
                    style={{ left: `${r.x}%`, bottom: `${r.y}%` }}
                  />
                ),
                <span
                  key={r.taskId}
                  className="matrix-point"
                  data-testid="matrix-point"
                  style={{ left: `${left}%`, bottom: `${bottom}%` }}
                >
                  {r.n}
                </span>,
              ]
            })}
          </div>
          <span className="matrix-axis matrix-axis-x">
            {t('vote.axisAcross', { criterion: xc.label })}
          </span>
        </div>
      )}
      <ol className="matrix-legend">
        {rows.map((r) => (
          <li key={r.taskId} data-testid="matrix-legend-item">
            <span className="matrix-title">{r.title}</span>
            {': '}
            {criteria.map((c) => `${c.label} ${formatMean(r.scores[c.id])}`).join(', ')}
          </li>
        ))}
      </ol>
    </figure>
  )
}
