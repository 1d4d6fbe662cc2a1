/**
 * `/w/:id/replay#key=…[&t=<epoch ms>|&snapshot=<id>]`: the organiser's replay. Fetches the head
 * (where the logs' segments lie, the markers, both docs at the meeting's end; the app starts that
 * request before its own chunks load) and, for a moment other than the end, that moment's
 * segments, showing progress, then the screen; the rest is fetched and built while the screen
 * shows (ReplayLoading). Seek, play and markers then happen locally.
 */
import { useCallback, useEffect, useState } from 'react'
import { ROUTES } from '../../shared/api.ts'
import type { SnapshotInfo } from '../../shared/history.ts'
import { ErrorMessage } from '../lib/ErrorMessage.tsx'
import { Page } from '../lib/Page.tsx'
import { hashParams, navigate } from '../lib/router.ts'
import { type ClientErrorCode, useI18n } from '../i18n/index.ts'
import { clearHashFromAddressBar, takeOrganiserKey } from '../organiser/key.ts'
import { fetchHead, fetchSegment } from './http.ts'
import { REPLAY_MARK, ReplayLoading } from './loading.ts'
import { type LoadStep, ReplayProgress } from './ReplayProgress.tsx'
import { ReplayScreen } from './ReplayScreen.tsx'
import { ReplaySession } from './session.ts'
import { type ReplayStart, startWhere } from './useReplay.ts'

type Load =
  | { kind: 'loading'; step: LoadStep; share: number }
  | {
      kind: 'ready'
      snapshots: SnapshotInfo[]
      session: ReplaySession
      loading: ReplayLoading
    }
  | { kind: 'failed'; error: ClientErrorCode }

const LOADING: Load = { kind: 'loading', step: 'download', share: 0 }

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
  const [load, setLoad] = useState<Load>(LOADING)
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    clearHashFromAddressBar()
  }, [])

  useEffect(() => {
    if (!orgKey) return
    let current = true
    let unclaimed: { session: ReplaySession; loading: ReplayLoading } | null = null
    // a reload (after a restore) keeps the screen it replaces until the new session is ready
    const show = (share: number) =>
      setLoad((prev) =>
        prev.kind === 'ready' ||
        (prev.kind === 'loading' && Math.round(prev.share * 100) === Math.round(share * 100))
          ? prev
          : { kind: 'loading', step: 'download', share },
      )
    const fail = (error: ClientErrorCode) => setLoad({ kind: 'failed', error })
    void (async () => {
      const head = await fetchHead(id, orgKey, (received, total) => {
        if (current && total > 0) show(received / total / 2)
      })
      if (!current) return
      if (!head.ok) return fail(head.error)
      performance.mark(REPLAY_MARK.head)
      const { outline, boardEnd, controlEnd } = head.data
      const session = new ReplaySession(outline)
      session.provideEnds(boardEnd, controlEnd)
      const loading = new ReplayLoading(session, (ref) => fetchSegment(id, orgKey, ref))
      unclaimed = { session, loading }
      // the moment the screen opens on, if the meeting's end was not it, with its download shown
      const first = session.missingAt(startWhere(session, outline.snapshots, start))
      for (const [i, ref] of first.entries()) {
        const r = await fetchSegment(id, orgKey, ref, (received, total) => {
          if (current && total > 0) show(0.5 + (i + received / total) / first.length / 2)
        })
        if (!current) return
        if (!r.ok) return fail(r.error)
        session.add(ref, r.data)
      }
      unclaimed = null
      performance.mark(REPLAY_MARK.session)
      setLoad({ kind: 'ready', snapshots: outline.snapshots, session, loading })
    })()
    return () => {
      current = false
      unclaimed?.loading.stop()
      unclaimed?.session.destroy()
    }
  }, [id, orgKey, attempt, start])

  // a session on screen is let go once another replaces it, or the route closes
  const shown = load.kind === 'ready' ? load : null
  useEffect(
    () => () => {
      shown?.loading.stop()
      shown?.session.destroy()
    },
    [shown],
  )

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
        ) : load.kind === 'loading' ? (
          <ReplayProgress step={load.step} share={load.share} />
        ) : null}
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
      snapshots={load.snapshots}
      session={load.session}
      loading={load.loading}
      start={start}
      onReload={reload}
    />
  )
}
