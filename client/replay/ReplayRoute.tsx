/**
 * `/w/:id/replay#key=…[&t=<epoch ms>|&snapshot=<id>]`: the organiser's replay. Fetches the history
 * once and replays both logs into a session, showing progress for both steps; then everything
 * (seek, play, markers) happens locally.
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
import { type LoadStep, ReplayProgress } from './ReplayProgress.tsx'
import { ReplayScreen } from './ReplayScreen.tsx'
import { ReplaySession } from './session.ts'
import type { ReplayStart } from './useReplay.ts'

/**
 * Work between two paints of the progress bar: long enough that yielding costs little next to it
 * (a yield may wait for a frame), short enough that the page stays responsive.
 */
const SLICE_MS = 80
/** Entries replayed before the clock is read again (~10 ms of work). */
const ENTRIES_PER_STEP = 400

type Load =
  | { kind: 'loading'; step: LoadStep; share: number }
  | { kind: 'ready'; history: History; session: ReplaySession }
  | { kind: 'failed'; error: ClientErrorCode }

const LOADING: Load = { kind: 'loading', step: 'download', share: 0 }

/** Lets the browser paint and handle input: a message is not clamped the way a nested timer is. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel()
    channel.port1.onmessage = () => {
      channel.port1.close()
      resolve()
    }
    channel.port2.postMessage(null)
  })
}

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
    let unclaimed: ReplaySession | null = null
    // a reload (after a restore) keeps the screen it replaces until the new session is built
    const show = (step: LoadStep, share: number) =>
      setLoad((prev) =>
        prev.kind === 'ready' ||
        (prev.kind === 'loading' &&
          prev.step === step &&
          Math.round(prev.share * 100) === Math.round(share * 100))
          ? prev
          : { kind: 'loading', step, share },
      )
    void (async () => {
      const r = await fetchHistory(id, orgKey, (received, total) => {
        if (current && total > 0) show('download', received / total)
      })
      if (!current) return
      if (!r.ok) {
        setLoad({ kind: 'failed', error: r.error })
        return
      }
      const built = new ReplaySession(r.data, { lazy: true })
      unclaimed = built
      for (;;) {
        const until = performance.now() + SLICE_MS
        let done = false
        while (!done && performance.now() < until) done = built.buildSome(ENTRIES_PER_STEP)
        if (done) break
        show('index', built.progress)
        await nextTask()
        if (!current) return
      }
      unclaimed = null
      setLoad({ kind: 'ready', history: r.data, session: built })
    })()
    return () => {
      current = false
      unclaimed?.destroy()
    }
  }, [id, orgKey, attempt])

  // a session on screen is let go once another replaces it, or the route closes
  const shown = load.kind === 'ready' ? load.session : null
  useEffect(() => () => shown?.destroy(), [shown])

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
      history={load.history}
      session={load.session}
      start={start}
      onReload={reload}
    />
  )
}
