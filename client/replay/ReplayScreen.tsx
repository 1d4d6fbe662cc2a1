/**
 * The replay page: header, timeline, the board at the chosen time, the meeting beside it
 * (statement, principles, tasks, rounds, results as they were), and the organiser's panels.
 */
import { useCallback, useEffect, useMemo, useState } from 'react'
import { ROUTES } from '../../shared/api.ts'
import type { Marker, SnapshotInfo } from '../../shared/history.ts'
import { readPhaseId, readPhases } from '../../shared/control.ts'
import { readMeta } from '../../shared/schema.ts'
import { LanguageSwitch } from '../lib/LanguageSwitch.tsx'
import { navigate } from '../lib/router.ts'
import { useI18n } from '../i18n/index.ts'
import { ReportActions } from '../organiser/ReportActions.tsx'
import { SnapshotsPanel } from '../organiser/SnapshotsPanel.tsx'
import { ReplayBoard } from './ReplayBoard.tsx'
import { ReplayLoadStatus } from './ReplayLoadStatus.tsx'
import type { ReplayLoading } from './loading.ts'
import { ReplayMeeting } from './ReplayMeeting.tsx'
import type { ReplaySession } from './session.ts'
import { Timeline } from './Timeline.tsx'
import { type ReplayStart, useReplay } from './useReplay.ts'
import './replay.css'

interface Props {
  workshopId: string
  orgKey: string
  snapshots: SnapshotInfo[]
  session: ReplaySession
  loading: ReplayLoading
  start: ReplayStart
  onReload(): void
}

/** Space toggles play unless it would press a control or type into a field. */
const spaceBelongsTo = (el: EventTarget | null) =>
  el instanceof Element &&
  !!el.closest(
    'button, a, select, textarea, input:not([type="range"]), [contenteditable="true"], summary',
  )

export function ReplayScreen(props: Props) {
  const { workshopId, orgKey, session, loading, start, onReload } = props
  const { t } = useI18n()
  const { frame, playing, speed, setSpeed, seek, openSnapshot, togglePlay } = useReplay(
    session,
    loading,
    props.snapshots,
    start,
  )
  const [snapshots, setSnapshots] = useState<SnapshotInfo[]>(props.snapshots)

  const markers = useMemo<Marker[]>(() => {
    const snaps = snapshots.map<Marker>((s) => ({
      time: s.createdAt,
      kind: 'snapshot',
      label: s.label || t(`snap.kind.${s.kind}`),
      snapshot: s,
    }))
    return [...session.markers, ...snaps].sort((a, b) => a.time - b.time)
  }, [session, snapshots, t])

  // the rest of the timeline loads once this screen is on
  useEffect(() => loading.start(), [loading])

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== ' ' || e.ctrlKey || e.metaKey || e.altKey || spaceBelongsTo(e.target)) return
      e.preventDefault()
      togglePlay()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [togglePlay])

  const onMarker = useCallback(
    (m: Marker) => (m.snapshot ? openSnapshot(m.snapshot) : seek(m.time)),
    [openSnapshot, seek],
  )

  const meta = readMeta(frame.board)
  const phaseId = readPhaseId(frame.control)
  const phase = phaseId
    ? (readPhases(frame.control).find((p) => p.id === phaseId)?.name ?? phaseId)
    : null

  return (
    <div className="replay-screen">
      <a className="skip-link" href="#replay-main">
        {t('app.skipToContent')}
      </a>
      <header className="board-header">
        <div className="title-block">
          <h1>{t('replay.title', { title: meta?.title ?? workshopId })}</h1>
          <p className="question">{phase ? t('replay.phaseAt', { phase }) : t('replay.noPhase')}</p>
          <p className="hint" role="status" data-testid="replay-snapshot-note">
            {frame.snapshot
              ? t('replay.viewingSnapshot', {
                  label: [t(`snap.kind.${frame.snapshot.kind}`), frame.snapshot.label]
                    .filter(Boolean)
                    .join(' '),
                })
              : ''}
          </p>
        </div>
        <div className="header-side">
          <span className="role-badge">{t('replay.badge')}</span>
          <a
            href={ROUTES.facilitate(workshopId, '').replace(/#.*$/, '')}
            data-testid="replay-back-to-board"
            onClick={(e) => {
              e.preventDefault()
              navigate(e.currentTarget.getAttribute('href') ?? ROUTES.home)
            }}
          >
            {t('replay.backToBoard')}
          </a>
          <LanguageSwitch />
        </div>
      </header>
      <main id="replay-main" className="replay-main" tabIndex={-1}>
        <section className="replay-timeline" aria-labelledby="replay-timeline-heading">
          <h2 id="replay-timeline-heading" className="visually-hidden">
            {t('replay.timeline')}
          </h2>
          <Timeline
            start={session.start}
            end={session.end}
            time={frame.time}
            playing={playing}
            speed={speed}
            markers={markers}
            onSeek={seek}
            onMarker={onMarker}
            onTogglePlay={togglePlay}
            onSpeed={setSpeed}
          />
          <ReplayLoadStatus loading={loading} pending={frame.pending} />
        </section>
        <div className="replay-layout">
          <ReplayBoard doc={frame.board} version={frame.version} label={t('replay.boardLabel')} />
          <aside className="replay-side" aria-label={t('org.panel')}>
            <ReplayMeeting board={frame.board} control={frame.control} version={frame.version} />
            <div className="replay-organiser">
              <SnapshotsPanel
                workshopId={workshopId}
                orgKey={orgKey}
                onOpen={openSnapshot}
                onListChange={setSnapshots}
                onRestored={onReload}
              />
              <ReportActions workshopId={workshopId} orgKey={orgKey} />
            </div>
          </aside>
        </div>
      </main>
    </div>
  )
}
