/** Start page: create a workshop (facilitator) or join one with a code. */
import { type FormEvent, useEffect, useState } from 'react'
import {
  API,
  CreateWorkshopResponse,
  JOIN_CODE_LENGTH,
  ROUTES,
  ServerConfigResponse,
  normalizeJoinCode,
} from '../../shared/api.ts'
import { Anonymity } from '../../shared/schema.ts'
import { MAX_TITLE_CHARS } from '../../shared/limits.ts'
import { type ClientErrorCode, type Lang, LANGS, useI18n } from '../i18n/index.ts'
import { apiCall } from '../lib/api.ts'
import { ErrorMessage } from '../lib/ErrorMessage.tsx'
import { Page } from '../lib/Page.tsx'
import { navigate, useLocation } from '../lib/router.ts'
import { saveFacilitatorKey, saveJoinCode } from '../lib/session.ts'
import { MyWorkshops } from '../organiser/MyWorkshops.tsx'
import { saveWorkshopMeta } from '../organiser/myWorkshops.ts'
import { handoverOf, handoverPath } from '../organiser/links.ts'
import { Handover } from './Handover.tsx'

const ANONYMITY: Anonymity[] = [Anonymity.Table, Anonymity.Anonymous, Anonymity.Named]

/** The start page, or the handover of one workshop when the hash names it (`/#handover=<id>`). */
export function Home() {
  const { hash } = useLocation()
  const handover = handoverOf(hash)
  if (handover) return <Handover key={handover} workshopId={handover} />
  return <Start />
}

function Start() {
  const { t, lang } = useI18n()
  const [title, setTitle] = useState('')
  const [question, setQuestion] = useState('')
  const [language, setLanguage] = useState<Lang>(lang)
  const [anonymity, setAnonymity] = useState<Anonymity>(Anonymity.Table)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ClientErrorCode | null>(null)
  const [code, setCode] = useState('')
  // shown only when the server says it creates workshops with an organiser key (CREATE_KEY)
  const [createKeyRequired, setCreateKeyRequired] = useState(false)
  const [createKey, setCreateKey] = useState('')

  useEffect(() => {
    let live = true
    void apiCall(API.config, ServerConfigResponse).then((res) => {
      if (live && res.ok) setCreateKeyRequired(res.data.createKeyRequired)
    })
    return () => {
      live = false
    }
  }, [])

  async function create(e: FormEvent) {
    e.preventDefault()
    setBusy(true)
    setError(null)
    const body = { title, language, anonymity, ...(question.trim() ? { question } : {}) }
    const key = createKey.trim()
    const res = await apiCall(API.workshops, CreateWorkshopResponse, {
      body,
      ...(key ? { token: key } : {}),
    })
    setBusy(false)
    if (!res.ok) {
      if (res.error === 'CREATE_KEY_REQUIRED') setCreateKeyRequired(true)
      setError(res.error)
      return
    }
    saveFacilitatorKey(res.data.id, res.data.facilitatorKey)
    saveJoinCode(res.data.id, res.data.joinCode)
    // the list's date until the server is asked: this device's clock at creation
    saveWorkshopMeta(res.data.id, { title: title.trim(), createdAt: Date.now() })
    navigate(handoverPath(res.data.id))
  }

  function join(e: FormEvent) {
    e.preventDefault()
    const clean = normalizeJoinCode(code)
    if (clean) navigate(ROUTES.join(clean))
  }

  return (
    <Page>
      <h1>{t('home.title')}</h1>
      <p className="lead">{t('home.tagline')}</p>
      <div className="home-grid">
        <section aria-labelledby="join-heading" className="panel">
          <h2 id="join-heading">{t('home.join.heading')}</h2>
          <form onSubmit={join}>
            <label htmlFor="join-code">{t('home.join.code')}</label>
            <input
              id="join-code"
              data-testid="join-code"
              className="code-input"
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              maxLength={JOIN_CODE_LENGTH * 2}
              aria-describedby="join-code-hint"
              value={code}
              onChange={(e) => setCode(e.target.value)}
              required
            />
            <p id="join-code-hint" className="hint">
              {t('home.join.codeHint')}
            </p>
            <button type="submit" className="btn btn-primary">
              {t('home.join.submit')}
            </button>
          </form>
        </section>
        <section aria-labelledby="create-heading" className="panel">
          <h2 id="create-heading">{t('home.create.heading')}</h2>
          <form onSubmit={create}>
            <label htmlFor="create-title">{t('home.create.title')}</label>
            <input
              id="create-title"
              data-testid="create-title"
              maxLength={MAX_TITLE_CHARS}
              value={title}
              onChange={(e) => setTitle(e.target.value)}
              required
            />
            <label htmlFor="create-question">{t('home.create.question')}</label>
            <textarea
              id="create-question"
              data-testid="create-question"
              rows={2}
              maxLength={400}
              aria-describedby="create-question-hint"
              value={question}
              onChange={(e) => setQuestion(e.target.value)}
            />
            <p id="create-question-hint" className="hint">
              {t('home.create.questionHint')}
            </p>
            <label htmlFor="create-language">{t('home.create.language')}</label>
            <select
              id="create-language"
              data-testid="create-language"
              value={language}
              onChange={(e) => setLanguage(e.target.value === 'en' ? 'en' : 'nl')}
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
                    name="anonymity"
                    value={a}
                    checked={anonymity === a}
                    onChange={() => setAnonymity(a)}
                  />
                  {t(`home.create.anonymity.${a}`)}
                </label>
              ))}
            </fieldset>
            {createKeyRequired && (
              <>
                <label htmlFor="create-key">{t('home.create.createKey')}</label>
                <input
                  id="create-key"
                  data-testid="create-key"
                  type="password"
                  autoComplete="off"
                  spellCheck={false}
                  aria-describedby="create-key-hint"
                  value={createKey}
                  onChange={(e) => setCreateKey(e.target.value)}
                  required
                />
                <p id="create-key-hint" className="hint">
                  {t('home.create.createKeyHint')}
                </p>
              </>
            )}
            <button
              type="submit"
              className="btn btn-primary"
              data-testid="create-submit"
              disabled={busy}
            >
              {busy ? t('home.create.busy') : t('home.create.submit')}
            </button>
            <ErrorMessage code={error} />
          </form>
        </section>
      </div>
      <MyWorkshops />
    </Page>
  )
}
