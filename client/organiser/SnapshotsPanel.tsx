/**
 * Snapshots for the organiser: list, save with a label, open (the caller decides how), compare two
 * (or one with now), restore after a confirmation, and start a follow-up workshop from one.
 */
import { useCallback, useEffect, useId, useState } from 'react'
import { CreateWorkshopResponse, HISTORY_API, LIVE, ROUTES } from '../../shared/api.ts'
import { handoverPath } from './links.ts'
import './handover.css'
import { saveWorkshopMeta } from './myWorkshops.ts'
import { type SnapshotInfo, SnapshotInfoSchema } from '../../shared/history.ts'
import { MAX_TITLE_CHARS } from '../../shared/limits.ts'
import { apiCall } from '../lib/api.ts'
import { ErrorMessage } from '../lib/ErrorMessage.tsx'
import { saveFacilitatorKey, saveJoinCode } from '../lib/session.ts'
import { type ClientErrorCode, useI18n } from '../i18n/index.ts'
import { formatDateTime } from '../lib/replay-format.ts'
import { DiffView } from './DiffView.tsx'
import {
  type BoardDiffReply,
  BoardDiffSchema,
  RestoreReplySchema,
  SnapshotListSchema,
} from './schemas.ts'

const MAX_LABEL_CHARS = 120

interface Props {
  workshopId: string
  orgKey: string
  /** Show the board as it was at this snapshot. */
  onOpen(snapshot: SnapshotInfo): void
  onListChange?(list: SnapshotInfo[]): void
  /** A restore wrote new edits: the caller may want to reload what it shows. */
  onRestored?(): void
}

type Pending = { kind: 'restore'; id: string } | { kind: 'followUp'; id: string } | null

