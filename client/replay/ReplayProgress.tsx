/**
 * Progress while the replay loads the moment it opens on: the step is announced once; the bar
 * carries the share, which is not read out on every change.
 */
import { useI18n } from '../i18n/index.ts'

export type LoadStep = 'download'

export function ReplayProgress({ step, share }: { step: LoadStep; share: number }) {
  const { t } = useI18n()
  const percent = Math.round(share * 100)
  return (
    <div className="replay-progress" data-testid="replay-progress" data-step={step}>
      <p role="status">{t(`replay.progress.${step}`)}</p>
      <progress
        max={100}
        value={percent}
        aria-label={t('replay.progressLabel')}
        aria-valuetext={t('replay.progress.percent', { percent })}
      />
      <p className="hint" aria-hidden="true">
        {t('replay.progress.percent', { percent })}
      </p>
    </div>
  )
}
