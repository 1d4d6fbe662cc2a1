/**
 * Voting for the facilitator: open a round, watch how many have voted (never what), close it and
 * reveal the tallies, which the server then writes into the control doc for every screen.
 */
import { useId, useState } from 'react'
import type { Round } from '../../shared/control.ts'
import type { Task } from '../../shared/tasks.ts'
import { ErrorMessage } from '../app/ErrorMessage.tsx'
import { type ClientErrorCode, useI18n } from '../i18n/index.ts'
import { OpenRoundDialog } from './OpenRoundDialog.tsx'
import { closeRound, revealRound } from './roundsApi.ts'

interface Props {
  workshopId: string
  round: Round | null
  tasks: Task[]
}

export function RoundControls({ workshopId, round, tasks }: Props) {
  const { t } = useI18n()
  const headingId = useId()
  const [dialog, setDialog] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ClientErrorCode | null>(null)

  async function act(fn: (w: string, r: string) => Promise<{ ok: true } | { ok: false; error: ClientErrorCode }>) {
    if (!round) return
    setBusy(true)
    setError(null)
    const r = await fn(workshopId, round.id)
    setBusy(false)
    if (!r.ok) setError(r.error)
  }

  const open = round?.status === 'open'
  return (
    <section className="side-section" aria-labelledby={headingId} data-testid="round-controls">
      <h3 id={headingId}>{t('vote.heading')}</h3>
      {round && (
        <p data-testid="round-status">
          {t(`vote.status.${round.status}`)}
          {round.title ? ` · ${round.title}` : ''}
        </p>
      )}
      {round && round.status !== 'revealed' && (
        <p className="voters" data-testid="round-voters" aria-live="polite">
          {t('vote.voterCount', { count: round.voterCount })}
        </p>
      )}
      <div className="button-row">
        {!open && (
          <button type="button" className="btn btn-primary" data-testid="round-open" aria-haspopup="dialog" onClick={() => setDialog(true)}>
            {t('vote.open')}
          </button>
        )}
        {open && (
          <button type="button" className="btn" data-testid="round-close" disabled={busy} onClick={() => act(closeRound)}>
            {t('vote.close')}
          </button>
        )}
        {round && round.status !== 'revealed' && (
          <button type="button" className="btn btn-primary" data-testid="round-reveal" disabled={busy} onClick={() => act(revealRound)}>
            {t('vote.reveal')}
          </button>
        )}
      </div>
      <ErrorMessage code={error} />
      <OpenRoundDialog
        workshopId={workshopId}
        tasks={tasks}
        open={dialog}
        onClose={() => setDialog(false)}
        onOpened={() => setDialog(false)}
      />
    </section>
  )
}
