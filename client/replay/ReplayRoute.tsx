/**
 * `/w/:id/replay#key=…[&t=<epoch ms>|&snapshot=<id>]`: the organiser's replay. Fetches the history once, then
 * everything (seek, play, markers) happens locally.
 */
import { useCallback, useEffect, useState } from 'react'
import { ROUTES } from '../../shared/api.ts'
import type { History } from '../../shared/history.ts'
import { ErrorMessage } from '../lib/ErrorMessage.tsx'
import { Page } from '../lib/Page.tsx'
import { hashParams, navigate } from '../lib/router.ts'
import { type ClientErrorCode, useI18n } from '../i18n/index.ts'
import { fetchHistory } from '../organiser/http.ts'
import { clearHashFromAddressBar, takeOrganiserKey } from '../organiser/key.ts'
import { ReplayScreen } from './ReplayScreen.tsx'
import type { ReplayStart } from './useReplay.ts'

type Load =
  | { kind: 'loading' }
  | { kind: 'ready'; history: History }
  | { kind: 'failed'; error: ClientErrorCode }

export function ReplayRoute({ id, hash }: { id: string; hash: string }) {
  const { t } = useI18n()
  // the hash is read once: the key is stored and removed from the address bar
  const [orgKey] = useState(() => takeOrganiserKey(id, hash))
  const [start] = useState<ReplayStart>(() => {
    const params = hashParams(hash)
    const snapshotId = params.get('snapshot')
    if (snapshotId) return { snapshotId }
    const raw = params.get('t')
    return raw && Number.isFinite(Number(raw)) ? { time: Number(raw) } : null
  })
  const [load, setLoad] = useState<Load>({ kind: 'loading' })
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    clearHashFromAddressBar()
  }, [])

  useEffect(() => {
    if (!orgKey) return
    let current = true
    void fetchHistory(id, orgKey).then((r) => {
      if (current)
        setLoad(r.ok ? { kind: 'ready', history: r.data } : { kind: 'failed', error: r.error })
    })
    return () => {
      current = false
    }
  }, [id, orgKey, attempt])

  // after a restore the log has new entries; this is the only refetch
  const reload = useCallback(() => setAttempt((n) => n + 1), [])

  if (!orgKey || load.kind !== 'ready') {
    return (
      <Page>
        <h1>{t('replay.heading')}</h1>
        {!orgKey ? (
          <p>{t('org.noKey')}</p>
        ) : load.kind === 'failed' ? (
          <ErrorMessage code={load.error} />
        ) : (
          <p role="status">{t('replay.loading')}</p>
        )}
        <p>
          <a href={ROUTES.home} onClick={(e) => (e.preventDefault(), navigate(ROUTES.home))}>
            {t('join.backHome')}
          </a>
        </p>
      </Page>
    )
  }
  return (
    <ReplayScreen
      workshopId={id}
      orgKey={orgKey}
      history={load.history}
      start={start}
      onReload={reload}
    />
  )
}
