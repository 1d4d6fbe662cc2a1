/**
 * Score voting: per task, per criterion, a 1..5 radio group (keyboard: arrows move within a group),
 * and a "skip this task" box for a task the voter leaves out on purpose. A task with a score
 * missing is marked, so the voter sees what is left before sending.
 */
import { useId } from 'react'
import { type RoundOf, SCORE_MAX, SCORE_MIN } from '../../shared/control.ts'
import { useI18n } from '../i18n/index.ts'

type Scores = Record<string, Record<string, number>>

interface Props {
  round: RoundOf<'scores'>
  titles: ReadonlyMap<string, string>
  scores: Readonly<Scores>
  skipped: ReadonlySet<string>
  /** Tasks still open, marked once the voter tried to send. */
  missing: ReadonlySet<string>
  onChange(next: Scores): void
  onSkip(taskId: string, skip: boolean): void
}

const SCALE = Array.from({ length: SCORE_MAX - SCORE_MIN + 1 }, (_, i) => SCORE_MIN + i)

export function ScoresBallot({ round, titles, scores, skipped, missing, onChange, onSkip }: Props) {
  const { t } = useI18n()
  const name = useId()
  const set = (taskId: string, criterionId: string, v: number) =>
    onChange({ ...scores, [taskId]: { ...scores[taskId], [criterionId]: v } })
  return (
    <>
      <p className="hint">{t('vote.scoresHint', { min: SCORE_MIN, max: SCORE_MAX })}</p>
      <p className="hint">{t('ballot.skipHint')}</p>
      {round.taskIds.map((taskId, ti) => {
        const title = titles.get(taskId) ?? t('task.unknown')
        const isSkipped = skipped.has(taskId)
        const isMissing = missing.has(taskId)
        const missingId = `${name}-${ti}-missing`
        return (
          <fieldset
            key={taskId}
            className={`ballot-task${isSkipped ? ' is-skipped' : ''}${isMissing ? ' is-missing' : ''}`}
            data-testid="ballot-row"
            aria-describedby={isMissing ? missingId : undefined}
          >
            <legend>{title}</legend>
            {isMissing && (
              <p className="error ballot-missing" id={missingId} data-testid="ballot-row-missing">
                {t('ballot.rowMissing')}
              </p>
            )}
            {!isSkipped &&
              round.criteria.map((c) => (
                <div
                  key={c.id}
                  className="score-group"
                  role="radiogroup"
                  aria-label={t('vote.scoreFor', { criterion: c.label, task: title })}
                >
                  <span className="score-label" aria-hidden="true">
                    {c.label}
                  </span>
                  {SCALE.map((v) => (
                    <label key={v} className="score-option">
                      <input
                        type="radio"
                        name={`${name}-${ti}-${c.id}`}
                        data-testid={`ballot-score-${c.id}-${v}`}
                        checked={scores[taskId]?.[c.id] === v}
                        onChange={() => set(taskId, c.id, v)}
                      />
                      <span>{v}</span>
                    </label>
                  ))}
                </div>
              ))}
            <label className="radio ballot-skip">
              <input
                type="checkbox"
                data-testid="ballot-skip"
                checked={isSkipped}
                onChange={(e) => onSkip(taskId, e.target.checked)}
              />
              <span>{t('ballot.skip', { task: title })}</span>
            </label>
          </fieldset>
        )
      })}
    </>
  )
}
