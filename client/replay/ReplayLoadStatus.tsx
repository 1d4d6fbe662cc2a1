/**
 * While the rest of the timeline loads on the replay screen: a bar with the share built, and a
 * note when the moment shown is not in yet. `data-complete` says when every segment is built.
 */
import { useSyncExternalStore } from 'react'
import { ErrorMessage } from '../lib/ErrorMessage.tsx'
import { useI18n } from '../i18n/index.ts'
import type { ReplayLoading } from './loading.ts'

export function ReplayLoadStatus({
  loading,
  pending,
}: {
  loading: ReplayLoading
  pending: boolean
}) {
  const { t } = useI18n()
  const state = useSyncExternalStore(loading.subscribe, loading.getState)
  const percent = Math.floor(state.built * 100)
  return (
    <div
      className="replay-load-status"
      data-testid="replay-load-status"
      data-complete={state.complete}
    >
      <p role="status" className="hint">
        {pending ? t('replay.rest.pending') : ''}
      </p>
      {state.error ? (
        <ErrorMessage code={state.error} />
      ) : state.complete ? null : (
        <div className="replay-progress">
          <p className="hint">{t('replay.rest.loading')}</p>
          <progress
            max={100}
            value={percent}
            aria-label={t('replay.rest.label')}
            aria-valuetext={t('replay.progress.percent', { percent })}
          />
        </div>
      )}
    </div>
  )
}
