/**
 * Co-facilitator links in the organiser menu (issue #11 point 2): make one for a colleague (the
 * link is shown once: the server keeps only its hash) and revoke it, which closes its board at once.
 */
import { useCallback, useEffect, useId, useState } from 'react'
import {
  CO_FACILITATOR_API,
  type CoFacilitatorInfo,
  CoFacilitatorList,
  CreateCoFacilitatorResponse,
  RevokeCoFacilitatorResponse,
} from '../../shared/api.ts'
import { MAX_NAME_CHARS } from '../../shared/limits.ts'
import { apiCall } from '../lib/api.ts'
import { ErrorMessage } from '../lib/ErrorMessage.tsx'
import { type ClientErrorCode, useI18n } from '../i18n/index.ts'
import { formatDateTime } from '../lib/replay-format.ts'
import { CopyField } from './CopyField.tsx'

export function CoFacilitatorPanel({ workshopId, orgKey }: { workshopId: string; orgKey: string }) {
  const { t, lang } = useI18n()
  const headingId = useId()
  const [links, setLinks] = useState<CoFacilitatorInfo[] | null>(null)
  const [label, setLabel] = useState('')
  const [made, setMade] = useState<CreateCoFacilitatorResponse | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ClientErrorCode | null>(null)
  const [status, setStatus] = useState('')

  const load = useCallback(async () => {
    const r = await apiCall(CO_FACILITATOR_API.links(workshopId), CoFacilitatorList, {
      token: orgKey,
    })
    if (r.ok) setLinks(r.data.links.filter((l) => l.revokedAt === null))
    else setError(r.error)
  }, [workshopId, orgKey])
  useEffect(() => {
    void load()
  }, [load])

  async function make() {
    setBusy(true)
    setError(null)
    const r = await apiCall(CO_FACILITATOR_API.links(workshopId), CreateCoFacilitatorResponse, {
      token: orgKey,
      body: { label: label.trim() },
    })
    setBusy(false)
    if (!r.ok) return setError(r.error)
    setMade(r.data)
    setLabel('')
    await load()
  }

  async function revoke(link: CoFacilitatorInfo) {
    setBusy(true)
    setError(null)
    const r = await apiCall(
      CO_FACILITATOR_API.link(workshopId, link.id),
      RevokeCoFacilitatorResponse,
      { token: orgKey, method: 'DELETE' },
    )
    setBusy(false)
    if (!r.ok) return setError(r.error)
    if (made?.id === link.id) setMade(null)
    setStatus(t('co.revoked', { name: link.label || t('co.unnamed') }))
    await load()
  }

  return (
    <section className="org-section" aria-labelledby={headingId} data-testid="co-panel">
      <h2 id={headingId}>{t('co.heading')}</h2>
      <p className="hint">{t('co.hint')}</p>
      <form
        className="org-inline-form"
        onSubmit={(e) => {
          e.preventDefault()
          void make()
        }}
      >
        <label>
          <span>{t('co.label')}</span>
          <input
            value={label}
            maxLength={MAX_NAME_CHARS}
            onChange={(e) => setLabel(e.target.value)}
          />
        </label>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {t('co.make')}
        </button>
      </form>
      {made && (
        <div className="org-confirm">
          <p className="handover-warning">{t('co.shownOnce')}</p>
          <CopyField
            label={t('co.link', { name: made.label || t('co.unnamed') })}
            value={made.link}
            onCopied={(ok) =>
              setStatus(
                ok ? t('handover.copied', { what: t('co.linkShort') }) : t('handover.copyFailed'),
              )
            }
            testId="co-link"
          />
        </div>
      )}
      <p role="status" className="hint">
        {status}
      </p>
      <ErrorMessage code={error} />
      {links && links.length > 0 && (
        <ul className="snap-list">
          {links.map((l) => (
            <li key={l.id} className="snap-item">
              <p className="snap-title">
                <strong>{l.label || t('co.unnamed')}</strong>
                <br />
                <time className="hint" dateTime={new Date(l.createdAt).toISOString()}>
                  {formatDateTime(lang, l.createdAt)}
                </time>
              </p>
              <div className="org-buttons">
                <button
                  type="button"
                  className="btn btn-small btn-danger"
                  disabled={busy}
                  onClick={() => void revoke(l)}
                >
                  {t('co.revoke', { name: l.label || t('co.unnamed') })}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
