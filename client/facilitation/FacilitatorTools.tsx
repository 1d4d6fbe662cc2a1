/**
 * The facilitator's own part of the side panel: timer, rounds, agenda, join info and trash. Its
 * own chunk (WorkshopSide loads it lazily), so a participant's join -> board path does not carry it.
 */
import { writeShownRound } from '../../shared/control.ts'
import type { Table } from '../../shared/schema.ts'
import type { ControlState } from '../model/useControl.ts'
import type { WorkshopConnection } from '../sync/connection.ts'
import type { Task } from '../../shared/tasks.ts'
import { AgendaEditor } from './AgendaEditor.tsx'
import { JoinInfo } from './JoinInfo.tsx'
import { RoundControls } from './RoundControls.tsx'
import { SceneControls } from './SceneControls.tsx'
import { TimerControls } from './TimerControls.tsx'
import { TrashPanel } from './TrashPanel.tsx'
import type { FollowHandle } from './useFollowSync.ts'

export interface FacilitatorToolsProps {
  conn: WorkshopConnection
  control: ControlState
  tasks: Task[]
  workshopId: string
  joinCode: string | null
  tables: Table[]
  follow: FollowHandle
  announce(message: string): void
  onRevealed(roundId: string): void
}

export function FacilitatorTools(p: FacilitatorToolsProps) {
  return (
    <>
      <TimerControls conn={p.conn} control={p.control} follow={p.follow} />
      <RoundControls
        workshopId={p.workshopId}
        round={p.control.latestRound}
        roundNumber={p.control.rounds.length}
        tasks={p.tasks}
        control={p.control}
        onRevealed={(id) => {
          // a new result goes on the projector, whichever earlier one was picked
          writeShownRound(p.conn.control, null)
          p.onRevealed(id)
        }}
      />
      <SceneControls
        control={p.conn.control}
        board={p.conn.board}
        workshopId={p.workshopId}
        joinCode={p.joinCode}
        tasks={p.tasks}
        hasResults={p.control.revealedRounds.length > 0}
      />
      <AgendaEditor
        control={p.conn.control}
        phases={p.control.phases}
        currentId={p.control.phase?.id ?? null}
      />
      <JoinInfo workshopId={p.workshopId} joinCode={p.joinCode} />
      <TrashPanel
        board={p.conn.board}
        workshopId={p.workshopId}
        tables={p.tables}
        announce={p.announce}
      />
    </>
  )
}
