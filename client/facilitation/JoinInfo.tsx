/**
 * Join code, QR and projector link for the facilitator. The facilitator link carries no join code,
 * so it is asked from the server (who-am-i) when this device does not know it yet.
 */
import { useEffect, useId, useState } from 'react'
import { API, ROUTES, WhoAmIResponse, formatJoinCode } from '../../shared/api.ts'
import { apiCall } from '../lib/api.ts'
import { loadFacilitatorKey, saveJoinCode } from '../lib/session.ts'
import { useI18n } from '../i18n/index.ts'

/** `ask`: whether to ask the server at all (only a facilitator's key can). */
export function useJoinCode(workshopId: string, known: string | null, ask = true): string | null {
  const [code, setCode] = useState(known)
  useEffect(() => {
    if (code || !ask) return
    let cancelled = false
    void apiCall(API.whoami(workshopId), WhoAmIResponse, {
      token: loadFacilitatorKey(workshopId) ?? undefined,
    }).then((r) => {
      if (cancelled || !r.ok) return
      saveJoinCode(workshopId, r.data.joinCode)
      setCode(r.data.joinCode)
    })
    return () => {
      cancelled = true
    }
  }, [workshopId, code, ask])
  return code
}

export function JoinInfo({
  workshopId,
  joinCode,
}: {
  workshopId: string
  joinCode: string | null
}) {
  const { t } = useI18n()
  const headingId = useId()
  const code = useJoinCode(workshopId, joinCode)
  return (
    <section className="side-section join-info" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('fac.joinHeading')}</h3>
      {code ? (
        <>
          <p className="join-code-large" data-testid="fac-join-code">
            <span className="visually-hidden">{t('present.joinCodeLabel')}: </span>
            {formatJoinCode(code)}
          </p>
          <img
            className="join-qr-small"
            src={API.qr(code)}
            alt={t('present.qrAlt', { code: formatJoinCode(code) })}
            width={120}
            height={120}
          />
          <p>
            <a
              href={ROUTES.present(workshopId, code)}
              target="_blank"
              rel="noopener"
              data-testid="fac-projector-link"
            >
              {t('fac.projectorLink')}
            </a>
          </p>
        </>
      ) : (
        <p className="hint">{t('board.loading')}</p>
      )}
    </section>
  )
}
