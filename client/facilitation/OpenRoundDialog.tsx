/**
 * The "open a voting round" form, in a modal <dialog> (focus stays inside, Escape closes): which
 * tasks (all by default), dots or scores, the dot limits, and the criteria for scores.
 */
import { type FormEvent, useEffect, useId, useRef, useState } from 'react'
import { DEFAULT_CRITERIA, type Criterion, VoteKind } from '../../shared/control.ts'
import type { Task } from '../../shared/tasks.ts'
import { ErrorMessage } from '../app/ErrorMessage.tsx'
import { type ClientErrorCode, useI18n } from '../i18n/index.ts'
import { openRound } from './roundsApi.ts'

const DEFAULT_DOTS = 3
const DEFAULT_MAX_PER_TASK = 2
const MAX_DOTS = 50

interface Props {
  workshopId: string
  tasks: Task[]
  open: boolean
  onClose(): void
  onOpened(roundId: string): void
}

export function OpenRoundDialog({ workshopId, tasks, open, onClose, onOpened }: Props) {
  const { t, lang } = useI18n()
  const ref = useRef<HTMLDialogElement>(null)
  const headingId = useId()
  const [title, setTitle] = useState('')
  const [kind, setKind] = useState<VoteKind>(VoteKind.Dots)
  const [excluded, setExcluded] = useState<ReadonlySet<string>>(new Set())
  const [dots, setDots] = useState(DEFAULT_DOTS)
  const [maxPerTask, setMaxPerTask] = useState(DEFAULT_MAX_PER_TASK)
  const [criteria, setCriteria] = useState<Criterion[]>(() => [...DEFAULT_CRITERIA[lang]])
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ClientErrorCode | null>(null)

  useEffect(() => {
    const d = ref.current
    if (!d) return
    if (open && !d.open) {
      // every new round starts from the defaults, with all current tasks checked
      setExcluded(new Set())
      setError(null)
      d.showModal()
    } else if (!open && d.open) d.close()
  }, [open])

  const taskIds = tasks.filter((task) => !excluded.has(task.id)).map((task) => task.id)

  async function submit(e: FormEvent) {
    e.preventDefault()
    if (taskIds.length === 0) return
    setBusy(true)
    const r = await openRound(workshopId, {
      title: title.trim(),
      kind,
      taskIds,
      dotsPerPerson: dots,
      maxPerTask: Math.min(maxPerTask, dots),
      ...(kind === VoteKind.Scores ? { criteria: criteria.filter((c) => c.label.trim()).map((c) => ({ ...c, label: c.label.trim() })) } : {}),
    })
    setBusy(false)
    if (r.ok) {
      setTitle('')
      onOpened(r.data.roundId)
    } else setError(r.error)
  }

  const toggle = (id: string) =>
    setExcluded((s) => {
      const next = new Set(s)
      if (next.has(id)) next.delete(id)
      else next.add(id)
      return next
    })

  return (
    <dialog ref={ref} className="round-dialog" aria-labelledby={headingId} onClose={onClose} data-testid="round-dialog">
      {open && (
        <form onSubmit={submit}>
          <h2 id={headingId}>{t('vote.openHeading')}</h2>
          <label>
            {t('vote.roundTitle')}
            <input value={title} maxLength={120} onChange={(e) => setTitle(e.target.value)} />
          </label>
          <fieldset>
            <legend>{t('vote.kind')}</legend>
            <label className="radio">
              <input type="radio" name="round-kind" data-testid="round-kind-dots" checked={kind === VoteKind.Dots} onChange={() => setKind(VoteKind.Dots)} />
              <span>{t('vote.kindDots')}</span>
            </label>
            <label className="radio">
              <input type="radio" name="round-kind" data-testid="round-kind-scores" checked={kind === VoteKind.Scores} onChange={() => setKind(VoteKind.Scores)} />
              <span>{t('vote.kindScores')}</span>
            </label>
          </fieldset>
          <fieldset>
            <legend>{t('vote.tasks', { count: taskIds.length })}</legend>
            {tasks.length === 0 && <p className="hint">{t('vote.noTasks')}</p>}
            {tasks.map((task) => (
              <label key={task.id} className="radio">
                <input type="checkbox" data-testid="round-task" checked={!excluded.has(task.id)} onChange={() => toggle(task.id)} />
                <span>{task.title}</span>
              </label>
            ))}
          </fieldset>
          {kind === VoteKind.Dots ? (
            <div className="inline-form">
              <label className="inline-label">
                <span>{t('vote.dotsPerPerson')}</span>
                <input type="number" className="number-small" data-testid="round-dots" min={1} max={MAX_DOTS} value={dots} onChange={(e) => setDots(Math.max(1, Math.min(MAX_DOTS, Number(e.target.value) || 1)))} />
              </label>
              <label className="inline-label">
                <span>{t('vote.maxPerTaskLabel')}</span>
                <input type="number" className="number-small" data-testid="round-max" min={1} max={MAX_DOTS} value={maxPerTask} onChange={(e) => setMaxPerTask(Math.max(1, Math.min(MAX_DOTS, Number(e.target.value) || 1)))} />
              </label>
            </div>
          ) : (
            <fieldset>
              <legend>{t('vote.criteria')}</legend>
              {criteria.map((c, i) => (
                <label key={c.id} className="inline-label criterion">
                  <span>{t('vote.criterionLabel', { n: i + 1 })}</span>
                  <input
                    value={c.label}
                    maxLength={60}
                    data-testid={`round-criterion-${i}`}
                    onChange={(e) => setCriteria((list) => list.map((x) => (x.id === c.id ? { ...x, label: e.target.value } : x)))}
                  />
                </label>
              ))}
            </fieldset>
          )}
          <ErrorMessage code={error} />
          <div className="button-row">
            <button type="submit" className="btn btn-primary" data-testid="round-submit" disabled={busy || taskIds.length === 0}>
              {t('vote.openSubmit')}
            </button>
            <button type="button" className="btn" onClick={onClose}>
              {t('vote.cancel')}
            </button>
          </div>
        </form>
      )}
    </dialog>
  )
}
