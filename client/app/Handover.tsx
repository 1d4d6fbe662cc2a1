/**
 * The handover after creating a workshop (issue #11 point 2): the participant link, the
 * facilitator link (the key: a warning says so), a printable A4 table card with QR code and the
 * join code, then on to the board. Also reachable from "Mijn workshops" and the organiser menu,
 * at `/#handover=<id>`; it reads the key and code this device stores, never the address bar.
 */
import { useId, useState } from 'react'
import { API, ROUTES, formatJoinCode } from '../../shared/api.ts'
import { useI18n } from '../i18n/index.ts'
import { Page } from '../lib/Page.tsx'
import { navigate } from '../lib/router.ts'
import { loadFacilitatorKey, loadJoinCode } from '../lib/session.ts'
import { useJoinCode } from '../facilitation/useJoinCode.ts'
import { loadWorkshopMeta } from '../organiser/myWorkshops.ts'
import { useHandoverLinks } from '../organiser/links.ts'
import { CopyField } from '../organiser/CopyField.tsx'
import '../organiser/handover.css'

/** What people type from the card: no scheme, no trailing slash. */
const shortUrl = (url: string) => url.replace(/^https?:\/\//, '').replace(/\/$/, '')

export function Handover({ workshopId }: { workshopId: string }) {
  const { t } = useI18n()
  const warningId = useId()
  const participantsId = useId()
  const facilitatorId = useId()
  const cardHeadingId = useId()
  const [key] = useState(() => loadFacilitatorKey(workshopId))
  const [title] = useState(() => loadWorkshopMeta(workshopId)?.title ?? '')
  const code = useJoinCode(workshopId, loadJoinCode(workshopId))
  const links = useHandoverLinks(workshopId, code, key)
  const [status, setStatus] = useState('')
  const copied = (what: string) => (ok: boolean) =>
    setStatus(ok ? t('handover.copied', { what }) : t('handover.copyFailed'))

  if (!key) {
    return (
      <Page>
        <h1>{t('handover.heading')}</h1>
        <p>{t('org.noKey')}</p>
      </Page>
    )
  }
  const board = ROUTES.facilitate(workshopId, key)
  return (
    <Page>
      <div className="handover">
        <h1>{title ? t('handover.headingTitle', { title }) : t('handover.heading')}</h1>
        <p className="lead">{t('handover.lead')}</p>
        {!links || !code ? (
          <p role="status">{t('board.loading')}</p>
        ) : (
          <>
            <section className="panel" aria-labelledby={participantsId}>
              <h2 id={participantsId}>{t('handover.participantsHeading')}</h2>
              <CopyField
                label={t('handover.participantLink')}
                value={links.participant}
                onCopied={copied(t('handover.participantLink'))}
                testId="handover-participant-link"
              />
              <p>
                {t('handover.codeIs')}{' '}
                <strong className="handover-code" data-testid="handover-code">
                  {formatJoinCode(code)}
                </strong>
              </p>
              {links.loopback && <p className="hint">{t('present.loopbackNote')}</p>}
            </section>
            <section className="panel handover-key" aria-labelledby={facilitatorId}>
              <h2 id={facilitatorId}>{t('handover.facilitatorHeading')}</h2>
              <p id={warningId} className="handover-warning">
                <strong>{t('handover.keyWarningStrong')}</strong> {t('handover.keyWarning')}
              </p>
              {links.facilitator && (
                <CopyField
                  label={t('handover.facilitatorLink')}
                  value={links.facilitator}
                  describedBy={warningId}
                  onCopied={copied(t('handover.facilitatorLink'))}
                  testId="handover-facilitator-link"
                />
              )}
              <CopyField
                label={t('handover.projectorLink')}
                value={links.projector}
                onCopied={copied(t('handover.projectorLink'))}
                testId="handover-projector-link"
              />
            </section>
            <section className="panel handover-card" aria-labelledby={cardHeadingId}>
              <h2 id={cardHeadingId}>{t('handover.cardHeading')}</h2>
              <p className="hint">{t('handover.cardHint')}</p>
              <button type="button" className="btn" onClick={() => window.print()}>
                {t('handover.print')}
              </button>
              <div className="table-card" data-testid="table-card">
                <p className="table-card-title">{title}</p>
                <p className="table-card-call">{t('handover.cardCall')}</p>
                <img
                  className="table-card-qr"
                  src={API.qr(code)}
                  alt={t('present.qrAlt', { code: formatJoinCode(code) })}
                  width={320}
                  height={320}
                />
                <p className="table-card-how">
                  {t('handover.cardHow', { url: shortUrl(new URL(links.participant).origin) })}
                </p>
                <p className="table-card-code">{formatJoinCode(code)}</p>
              </div>
            </section>
          </>
        )}
        <p role="status" className="handover-status">
          {status}
        </p>
        <p>
          <a
            className="btn btn-primary"
            href={board}
            onClick={(e) => {
              e.preventDefault()
              navigate(board)
            }}
          >
            {t('handover.toBoard')}
          </a>
        </p>
      </div>
    </Page>
  )
}
