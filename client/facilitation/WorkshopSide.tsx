/**
 * The side panel next to the canvas. Facilitator: the facilitation panel. Participant: ballot.
 * Both: results, tasks, statement and principles (WorkshopPanels, also in the list view).
 * Projector: join code, QR and results (PresentSide).
 * For everyone but the projector it is a drawer the board opens and closes (board/drawers.ts).
 * A closed drawer stays mounted, only hidden: a ballot half filled in is still there when it opens.
 */
import { useCallback, useId, useMemo, useState } from 'react'
import { writePresent, writeShownRound } from '../../shared/control.ts'
import type { Role } from '../../shared/protocol.ts'
import type { Table } from '../../shared/schema.ts'
import { useI18n } from '../i18n/index.ts'
import { PresentSide } from './PresentSide.tsx'
import type { WorkshopConnection } from '../sync/connection.ts'
import type { PresenceUser } from '../sync/presence.ts'
import { Ballot } from '../voting/Ballot.tsx'
import { Results } from '../voting/Results.tsx'
import { AgendaEditor } from './AgendaEditor.tsx'
import { JoinInfo } from './JoinInfo.tsx'
import { PrinciplesPanel } from './PrinciplesPanel.tsx'
import { RoundControls } from './RoundControls.tsx'
import { SceneControls } from './SceneControls.tsx'
import { usePresentChoice } from './presentScene.ts'
import { StatementPanel } from './StatementPanel.tsx'
import { TasksPanel } from './TasksPanel.tsx'
import { TimerControls } from './TimerControls.tsx'
import { TrashPanel } from './TrashPanel.tsx'
import { useControl } from '../model/useControl.ts'
import type { FollowHandle } from './useFollowSync.ts'
import { useTasks } from './useTasks.ts'

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
      <PresentSide
        workshopId={p.workshopId}
        joinCode={p.joinCode}
        control={control}
        titles={titles}
        tables={p.tables}
      />
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
          <>
            <TimerControls conn={p.conn} control={control} follow={p.follow} />
            <RoundControls
              workshopId={p.workshopId}
              round={control.latestRound}
              roundNumber={control.rounds.length}
              tasks={tasks}
              control={control}
              onRevealed={(id) => {
                // a new result goes on the projector, whichever earlier one was picked
                writeShownRound(p.conn.control, null)
                setFocusResults(id)
              }}
            />
            <SceneControls
              control={p.conn.control}
              board={p.conn.board}
              workshopId={p.workshopId}
              joinCode={p.joinCode}
              tasks={tasks}
              hasResults={control.revealedRounds.length > 0}
            />
            <AgendaEditor
              control={p.conn.control}
              phases={control.phases}
              currentId={control.phase?.id ?? null}
            />
            <JoinInfo workshopId={p.workshopId} joinCode={p.joinCode} />
            <TrashPanel
              board={p.conn.board}
              workshopId={p.workshopId}
              tables={p.tables}
              announce={p.announce}
            />
          </>
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