export function SnapshotsPanel({ workshopId, orgKey, onOpen, onListChange, onRestored }: Props) {
  const { t, lang } = useI18n()
  const headingId = useId()
  const [list, setList] = useState<SnapshotInfo[] | null>(null)
  const [error, setError] = useState<ClientErrorCode | null>(null)
  const [status, setStatus] = useState('')
  const [label, setLabel] = useState('')
  const [busy, setBusy] = useState(false)
  const [pending, setPending] = useState<Pending>(null)
  /** The follow-up just made: offered in a new tab, so this workshop stays open here. */
  const [started, setStarted] = useState<{ id: string; title: string } | null>(null)

  const load = useCallback(async () => {
    const r = await apiCall(HISTORY_API.snapshots(workshopId), SnapshotListSchema, {
      token: orgKey,
    })
    if (!r.ok) return setError(r.error)
    const sorted = [...r.data].sort((a, b) => b.createdAt - a.createdAt)
    setList(sorted)
    onListChange?.(sorted)
  }, [workshopId, orgKey, onListChange])

  useEffect(() => {
    void load()
  }, [load])

  async function save() {
    setBusy(true)
    setError(null)
    const r = await apiCall(HISTORY_API.snapshots(workshopId), SnapshotInfoSchema, {
      token: orgKey,
      body: { label: label.trim() },
    })
    setBusy(false)
    if (!r.ok) return setError(r.error)
    setLabel('')
    setStatus(t('snap.saved', { label: r.data.label || t(`snap.kind.${r.data.kind}`) }))
    await load()
  }

  async function restore(id: string) {
    setBusy(true)
    setError(null)
    const r = await apiCall(HISTORY_API.restore(workshopId, id), RestoreReplySchema, {
      token: orgKey,
      method: 'POST',
      body: {},
    })
    setBusy(false)
    setPending(null)
    if (!r.ok) return setError(r.error)
    setStatus(t('snap.restored'))
    await load()
    onRestored?.()
  }

  async function followUp(id: string, title: string) {
    setBusy(true)
    setError(null)
    const r = await apiCall(HISTORY_API.followUp(workshopId, id), CreateWorkshopResponse, {
      token: orgKey,
      body: { title },
    })
    setBusy(false)
    if (!r.ok) return setError(r.error)
    // all the new board's header needs, so it is complete when opened in the other tab
    saveFacilitatorKey(r.data.id, r.data.facilitatorKey)
    saveJoinCode(r.data.id, r.data.joinCode)
    saveWorkshopMeta(r.data.id, { title, createdAt: Date.now() })
    setPending(null)
    setStarted({ id: r.data.id, title })
  }

  const name = (s: SnapshotInfo) => s.label || t(`snap.kind.${s.kind}`)

  return (
    <section className="org-section" aria-labelledby={headingId} data-testid="snap-panel">
      <h2 id={headingId}>{t('snap.heading')}</h2>
      <form
        className="org-inline-form"
        onSubmit={(e) => {
          e.preventDefault()
          void save()
        }}
      >
        <label>
          <span>{t('snap.label')}</span>
          <input
            data-testid="snap-label"
            value={label}
            maxLength={MAX_LABEL_CHARS}
            onChange={(e) => setLabel(e.target.value)}
          />
        </label>
        <button type="submit" className="btn btn-primary" data-testid="snap-save" disabled={busy}>
          {t('snap.save')}
        </button>
      </form>
      <p role="status" className="hint">
        {status}
      </p>
      <ErrorMessage code={error} />
      {started && (
        <div className="org-confirm" role="group" aria-label={t('snap.followUpReady')}>
          <p role="status">{t('snap.followUpReadyText', { title: started.title })}</p>
          <div className="org-buttons">
            <a
              className="btn btn-primary"
              href={`${ROUTES.board(started.id)}/facilitate`}
              target="_blank"
              rel="noopener"
              data-testid="snap-follow-up-open"
            >
              {t('snap.followUpOpen')}
            </a>
            <a className="btn" href={handoverPath(started.id)} target="_blank" rel="noopener">
              {t('snap.followUpLinks')}
            </a>
          </div>
        </div>
      )}
      {list === null ? (
        <p className="hint">{t('snap.loading')}</p>
      ) : list.length === 0 ? (
        <p className="hint">{t('snap.empty')}</p>
      ) : (
        <ul className="snap-list" data-testid="snap-list">
          {list.map((s) => (
            <li key={s.id} className="snap-item" data-testid="snap-item" data-snapshot-id={s.id}>
              <p className="snap-title">
                {/* an unlabelled snapshot is named by its kind alone, not "Automatisch Automatisch" */}
                <span className={`snap-kind snap-kind-${s.kind}`}>{t(`snap.kind.${s.kind}`)}</span>
                {s.label && (
                  <>
                    {' '}
                    <strong>{s.label}</strong>
                  </>
                )}
                <br />
                <time className="hint" dateTime={new Date(s.createdAt).toISOString()}>
                  {formatDateTime(lang, s.createdAt)}
                </time>
              </p>
              <div className="org-buttons">
                <button
                  type="button"
                  className="btn btn-small"
                  data-testid="snap-open"
                  onClick={() => onOpen(s)}
                >
                  {t('snap.open')}
                  <span className="visually-hidden">: {name(s)}</span>
                </button>
                <button
                  type="button"
                  className="btn btn-small"
                  data-testid="snap-restore"
                  aria-expanded={pending?.kind === 'restore' && pending.id === s.id}
                  onClick={() => setPending({ kind: 'restore', id: s.id })}
                >
                  {t('snap.restore')}
                  <span className="visually-hidden">: {name(s)}</span>
                </button>
                <button
                  type="button"
                  className="btn btn-small"
                  data-testid="snap-follow-up"
                  aria-expanded={pending?.kind === 'followUp' && pending.id === s.id}
                  onClick={() => setPending({ kind: 'followUp', id: s.id })}
                >
                  {t('snap.followUp')}
                  <span className="visually-hidden">: {name(s)}</span>
                </button>
              </div>
              {pending?.id === s.id && pending.kind === 'restore' && (
                <div className="org-confirm" role="group" aria-label={t('snap.restore')}>
                  <p>{t('snap.restoreWarning', { label: name(s) })}</p>
                  <div className="org-buttons">
                    <button
                      type="button"
                      className="btn btn-danger"
                      data-testid="snap-restore-confirm"
                      disabled={busy}
                      autoFocus
                      onClick={() => void restore(s.id)}
                    >
                      {t('snap.restoreConfirm')}
                    </button>
                    <button type="button" className="btn" onClick={() => setPending(null)}>
                      {t('org.cancel')}
                    </button>
                  </div>
                </div>
              )}
              {pending?.id === s.id && pending.kind === 'followUp' && (
                <FollowUpForm
                  busy={busy}
                  onCancel={() => setPending(null)}
                  onSubmit={(title) => void followUp(s.id, title)}
                />
              )}
            </li>
          ))}
        </ul>
      )}
      {list && list.length > 0 && (
        <Compare workshopId={workshopId} orgKey={orgKey} list={list} name={name} />
      )}
    </section>
  )
}

