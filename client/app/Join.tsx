/** Join screen: look up the workshop by code, pick a name and a table, get a participant token. */
import { type FormEvent, useEffect, useState } from 'react'
import { API, JoinResponse, ROUTES, WorkshopInfo } from '../../shared/api.ts'
import { MAX_NAME_CHARS } from '../../shared/limits.ts'
import { type ClientErrorCode, useI18n } from '../i18n/index.ts'
import { apiCall } from '../lib/api.ts'
import { ErrorMessage } from '../lib/ErrorMessage.tsx'
import { Page } from '../lib/Page.tsx'
import { navigate } from '../lib/router.ts'
import { loadParticipant, saveJoinCode, saveParticipant } from '../lib/session.ts'

type Lookup =
  | { state: 'loading' }
  | { state: 'failed'; error: ClientErrorCode }
  | { state: 'ok'; info: WorkshopInfo }

export function Join({ code }: { code: string }) {
  const { t } = useI18n()
  const [lookup, setLookup] = useState<Lookup>({ state: 'loading' })
  const [name, setName] = useState('')
  const [tableId, setTableId] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ClientErrorCode | null>(null)

  useEffect(() => {
    let live = true
    setLookup({ state: 'loading' })
    void apiCall(API.lookup(code), WorkshopInfo).then((res) => {
      if (!live) return
      setLookup(res.ok ? { state: 'ok', info: res.data } : { state: 'failed', error: res.error })
    })
    return () => {
      live = false
    }
  }, [code])

  if (lookup.state === 'loading') {
    return (
      <Page>
        <h1>{t('join.heading')}</h1>
        <p role="status">{t('join.loading')}</p>
      </Page>
    )
  }
  if (lookup.state === 'failed') {
    return (
      <Page>
        <h1>{t('join.heading')}</h1>
        <ErrorMessage code={lookup.error} />
        <p>
          <a href={ROUTES.home} onClick={(e) => (e.preventDefault(), navigate(ROUTES.home))}>
            {t('join.backHome')}
          </a>
        </p>
      </Page>
    )
  }

  const { info } = lookup
  const existing = loadParticipant(info.id)

  async function submit(e: FormEvent) {
    e.preventDefault()
    setBusy(true)
    setError(null)
    const res = await apiCall(API.join, JoinResponse, {
      body: { code: info.joinCode, name, tableId },
    })
    setBusy(false)
    if (!res.ok) {
      setError(res.error)
      return
    }
    const { workshopId, token, participantId, tableId: table, name: finalName } = res.data
    saveParticipant(workshopId, { token, participantId, name: finalName, tableId: table })
    saveJoinCode(workshopId, info.joinCode)
    navigate(ROUTES.board(workshopId))
  }

  return (
    <Page>
      <h1>{info.title}</h1>
      {info.question && <p className="lead question">{info.question}</p>}
      {existing && (
        <section className="panel" aria-label={t('join.continueAs', { name: existing.name })}>
          <button
            type="button"
            className="btn btn-primary"
            data-testid="join-continue"
            onClick={() => navigate(ROUTES.board(info.id))}
          >
            {t('join.continueAs', { name: existing.name })}
          </button>
          <p>{t('join.orNew')}</p>
        </section>
      )}
      <section className="panel" aria-labelledby="join-form-heading">
        <h2 id="join-form-heading">{t('join.heading')}</h2>
        <form onSubmit={submit}>
          <label htmlFor="join-name">{t('join.name')}</label>
          <input
            id="join-name"
            data-testid="join-name"
            autoComplete="nickname"
            maxLength={MAX_NAME_CHARS}
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
          />
          <fieldset>
            <legend>{t('join.table')}</legend>
            {info.tables.map((table) => (
              <label
                key={table.id}
                className="radio table-choice"
                style={{ ['--zone' as string]: table.color }}
              >
                <input
                  type="radio"
                  name="table"
                  value={table.id}
                  data-testid={`join-table-${table.perspective}`}
                  checked={tableId === table.id}
                  onChange={() => setTableId(table.id)}
                  required
                />
                <span className={`swatch pattern-${table.pattern}`} aria-hidden="true" />
                {t('join.tableOption', {
                  name: table.name,
                  perspective: t(`perspective.${table.perspective}`),
                })}
              </label>
            ))}
          </fieldset>
          <button
            type="submit"
            className="btn btn-primary"
            data-testid="join-submit"
            disabled={busy}
          >
            {busy ? t('join.busy') : t('join.submit')}
          </button>
          <ErrorMessage code={error} />
        </form>
      </section>
    </Page>
  )
}
