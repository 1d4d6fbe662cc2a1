/**
 * Dot voting: one row per task in the round's order, minus/plus buttons, remaining dots shown. The
 * limits are mirrored here for feedback; the server checks them again and decides.
 */
import type { RoundOf } from '../../shared/control.ts'
import { useI18n } from '../i18n/index.ts'

interface Props {
  round: RoundOf<'dots'>
  titles: ReadonlyMap<string, string>
  dots: Readonly<Record<string, number>>
  onChange(next: Record<string, number>): void
}

export function DotsBallot({ round, titles, dots, onChange }: Props) {
  const { t } = useI18n()
  const used = round.taskIds.reduce((n, id) => n + (dots[id] ?? 0), 0)
  const remaining = round.dotsPerPerson - used
  const set = (taskId: string, n: number) => onChange({ ...dots, [taskId]: n })
  return (
    <>
      <p className="ballot-remaining" data-testid="ballot-remaining" aria-live="polite">
        {t('vote.remaining', { count: remaining, total: round.dotsPerPerson })}
      </p>
      <p className="hint">{t('vote.maxPerTask', { count: round.maxPerTask })}</p>
      <ul className="ballot-rows">
        {round.taskIds.map((taskId) => {
          const title = titles.get(taskId) ?? t('task.unknown')
          const n = dots[taskId] ?? 0
          return (
            <li key={taskId} className="ballot-row" data-testid="ballot-row">
              <span className="ballot-title">{title}</span>
              <span className="ballot-controls">
                <button
                  type="button"
                  className="btn btn-small"
                  data-testid="ballot-minus"
                  aria-label={t('vote.minus', { task: title })}
                  disabled={n === 0}
                  onClick={() => set(taskId, n - 1)}
                >
                  <span aria-hidden="true">−</span>
                </button>
                <span className="ballot-count">
                  <span aria-hidden="true">{n}</span>
                  <span className="visually-hidden">{t('vote.dotsCount', { count: n })}</span>
                </span>
                <button
                  type="button"
                  className="btn btn-small"
                  data-testid="ballot-plus"
                  aria-label={t('vote.plus', { task: title })}
                  disabled={remaining <= 0 || n >= round.maxPerTask}
                  onClick={() => set(taskId, n + 1)}
                >
                  <span aria-hidden="true">+</span>
                </button>
              </span>
            </li>
          )
        })}
      </ul>
    </>
  )
}
