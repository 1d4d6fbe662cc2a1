/** Join code, QR and projector link for the facilitator (the code from ./useJoinCode.ts). */
import { useId } from 'react'
import { API, ROUTES, formatJoinCode } from '../../shared/api.ts'
import { useI18n } from '../i18n/index.ts'
import { useJoinCode } from './useJoinCode.ts'

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
