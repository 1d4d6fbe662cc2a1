/** Score voting: per task, per criterion, a 1..5 radio group (keyboard: arrows move within a group). */
import { useId } from 'react'
import { type Round, SCORE_MAX, SCORE_MIN } from '../../shared/control.ts'
import { useI18n } from '../i18n/index.ts'

type Scores = Record<string, Record<string, number>>

interface Props {
  round: Round
  titles: ReadonlyMap<string, string>
  scores: Readonly<Scores>
  onChange(next: Scores): void
}

const SCALE = Array.from({ length: SCORE_MAX - SCORE_MIN + 1 }, (_, i) => SCORE_MIN + i)

export function ScoresBallot({ round, titles, scores, onChange }: Props) {
  const { t } = useI18n()
  const name = useId()
  const set = (taskId: string, criterionId: string, v: number) =>
    onChange({ ...scores, [taskId]: { ...scores[taskId], [criterionId]: v } })
  return (
    <>
      <p className="hint">{t('vote.scoresHint', { min: SCORE_MIN, max: SCORE_MAX })}</p>
      {round.taskIds.map((taskId, ti) => {
        const title = titles.get(taskId) ?? t('task.unknown')
        return (
          <fieldset key={taskId} className="ballot-task" data-testid="ballot-row">
            <legend>{title}</legend>
            {round.criteria.map((c) => (
              <div key={c.id} className="score-group" role="radiogroup" aria-label={t('vote.scoreFor', { criterion: c.label, task: title })}>
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
          </fieldset>
        )
      })}
    </>
  )
}
