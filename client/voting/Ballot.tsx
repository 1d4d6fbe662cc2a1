/**
 * The participant's ballot while a round is open. Submitting again replaces the earlier ballot
 * (the server keeps one per person); "saved" stays until the ballot is changed. A score ballot is
 * sent only when complete (every task scored or skipped): the form says what is missing, and the
 * server refuses an incomplete one all the same.
 */
import { type FormEvent, useEffect, useId, useMemo, useState } from 'react'
import type { Round } from '../../shared/control.ts'
import { ErrorMessage } from '../lib/ErrorMessage.tsx'
import { type ClientErrorCode, useI18n } from '../i18n/index.ts'
import { castBallot } from './ballotApi.ts'
import { loadDraft, saveDraft } from './ballotDraft.ts'
import { clientKind } from './kinds/index.ts'
import type { BallotState } from './kinds/kind.ts'

type Status =
  | { kind: 'editing' }
  | { kind: 'sending' }
  | { kind: 'saved' }
  | { kind: 'failed'; error: ClientErrorCode }
  /** Score ballot with tasks neither scored nor skipped; not sent. */
  | { kind: 'incomplete' }

interface Props {
  workshopId: string
  round: Round
  titles: ReadonlyMap<string, string>
}

export function Ballot({ workshopId, round, titles }: Props) {
  const { t } = useI18n()
  const headingId = useId()
  const [draft] = useState(() => loadDraft(workshopId, round.id))
  const [ballot, setBallot] = useState<BallotState>(() => ({
    dots: draft.dots,
    scores: draft.scores,
    skip: draft.skip,
  }))
  const [status, setStatus] = useState<Status>(
    draft.saved ? { kind: 'saved' } : { kind: 'editing' },
  )
  useEffect(
    () => saveDraft(workshopId, round.id, { ...ballot, saved: status.kind === 'saved' }),
    [workshopId, round.id, ballot, status.kind],
  )
  const kind = clientKind(round)
  const missing = useMemo(() => kind.missing(round, ballot), [kind, round, ballot])
  const shownMissing = useMemo(
    () => new Set(status.kind === 'incomplete' ? missing : []),
    [status.kind, missing],
  )

  async function submit(e: FormEvent) {
    e.preventDefault()
    if (missing.length) {
      // not sent: the summary (an alert) and the marked tasks say what is left
      setStatus({ kind: 'incomplete' })
      return
    }
    setStatus({ kind: 'sending' })
    const r = await castBallot(workshopId, round.id, kind.request(ballot))
    setStatus(r.ok ? { kind: 'saved' } : { kind: 'failed', error: r.error })
  }

  const onChange = (next: BallotState) => {
    setBallot(next)
    // a refused ballot keeps its summary until it is sent again
    setStatus((s) => (s.kind === 'incomplete' ? s : { kind: 'editing' }))
  }

  return (
    <section className="side-section ballot" data-testid="ballot" aria-labelledby={headingId}>
      <h3 id={headingId}>{round.title || t(kind.heading)}</h3>
      <form onSubmit={submit}>
        <kind.Form
          round={round}
          titles={titles}
          ballot={ballot}
          missing={shownMissing}
          onChange={onChange}
        />
        <button
          type="submit"
          className="btn btn-primary"
          data-testid="ballot-submit"
          disabled={status.kind === 'sending'}
        >
          {status.kind === 'saved' ? t('vote.resubmit') : t('vote.submit')}
        </button>
        <div aria-live="polite">
          {status.kind === 'saved' && (
            <p className="saved-note" data-testid="ballot-saved">
              {t('vote.saved')}
            </p>
          )}
        </div>
        {status.kind === 'incomplete' && missing.length > 0 && (
          <div className="error" role="alert" data-testid="ballot-incomplete">
            {t('ballot.incomplete', { count: missing.length, total: round.taskIds.length })}
            <ul className="ballot-incomplete-list">
              {missing.map((id) => (
                <li key={id}>{titles.get(id) ?? t('task.unknown')}</li>
              ))}
            </ul>
          </div>
        )}
        {status.kind === 'failed' && <ErrorMessage code={status.error} />}
      </form>
    </section>
  )
}
