/**
 * The side panel next to the canvas. Facilitator: the facilitation panel. Participant: ballot.
 * Both: results, tasks, statement and principles (WorkshopPanels, also in the list view).
 * Projector: join code, QR and results (PresentSide).
 * For everyone but the projector it is a drawer the board opens and closes (board/drawers.ts).
 * A closed drawer stays mounted, only hidden: a ballot half filled in is still there when it opens.
 */
import { Suspense, lazy, useCallback, useId, useMemo, useState } from 'react'
import { writeShownRound } from '../../shared/control.ts'
import { writePresent } from '../../shared/control-actions.ts'
import type { Role } from '../../shared/protocol.ts'
import type { Table } from '../../shared/schema.ts'
import { useI18n } from '../i18n/index.ts'
import type { WorkshopConnection } from '../sync/connection.ts'
import type { PresenceUser } from '../sync/presence.ts'
import { Ballot } from '../voting/Ballot.tsx'
import { Results } from '../voting/Results.tsx'
import { PrinciplesPanel } from './PrinciplesPanel.tsx'
import { usePresentChoice } from './presentScene.ts'
import { StatementPanel } from './StatementPanel.tsx'
import { TasksPanel } from './TasksPanel.tsx'
import { useControl } from '../model/useControl.ts'
import type { FollowHandle } from './useFollowSync.ts'
import { useTasks } from './useTasks.ts'

// the facilitator's tools and the projector's side are chunks of their own: a participant's
// join -> board path (tests/bench/bundle.ts) loads neither
const FacilitatorTools = lazy(() =>
  import('./FacilitatorTools.tsx').then((m) => ({ default: m.FacilitatorTools })),
)
const PresentSide = lazy(() =>
  import('./PresentSide.tsx').then((m) => ({ default: m.PresentSide })),
)

export interface WorkshopSideProps {
  conn: WorkshopConnection
  mode: Role
  workshopId: string
  joinCode: string | null
  author: string
  user: PresenceUser | null
  tables: Table[]
  /** Board writes allowed right now (false for viewers and for participants while locked). */
  canEdit: boolean
  follow: FollowHandle
  announce(message: string): void
  /** The drawer: its element id, whether it is open, and how to close it. */
  drawerId: string
  open: boolean
  onClose(): void
}

export function WorkshopSide(p: WorkshopSideProps) {
  const { t } = useI18n()
  const headingId = useId()
  const control = useControl(p.conn.control)
  const { tasks, titles } = useTasks(p.conn.board)
  const facilitator = p.mode === 'facilitator'
  // the round just revealed here: its results heading takes focus when it shows
  const [focusResults, setFocusResults] = useState<string | null>(null)
  const clearFocusResults = useCallback(() => setFocusResults(null), [])
  const openRound = control.latestRound?.status === 'open' ? control.latestRound : null

  if (p.mode === 'viewer') {
    return (
      // the column is held while its chunk loads: the projector's fit is then done for its final size
      <Suspense fallback={<div className="present-side" data-testid="side-placeholder" />}>
        <PresentSide
          workshopId={p.workshopId}
          joinCode={p.joinCode}
          control={control}
          titles={titles}
          tables={p.tables}
        />
      </Suspense>
    )
  }

  const shared = (
    <WorkshopPanels
      conn={p.conn}
      facilitator={facilitator}
      author={p.author}
      user={p.user}
      tables={p.tables}
      canEdit={p.canEdit}
      announce={p.announce}
      focusResults={focusResults}
      onResultsFocused={clearFocusResults}
    />
  )

  return (
    <aside
      id={p.drawerId}
      className="workshop-side drawer"
      aria-labelledby={headingId}
      data-testid={facilitator ? 'facilitator-panel' : 'workshop-panel'}
      hidden={!p.open}
    >
      <div className="side-head drawer-head">
        {/* focus lands here when a cue opens the drawer */}
        <h2 id={headingId} tabIndex={-1}>
          {t(facilitator ? 'fac.panelHeading' : 'task.panelHeading')}
        </h2>
        <button type="button" className="btn btn-small" onClick={p.onClose}>
          {t('drawer.close')}
        </button>
      </div>
      {/* focusable so it scrolls by keyboard even when nothing inside is (a locked board) */}
      <div className="side-body" tabIndex={0}>
        {facilitator ? (
          <Suspense fallback={null}>
            <FacilitatorTools
              conn={p.conn}
              control={control}
              tasks={tasks}
              workshopId={p.workshopId}
              joinCode={p.joinCode}
              tables={p.tables}
              follow={p.follow}
              announce={p.announce}
              onRevealed={setFocusResults}
            />
          </Suspense>
        ) : (
          <>
            {openRound && (
              <Ballot
                key={openRound.id}
                workshopId={p.workshopId}
                round={openRound}
                titles={titles}
              />
            )}
            {control.latestRound?.status === 'closed' && (
              <p className="side-section" data-testid="round-closed-note">
                {t('vote.closedNote')}
              </p>
            )}
          </>
        )}
        {shared}
      </div>
    </aside>
  )
}

interface WorkshopPanelsProps {
  conn: WorkshopConnection
  facilitator: boolean
  author: string
  user: PresenceUser | null
  tables: Table[]
  canEdit: boolean
  announce(message: string): void
  /** A round whose results heading should take focus when it shows (just revealed here). */
  focusResults?: string | null
  onResultsFocused?(): void
}

/** Results, candidate tasks, statement and principles: beside the canvas and in the list view. */
export function WorkshopPanels(p: WorkshopPanelsProps) {
  const control = useControl(p.conn.control)
  const perTable = usePresentChoice(p.conn.control).perTable
  const { tasks, principles, titles, merged } = useTasks(p.conn.board)
  const openRound = control.latestRound?.status === 'open' ? control.latestRound : null
  const inOpenRound = useMemo(() => new Set(openRound?.taskIds ?? []), [openRound])
  const inEarlierRounds = useMemo(
    () => new Set(control.rounds.filter((r) => r.status !== 'open').flatMap((r) => r.taskIds)),
    [control.rounds],
  )
  return (
    <>
      <Results
        rounds={control.revealedRounds}
        sharedId={control.shownRoundId}
        titles={titles}
        tables={p.tables}
        {...(p.facilitator && {
          onPick: (id: string) => writeShownRound(p.conn.control, id),
          // the facilitator's toggle is the projector's too
          perTable,
          onPerTable: (on: boolean) => writePresent(p.conn.control, { perTable: on }),
        })}
        focusRoundId={p.focusResults ?? null}
        onFocused={p.onResultsFocused ?? noop}
      />
      <TasksPanel
        board={p.conn.board}
        control={p.conn.control}
        tasks={tasks}
        merged={merged}
        inOpenRound={inOpenRound}
        inEarlierRounds={inEarlierRounds}
        chosen={control.chosen}
        author={p.author}
        canEdit={p.canEdit}
        facilitator={p.facilitator}
        announce={p.announce}
      />
      <StatementPanel
        board={p.conn.board}
        provider={p.conn.boardLink.provider}
        user={p.user}
        canEdit={p.canEdit}
        facilitator={p.facilitator}
      />
      <PrinciplesPanel
        board={p.conn.board}
        principles={principles}
        canEdit={p.canEdit}
        facilitator={p.facilitator}
      />
    </>
  )
}

const noop = () => {}
