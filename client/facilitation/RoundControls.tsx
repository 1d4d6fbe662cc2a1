/**
 * Voting for the facilitator: open a round, watch how many have voted (never what), close it and
 * reveal the tallies, which the server then writes into the control doc for every screen.
 * Focus follows the action: to the round's status once it is open or closed, to the results
 * heading once revealed (the button pressed is gone by then, and focus would fall back to <body>).
 * The count reads "N of M voted", M being the participants who joined. A round not revealed yet
 * (a test round, a wrong setup) can be deleted after a confirmation.
 */
import { useEffect, useId, useRef, useState } from 'react'
import type { Round } from '../../shared/control.ts'
import type { Task } from '../../shared/tasks.ts'
import { ErrorMessage } from '../lib/ErrorMessage.tsx'
import { type ClientErrorCode, useI18n } from '../i18n/index.ts'
import { roundName } from '../voting/roundName.ts'
import { ConfirmDialog } from '../widgets/ConfirmDialog.tsx'
import { OpenRoundDialog } from './OpenRoundDialog.tsx'
import { closeRound, deleteRound, revealRound } from './roundsApi.ts'
import type { ControlState } from '../model/useControl.ts'

interface Props {
  workshopId: string
  round: Round | null
  /** The round's 1-based position among all rounds. */
  roundNumber: number
  tasks: Task[]
  /** Joined participants and earlier revealed rounds (for "take the top N"). */
  control: Pick<ControlState, 'joined' | 'revealedRounds'>
  /** The round's results are out: the side panel shows them and moves focus there. */
  onRevealed(roundId: string): void
}

export function RoundControls({
  workshopId,
  round,
  roundNumber,
  tasks,
  control,
  onRevealed,
}: Props) {
  const { t } = useI18n()
  const headingId = useId()
  const statusRef = useRef<HTMLParagraphElement>(null)
  const [dialog, setDialog] = useState(false)
  const [confirmDelete, setConfirmDelete] = useState(false)
  const headingRef = useRef<HTMLHeadingElement>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ClientErrorCode | null>(null)
  // the change arrives through the control doc, possibly after the HTTP reply
  const [focusStatus, setFocusStatus] = useState<{
    roundId: string
    status: Round['status']
  } | null>(null)

  useEffect(() => {
    if (focusStatus && round?.id === focusStatus.roundId && round.status === focusStatus.status) {
      statusRef.current?.focus()
      setFocusStatus(null)
    }
  }, [focusStatus, round])

  async function act(
    fn: (w: string, r: string) => Promise<{ ok: true } | { ok: false; error: ClientErrorCode }>,
  ) {
    if (!round) return false
    setBusy(true)
    setError(null)
    const r = await fn(workshopId, round.id)
    setBusy(false)
    if (!r.ok) setError(r.error)
    return r.ok
  }

  async function close() {
    const id = round?.id
    if (id && (await act(closeRound))) setFocusStatus({ roundId: id, status: 'closed' })
  }

  async function reveal() {
    const id = round?.id
    if (id && (await act(revealRound))) onRevealed(id)
  }

  async function remove() {
    setConfirmDelete(false)
    // the status line goes with the round: focus the section heading instead of <body>
    if (await act(deleteRound)) headingRef.current?.focus()
  }

  const open = round?.status === 'open'
  const joined = control.joined.total
  return (
    <section className="side-section" aria-labelledby={headingId} data-testid="round-controls">
      <h3 id={headingId} ref={headingRef} tabIndex={-1}>
        {t('vote.heading')}
      </h3>
      {round && (
        <p data-testid="round-status" ref={statusRef} tabIndex={-1}>
          {t(`vote.status.${round.status}`)}
          {` · ${roundName(t, round, roundNumber)}`}
        </p>
      )}
      {round && round.status !== 'revealed' && (
        <p className="voters" data-testid="round-voters" aria-live="polite">
          {joined > 0
            ? t('vote.votedOf', { count: round.voterCount, total: joined })
            : t('vote.voterCount', { count: round.voterCount })}
        </p>
      )}
      <div className="button-row">
        {!open && (
          <button
            type="button"
            className="btn btn-primary"
            data-testid="round-open"
            aria-haspopup="dialog"
            onClick={() => setDialog(true)}
          >
            {t('vote.open')}
          </button>
        )}
        {open && (
          <button
            type="button"
            className="btn"
            data-testid="round-close"
            disabled={busy}
            onClick={close}
          >
            {t('vote.close')}
          </button>
        )}
        {round && round.status !== 'revealed' && (
          <button
            type="button"
            className="btn btn-primary"
            data-testid="round-reveal"
            disabled={busy}
            onClick={reveal}
          >
            {t('vote.reveal')}
          </button>
        )}
        {round && round.status !== 'revealed' && (
          <button
            type="button"
            className="btn btn-danger"
            data-testid="round-delete"
            aria-haspopup="dialog"
            disabled={busy}
            onClick={() => setConfirmDelete(true)}
          >
            {t('round.delete')}
          </button>
        )}
      </div>
      <ErrorMessage code={error} />
      <ConfirmDialog
        open={confirmDelete}
        title={round ? t('round.deleteConfirm', { name: roundName(t, round, roundNumber) }) : ''}
        confirmLabel={t('round.delete')}
        onConfirm={remove}
        onCancel={() => setConfirmDelete(false)}
        testId="round-delete-dialog"
      >
        <p>{t('round.deleteBallots', { count: round?.voterCount ?? 0 })}</p>
      </ConfirmDialog>
      <OpenRoundDialog
        workshopId={workshopId}
        tasks={tasks}
        earlier={control.revealedRounds}
        open={dialog}
        onClose={() => setDialog(false)}
        onOpened={(id) => {
          setDialog(false)
          setFocusStatus({ roundId: id, status: 'open' })
        }}
      />
    </section>
  )
}
