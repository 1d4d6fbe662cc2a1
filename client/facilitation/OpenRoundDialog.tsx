/**
 * The "open a voting round" form, in a modal <dialog> (focus stays inside, Escape closes): which
 * tasks (all by default, or the top N of an earlier revealed round), the kind, and that kind's
 * own settings, whose form comes from the kind's client module (client/voting/kinds/). For the
 * top N the server picks the tasks; the form shows the same pick beforehand (shared ranking, ties
 * at the cut included).
 */
import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from 'react'
import { VoteKind } from '../../shared/control.ts'
import { topTaskIds } from '../../shared/control-actions.ts'
import type { Task } from '../../shared/tasks.ts'
import { ErrorMessage } from '../lib/ErrorMessage.tsx'
import { type ClientErrorCode, useI18n } from '../i18n/index.ts'
import { roundName } from '../voting/roundName.ts'
import { CLIENT_KINDS, CLIENT_KIND_LIST } from '../voting/kinds/index.ts'
import { KindSettingsForm, initialSettings, kindRequest } from '../voting/kinds/settings.tsx'
import { openRound } from './roundsApi.ts'
import type { RevealedRound } from '../model/useControl.ts'
import { NumberField } from '../widgets/NumberField.tsx'

const DEFAULT_TOP = 3
const MAX_TOP = 100

interface Props {
  workshopId: string
  tasks: Task[]
  /** Revealed rounds, oldest first: a new round can take the top N of one. */
  earlier: RevealedRound[]
  open: boolean
  onClose(): void
  onOpened(roundId: string): void
}

export function OpenRoundDialog({ workshopId, tasks, earlier, open, onClose, onOpened }: Props) {
  const { t, lang } = useI18n()
  const ref = useRef<HTMLDialogElement>(null)
  const headingId = useId()
  const [title, setTitle] = useState('')
  const [kind, setKind] = useState<VoteKind>(VoteKind.Dots)
  const [excluded, setExcluded] = useState<ReadonlySet<string>>(new Set())
  const [settings, setSettings] = useState(() => initialSettings(lang))
  const [source, setSource] = useState<'pick' | 'top'>('pick')
  const [fromRoundId, setFromRoundId] = useState<string | null>(null)
  const [top, setTop] = useState(DEFAULT_TOP)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ClientErrorCode | null>(null)

  useEffect(() => {
    const d = ref.current
    if (!d) return
    if (open && !d.open) {
      // every new round starts from the defaults, with all current tasks checked
      setExcluded(new Set())
      setError(null)
      setSource('pick')
      setFromRoundId(null)
      d.showModal()
    } else if (!open && d.open) d.close()
  }, [open])

  const from = earlier.find((r) => r.round.id === fromRoundId) ?? earlier.at(-1) ?? null
  const topIds = useMemo(
    () =>
      from ? topTaskIds(from.round, from.tally, top, new Set(tasks.map((task) => task.id))) : [],
    [from, top, tasks],
  )
  const titleOf = new Map(tasks.map((task) => [task.id, task.title]))
  const taskIds =
    source === 'top'
      ? topIds
      : tasks.filter((task) => !excluded.has(task.id)).map((task) => task.id)

  async function submit(e: FormEvent) {
    e.preventDefault()
    if (taskIds.length === 0) return
    setBusy(true)
    const r = await openRound(workshopId, {
      title: title.trim(),
      ...(source === 'top' && from ? { fromRound: { roundId: from.round.id, top } } : { taskIds }),
      // each kind takes its own settings only (shared/vote-kinds/)
      ...kindRequest(kind, settings),
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
    <dialog
      ref={ref}
      className="round-dialog"
      aria-labelledby={headingId}
      onClose={onClose}
      data-testid="round-dialog"
    >
      {open && (
        <form onSubmit={submit}>
          <h2 id={headingId}>{t('vote.openHeading')}</h2>
          <label>
            {t('vote.roundTitle')}
            <input value={title} maxLength={120} onChange={(e) => setTitle(e.target.value)} />
          </label>
          <fieldset>
            <legend>{t('vote.kind')}</legend>
            {CLIENT_KIND_LIST.map((k) => (
              <label key={k} className="radio">
                <input
                  type="radio"
                  name="round-kind"
                  data-testid={`round-kind-${k}`}
                  checked={kind === k}
                  onChange={() => setKind(k)}
                />
                <span>{t(CLIENT_KINDS[k].settings.label)}</span>
              </label>
            ))}
          </fieldset>
          {earlier.length > 0 && (
            <fieldset>
              <legend>{t('round.source')}</legend>
              <label className="radio">
                <input
                  type="radio"
                  name="round-source"
                  data-testid="round-source-pick"
                  checked={source === 'pick'}
                  onChange={() => setSource('pick')}
                />
                <span>{t('round.sourcePick')}</span>
              </label>
              <label className="radio">
                <input
                  type="radio"
                  name="round-source"
                  data-testid="round-source-top"
                  checked={source === 'top'}
                  onChange={() => setSource('top')}
                />
                <span>{t('round.sourceTop')}</span>
              </label>
              {source === 'top' && (
                <div className="inline-form round-top">
                  <NumberField
                    label={t('round.topCount')}
                    testId="round-top-n"
                    min={1}
                    max={MAX_TOP}
                    value={top}
                    onChange={(typed) => setTop(Math.max(1, Math.min(MAX_TOP, Number(typed) || 1)))}
                  />
                  <label className="inline-label">
                    <span>{t('round.topOf')}</span>
                    <select
                      data-testid="round-top-from"
                      value={from?.round.id ?? ''}
                      onChange={(e) => setFromRoundId(e.target.value)}
                    >
                      {earlier.map((r) => (
                        <option key={r.round.id} value={r.round.id}>
                          {roundName(t, r.round, r.number)}
                        </option>
                      ))}
                    </select>
                  </label>
                </div>
              )}
            </fieldset>
          )}
          <fieldset>
            <legend>{t('vote.tasks', { count: taskIds.length })}</legend>
            {tasks.length === 0 && <p className="hint">{t('vote.noTasks')}</p>}
            {source === 'top' ? (
              <>
                {topIds.length > Math.min(top, topIds.length) && (
                  <p className="hint">{t('round.topTies')}</p>
                )}
                <ol className="round-top-list" data-testid="round-top-list">
                  {topIds.map((id) => (
                    <li key={id}>{titleOf.get(id) ?? t('task.unknown')}</li>
                  ))}
                </ol>
              </>
            ) : (
              tasks.map((task) => (
                <label key={task.id} className="radio">
                  <input
                    type="checkbox"
                    data-testid="round-task"
                    checked={!excluded.has(task.id)}
                    onChange={() => toggle(task.id)}
                  />
                  <span>{task.title}</span>
                </label>
              ))
            )}
          </fieldset>
          <KindSettingsForm kind={kind} drafts={settings} onChange={setSettings} />
          <ErrorMessage code={error} />
          <div className="button-row">
            <button
              type="submit"
              className="btn btn-primary"
              data-testid="round-submit"
              disabled={busy || taskIds.length === 0}
            >
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
