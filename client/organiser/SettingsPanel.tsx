/**
 * Workshop settings for the organiser: title, question, language, anonymity and who may change
 * what (cards; statement and principles). They are changed
 * through the settings route, never by writing the board's meta: the workshop row owns them and
 * the server mirrors them to every screen. The form starts from the server's current values.
 */
import { type FormEvent, useEffect, useId, useState } from 'react'
import { API, WorkshopInfo, WorkshopSettings } from '../../shared/api.ts'
import { MAX_TITLE_CHARS } from '../../shared/limits.ts'
import { Anonymity, CARD_EDIT_SCOPES } from '../../shared/schema.ts'
import { MIN_TABLE_VOTERS_RANGE } from '../../shared/tally-privacy.ts'
import { apiCall } from '../lib/api.ts'
import { ErrorMessage } from '../lib/ErrorMessage.tsx'
import { type ClientErrorCode, LANGS, useI18n } from '../i18n/index.ts'

const ANONYMITY: Anonymity[] = [Anonymity.Table, Anonymity.Anonymous, Anonymity.Named]
/** The create form's bound for the question, so a question that could be created can be kept. */
const QUESTION_MAX_CHARS = 400

export function SettingsPanel({ workshopId, orgKey }: { workshopId: string; orgKey: string }) {
  const { t } = useI18n()
  const headingId = useId()
  const fieldId = useId()
  const [form, setForm] = useState<WorkshopSettings | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ClientErrorCode | null>(null)
  const [status, setStatus] = useState('')

  useEffect(() => {
    let cancelled = false
    void apiCall(API.workshop(workshopId), WorkshopInfo, { token: orgKey }).then((r) => {
      if (cancelled) return
      if (r.ok) {
        const { title, question, language, anonymity, cardScope, sharedTextOpen, minTableVoters } =
          r.data
        setForm({ title, question, language, anonymity, cardScope, sharedTextOpen, minTableVoters })
      } else setError(r.error)
    })
    return () => {
      cancelled = true
    }
  }, [workshopId, orgKey])

  async function save(e: FormEvent) {
    e.preventDefault()
    if (!form) return
    setBusy(true)
    setError(null)
    setStatus('')
    const r = await apiCall(API.settings(workshopId), WorkshopSettings, {
      method: 'PATCH',
      body: form,
      token: orgKey,
    })
    setBusy(false)
    if (!r.ok) {
      setError(r.error)
      return
    }
    setForm(r.data)
    setStatus(t('settings.saved'))
  }

  const set = <K extends keyof WorkshopSettings>(key: K, value: WorkshopSettings[K]) => {
    setStatus('')
    setForm((f) => f && { ...f, [key]: value })
  }

  return (
    <section className="org-section" aria-labelledby={headingId} data-testid="settings-panel">
      <h2 id={headingId}>{t('settings.heading')}</h2>
      {form ? (
        <form onSubmit={(e) => void save(e)}>
          <label htmlFor={`${fieldId}-title`}>{t('home.create.title')}</label>
          <input
            id={`${fieldId}-title`}
            data-testid="settings-title"
            maxLength={MAX_TITLE_CHARS}
            value={form.title}
            onChange={(e) => set('title', e.target.value)}
            required
          />
          <label htmlFor={`${fieldId}-question`}>{t('home.create.question')}</label>
          <textarea
            id={`${fieldId}-question`}
            data-testid="settings-question"
            rows={2}
            maxLength={QUESTION_MAX_CHARS}
            value={form.question}
            onChange={(e) => set('question', e.target.value)}
          />
          <label htmlFor={`${fieldId}-language`}>{t('home.create.language')}</label>
          <select
            id={`${fieldId}-language`}
            data-testid="settings-language"
            value={form.language}
            onChange={(e) => set('language', e.target.value === 'en' ? 'en' : 'nl')}
          >
            {LANGS.map((l) => (
              <option key={l} value={l}>
                {t(`lang.name.${l}`)}
              </option>
            ))}
          </select>
          <fieldset>
            <legend>{t('home.create.anonymity')}</legend>
            {ANONYMITY.map((a) => (
              <label key={a} className="radio">
                <input
                  type="radio"
                  name={`${fieldId}-anonymity`}
                  value={a}
                  data-testid={`settings-anonymity-${a}`}
                  checked={form.anonymity === a}
                  onChange={() => set('anonymity', a)}
                />
                {t(`home.create.anonymity.${a}`)}
              </label>
            ))}
          </fieldset>
          <label htmlFor={`${fieldId}-min-voters`}>{t('settings.minTableVoters')}</label>
          <input
            id={`${fieldId}-min-voters`}
            data-testid="settings-min-table-voters"
            type="number"
            min={MIN_TABLE_VOTERS_RANGE.min}
            max={MIN_TABLE_VOTERS_RANGE.max}
            aria-describedby={`${fieldId}-min-voters-hint`}
            value={form.minTableVoters}
            onChange={(e) => set('minTableVoters', Number(e.target.value))}
            required
          />
          <p className="hint" id={`${fieldId}-min-voters-hint`}>
            {t('settings.minTableVotersHint')}
          </p>
          <fieldset aria-describedby={`${fieldId}-scope-hint`}>
            <legend>{t('perm.cardScope')}</legend>
            {CARD_EDIT_SCOPES.map((scope) => (
              <label key={scope} className="radio">
                <input
                  type="radio"
                  name={`${fieldId}-card-scope`}
                  value={scope}
                  data-testid={`settings-card-scope-${scope}`}
                  checked={form.cardScope === scope}
                  onChange={() => set('cardScope', scope)}
                />
                {t(`perm.cardScope.${scope}`)}
              </label>
            ))}
            <p className="hint" id={`${fieldId}-scope-hint`}>
              {t('perm.cardScopeHint')}
            </p>
          </fieldset>
          <fieldset>
            <legend>{t('perm.sharedText')}</legend>
            <label className="radio">
              <input
                type="checkbox"
                data-testid="settings-shared-text-open"
                checked={form.sharedTextOpen}
                onChange={(e) => set('sharedTextOpen', e.target.checked)}
              />
              {t('perm.sharedTextOpen')}
            </label>
          </fieldset>
          <p className="hint">{t('settings.hint')}</p>
          <div className="org-buttons">
            <button
              type="submit"
              className="btn btn-primary"
              data-testid="settings-save"
              disabled={busy}
            >
              {busy ? t('settings.saving') : t('settings.save')}
            </button>
          </div>
        </form>
      ) : (
        !error && <p role="status">{t('board.loading')}</p>
      )}
      <p role="status" data-testid="settings-status">
        {status}
      </p>
      <ErrorMessage code={error} />
    </section>
  )
}
