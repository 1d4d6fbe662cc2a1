/**
 * The meeting beside the cards at the replay's moment: statement, principles, tasks, the voting
 * rounds and their revealed results, drawn by the board's own panels in read-only form. Each
 * panel reads the frame's docs like a live board's; the docs change only when the replay moves.
 */
import { useId } from 'react'
import type * as Y from 'yjs'
import type { WebsocketProvider } from 'y-websocket'
import type { Round } from '../../shared/control.ts'
import { listTables } from '../../shared/schema.ts'
import { useI18n } from '../i18n/index.ts'
import { useVersionedMemo } from '../lib/useVersionedMemo.ts'
import { useControl } from '../model/useControl.ts'
import { useTasks } from '../facilitation/useTasks.ts'
import { StatementPanel } from '../facilitation/StatementPanel.tsx'
import { PrinciplesPanel } from '../facilitation/PrinciplesPanel.tsx'
import { TasksPanel } from '../facilitation/TasksPanel.tsx'
import { Results } from '../voting/Results.tsx'
import { roundName } from '../voting/roundName.ts'

/** Read-only panels never open an editor, the only reader of the provider. */
const NO_PROVIDER = null as unknown as WebsocketProvider
const NOTHING: ReadonlySet<string> = new Set()
const ignore = () => {}

interface Props {
  board: Y.Doc
  control: Y.Doc
  /** The frame's version: the board doc may be the same object with other contents. */
  version: number
}

export function ReplayMeeting({ board, control, version }: Props) {
  const { t } = useI18n()
  const headingId = useId()
  const tasks = useTasks(board)
  const state = useControl(control)
  const tables = useVersionedMemo(() => listTables(board), [board], version)
  return (
    <section
      className="replay-meeting"
      aria-labelledby={headingId}
      data-testid="replay-meeting"
      data-version={version}
    >
      <h2 id={headingId}>{t('replay.meetingHeading')}</h2>
      <StatementPanel
        board={board}
        provider={NO_PROVIDER}
        user={null}
        canEdit={false}
        facilitator={false}
      />
      <PrinciplesPanel
        board={board}
        principles={tasks.principles}
        canEdit={false}
        facilitator={false}
      />
      <TasksPanel
        board={board}
        control={control}
        tasks={tasks.tasks}
        merged={tasks.merged}
        inOpenRound={NOTHING}
        inEarlierRounds={NOTHING}
        chosen={state.chosen}
        author=""
        canEdit={false}
        facilitator={false}
        announce={ignore}
      />
      <ReplayRounds rounds={state.rounds} />
      <Results
        rounds={state.revealedRounds}
        sharedId={state.shownRoundId}
        titles={tasks.titles}
        tables={tables}
      />
    </section>
  )
}

/** Every round there was at this moment, with its status and how many had voted. */
function ReplayRounds({ rounds }: { rounds: Round[] }) {
  const { t } = useI18n()
  const headingId = useId()
  return (
    <section className="side-section" aria-labelledby={headingId} data-testid="replay-rounds">
      <h3 id={headingId}>{t('replay.roundsHeading')}</h3>
      {rounds.length === 0 ? (
        <p className="hint">{t('replay.noRounds')}</p>
      ) : (
        <ol className="replay-round-list">
          {rounds.map((r, i) => (
            <li key={r.id} data-testid="replay-round" data-status={r.status}>
              <span className="replay-round-name">{roundName(t, r, i + 1)}</span>{' '}
              <span className="hint">
                {t(`vote.status.${r.status}`)} · {t('vote.voters', { count: r.voterCount })}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}
