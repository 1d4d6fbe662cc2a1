/** A score round's settings in the open-round dialog: the names of its criteria. */
import { DEFAULT_CRITERIA } from '../../../shared/control-actions.ts'
import { useI18n } from '../../i18n/index.ts'
import type { RoundSettings } from './kind.ts'

const CRITERION_CHARS = 60

export const scoresSettings: RoundSettings<'scores'> = {
  label: 'vote.kindScores',
  initial: (lang) => ({ criteria: DEFAULT_CRITERIA[lang].map((c) => ({ ...c })) }),
  Form: function ScoresSettings({ value, onChange }) {
    const { t } = useI18n()
    return (
      <fieldset>
        <legend>{t('vote.criteria')}</legend>
        {value.criteria.map((c, i) => (
          <label key={c.id} className="inline-label criterion">
            <span>{t('vote.criterionLabel', { n: i + 1 })}</span>
            <input
              value={c.label}
              maxLength={CRITERION_CHARS}
              data-testid={`round-criterion-${i}`}
              onChange={(e) =>
                onChange({
                  criteria: value.criteria.map((x) =>
                    x.id === c.id ? { ...x, label: e.target.value } : x,
                  ),
                })
              }
            />
          </label>
        ))}
      </fieldset>
    )
  },
  // a criterion left empty is dropped, not sent as a nameless one
  request: (v) => ({
    criteria: v.criteria
      .filter((c) => c.label.trim())
      .map((c) => ({ ...c, label: c.label.trim() })),
  }),
}
