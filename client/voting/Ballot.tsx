/**
 * The participant's ballot while a round is open. Submitting again replaces the earlier ballot
 * (the server keeps one per person); "saved" stays until the ballot is changed. A score ballot is
 * sent only when complete (every task scored or skipped): the form says what is missing, and the
 * server refuses an incomplete one all the same.
 */
import { type FormEvent, useEffect, useId, useMemo, useState } from 'react'
import { type Round, unscoredTasks } from '../../shared/control.ts'
import { ErrorMessage } from '../lib/ErrorMessage.tsx'
import { type ClientErrorCode, useI18n } from '../i18n/index.ts'
import { castBallot } from './ballotApi.ts'
import { loadDraft, saveDraft } from './ballotDraft.ts'
import { DotsBallot } from './DotsBallot.tsx'
import { ScoresBallot } from './ScoresBallot.tsx'

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
  const [dots, setDots] = useState<Record<string, number>>(draft.dots)
  const [scores, setScores] = useState<Record<string, Record<string, number>>>(draft.scores)
  const [skip, setSkip] = useState<string[]>(draft.skip)
  const [status, setStatus] = useState<Status>(
    draft.saved ? { kind: 'saved' } : { kind: 'editing' },
  )
  useEffect(
    () => saveDraft(workshopId, round.id, { dots, scores, skip, saved: status.kind === 'saved' }),
    [workshopId, round.id, dots, scores, skip, status.kind],
  )
  const dotsRound = round.kind === 'dots'
  const skipped = useMemo(() => new Set(skip), [skip])
  const missing = useMemo(
    () =>
      dotsRound ? [] : unscoredTasks(round, (task, c) => scores[task]?.[c] !== undefined, skipped),
    [dotsRound, round, scores, skipped],
  )
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
    const body = dotsRound
      ? { dots }
      : { scores: withoutSkipped(scores, skipped), ...(skip.length && { skip }) }
    const r = await castBallot(workshopId, round.id, body)
    setStatus(r.ok ? { kind: 'saved' } : { kind: 'failed', error: r.error })
  }

  const onSkip = (taskId: string, on: boolean) => {
    setSkip((list) =>
      on ? [...list.filter((id) => id !== taskId), taskId] : list.filter((id) => id !== taskId),
    )
    setStatus((s) => (s.kind === 'incomplete' ? s : { kind: 'editing' }))
  }

  return (
    <section className="side-section ballot" data-testid="ballot" aria-labelledby={headingId}>
      <h3 id={headingId}>
        {round.title || t(dotsRound ? 'vote.headingDots' : 'vote.headingScores')}
      </h3>
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
            skipped={skipped}
            missing={shownMissing}
            onChange={(s) => (
              setScores(s),
              setStatus((st) => (st.kind === 'incomplete' ? st : { kind: 'editing' }))
            )}
            onSkip={onSkip}
          />
        )}
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

/** Scores of skipped tasks stay in the draft (unskipping brings them back) but are not sent. */
function withoutSkipped(
  scores: Record<string, Record<string, number>>,
  skipped: ReadonlySet<string>,
) {
  return Object.fromEntries(Object.entries(scores).filter(([taskId]) => !skipped.has(taskId)))
}
