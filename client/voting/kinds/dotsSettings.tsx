/** A dot round's settings in the open-round dialog: dots per person and the most on one task. */
import { useI18n } from '../../i18n/index.ts'
import type { RoundSettings } from './kind.ts'
import { NumberField } from '../../widgets/NumberField.tsx'

const DEFAULT_DOTS = 3
const DEFAULT_MAX_PER_TASK = 2
const MAX_DOTS = 50

const dotCount = (raw: string) => Math.max(1, Math.min(MAX_DOTS, Number(raw) || 1))

export const dotsSettings: RoundSettings<'dots'> = {
  label: 'vote.kindDots',
  initial: () => ({ dotsPerPerson: DEFAULT_DOTS, maxPerTask: DEFAULT_MAX_PER_TASK }),
  Form: function DotsSettings({ value, onChange }) {
    const { t } = useI18n()
    return (
      <div className="inline-form">
        <NumberField
          label={t('vote.dotsPerPerson')}
          testId="round-dots"
          min={1}
          max={MAX_DOTS}
          value={value.dotsPerPerson}
          onChange={(typed) => onChange({ ...value, dotsPerPerson: dotCount(typed) })}
        />
        <NumberField
          label={t('vote.maxPerTaskLabel')}
          testId="round-max"
          min={1}
          max={MAX_DOTS}
          value={value.maxPerTask}
          onChange={(typed) => onChange({ ...value, maxPerTask: dotCount(typed) })}
        />
      </div>
    )
  },
  // more on one task than a person has would be a limit nobody meets
  request: (v) => ({
    dotsPerPerson: v.dotsPerPerson,
    maxPerTask: Math.min(v.maxPerTask, v.dotsPerPerson),
  }),
}
