/**
 * The participant's ballot while a round is open. Submitting again replaces the earlier ballot
 * (the server keeps one per person); "saved" stays until the ballot is changed.
 */
import { type FormEvent, useEffect, useId, useState } from 'react'
import type { Round } from '../../shared/control.ts'
import { ErrorMessage } from '../app/ErrorMessage.tsx'
import { type ClientErrorCode, useI18n } from '../i18n/index.ts'
import { castBallot } from './ballotApi.ts'
import { loadDraft, saveDraft } from './ballotDraft.ts'
import { DotsBallot } from './DotsBallot.tsx'
import { ScoresBallot } from './ScoresBallot.tsx'

type Status = { kind: 'editing' } | { kind: 'sending' } | { kind: 'saved' } | { kind: 'failed'; error: ClientErrorCode }

interface Props {
  workshopId: string
  round: Round
  titles: ReadonlyMap<string, string>
}

export function Ballot({ workshopId, round, titles }: Props) {
  const { t } = useI18n()
  const headingId = useId()
  const [draft] = useState(() => loadDraft(workshopId, round.id))
  const [dots, setDots] = useState<Record<string, number>>(draft.dots)
  const [scores, setScores] = useState<Record<string, Record<string, number>>>(draft.scores)
  const [status, setStatus] = useState<Status>(draft.saved ? { kind: 'saved' } : { kind: 'editing' })
  useEffect(
    () => saveDraft(workshopId, round.id, { dots, scores, saved: status.kind === 'saved' }),
    [workshopId, round.id, dots, scores, status.kind],
  )
  const dotsRound = round.kind === 'dots'

  async function submit(e: FormEvent) {
    e.preventDefault()
    setStatus({ kind: 'sending' })
    const r = await castBallot(workshopId, round.id, dotsRound ? { dots } : { scores })
    setStatus(r.ok ? { kind: 'saved' } : { kind: 'failed', error: r.error })
  }

  return (
    <section className="side-section ballot" data-testid="ballot" aria-labelledby={headingId}>
      <h3 id={headingId}>{round.title || t(dotsRound ? 'vote.headingDots' : 'vote.headingScores')}</h3>
      <form onSubmit={submit}>
        {dotsRound ? (
          <DotsBallot
            round={round}
            titles={titles}
            dots={dots}
            onChange={(d) => (setDots(d), setStatus({ kind: 'editing' }))}
          />
        ) : (
          <ScoresBallot
            round={round}
            titles={titles}
            scores={scores}
            onChange={(s) => (setScores(s), setStatus({ kind: 'editing' }))}
          />
        )}
        <button type="submit" className="btn btn-primary" data-testid="ballot-submit" disabled={status.kind === 'sending'}>
          {status.kind === 'saved' ? t('vote.resubmit') : t('vote.submit')}
        </button>
        <div aria-live="polite">
          {status.kind === 'saved' && (
            <p className="saved-note" data-testid="ballot-saved">
              {t('vote.saved')}
            </p>
          )}
        </div>
        {status.kind === 'failed' && <ErrorMessage code={status.error} />}
      </form>
    </section>
  )
}