function FollowUpForm({
  busy,
  onSubmit,
  onCancel,
}: {
  busy: boolean
  onSubmit(title: string): void
  onCancel(): void
}) {
  const { t } = useI18n()
  const [title, setTitle] = useState('')
  return (
    <form
      className="org-confirm"
      onSubmit={(e) => {
        e.preventDefault()
        if (title.trim()) onSubmit(title.trim())
      }}
    >
      <label>
        <span>{t('snap.followUpTitle')}</span>
        <input
          data-testid="snap-follow-up-title"
          value={title}
          maxLength={MAX_TITLE_CHARS}
          required
          autoFocus
          onChange={(e) => setTitle(e.target.value)}
        />
      </label>
      <p className="hint">{t('snap.followUpHint')}</p>
      <div className="org-buttons">
        <button
          type="submit"
          className="btn btn-primary"
          data-testid="snap-follow-up-start"
          disabled={busy || !title.trim()}
        >
          {t('snap.followUpStart')}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          {t('org.cancel')}
        </button>
      </div>
    </form>
  )
}

function Compare({
  workshopId,
  orgKey,
  list,
  name,
}: {
  workshopId: string
  orgKey: string
  list: SnapshotInfo[]
  name(s: SnapshotInfo): string
}) {
  const { t, lang } = useI18n()
  const headingId = useId()
  const [a, setA] = useState(list[list.length - 1]?.id ?? '')
  const [b, setB] = useState<string>(LIVE)
  const [diff, setDiff] = useState<{ run: number; data: BoardDiffReply } | null>(null)
  const [error, setError] = useState<ClientErrorCode | null>(null)
  const [busy, setBusy] = useState(false)
  const optionText = (s: SnapshotInfo) => `${name(s)} (${formatDateTime(lang, s.createdAt)})`

  async function compare() {
    setBusy(true)
    setError(null)
    const r = await apiCall(HISTORY_API.compare(workshopId, a, b), BoardDiffSchema, {
      token: orgKey,
    })
    setBusy(false)
    if (!r.ok) return setError(r.error)
    setDiff((d) => ({ run: (d?.run ?? 0) + 1, data: r.data }))
  }

  return (
    <div className="snap-compare" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('snap.compare')}</h3>
      <form
        className="org-inline-form"
        onSubmit={(e) => {
          e.preventDefault()
          void compare()
        }}
      >
        <label>
          <span>{t('snap.compareA')}</span>
          <select data-testid="snap-compare-a" value={a} onChange={(e) => setA(e.target.value)}>
            {list.map((s) => (
              <option key={s.id} value={s.id}>
                {optionText(s)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('snap.compareB')}</span>
          <select data-testid="snap-compare-b" value={b} onChange={(e) => setB(e.target.value)}>
            <option value={LIVE}>{t('snap.now')}</option>
            {list.map((s) => (
              <option key={s.id} value={s.id}>
                {optionText(s)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn" data-testid="snap-compare" disabled={busy || !a}>
          {t('snap.compareRun')}
        </button>
      </form>
      <ErrorMessage code={error} />
      <div aria-live="polite">
        {/* keyed per run, so a new comparison starts with its long lists shortened again */}
        {diff && <DiffView key={diff.run} diff={diff.data} headingId={headingId} />}
      </div>
    </div>
  )
}
