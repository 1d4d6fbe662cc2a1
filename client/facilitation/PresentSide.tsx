/**
 * The projector's side column: how to join (code in large type, the join link spelled out and
 * as a QR code), how many have voted while a round is open, and the results once revealed (the
 * round the facilitator picked, else the newest). No editing chrome.
 */
import { useId } from 'react'
import { API, formatJoinCode } from '../../shared/api.ts'
import type { Table } from '../../shared/schema.ts'
import { shortUrl, useJoinLink } from './joinLink.ts'
import type { ControlState } from '../model/useControl.ts'
import { useI18n } from '../i18n/index.ts'
import { Results } from '../voting/Results.tsx'
import '../present/present.css'

/** Large enough to scan from the back of a room at projector resolution. */
const QR_SIZE_PX = 220

interface Props {
  workshopId: string
  joinCode: string | null
  control: ControlState
  titles: ReadonlyMap<string, string>
  tables: Table[]
}

export function PresentSide({ joinCode, control, titles, tables }: Props) {
  const { t } = useI18n()
  const headingId = useId()
  const link = useJoinLink(joinCode)
  const round = control.latestRound
  return (
    // focusable so the column can be scrolled by keyboard when results make it overflow
    <aside
      className={`present-side${control.revealedRounds.length > 0 ? ' has-results' : ''}`}
      aria-labelledby={headingId}
      tabIndex={0}
      data-testid="present-side"
    >
      <h2 id={headingId}>{t('present.joinHeading')}</h2>
      {joinCode && (
        <>
          <p className="present-join-code" data-testid="join-code">
            <span className="present-code-label">{t('present.joinCodeLabel')}</span>
            <span className="present-code">{formatJoinCode(joinCode)}</span>
          </p>
          <img
            className="present-qr"
            data-testid="join-qr"
            src={API.qr(joinCode)}
            alt={t('present.qrAlt', { code: formatJoinCode(joinCode) })}
            width={QR_SIZE_PX}
            height={QR_SIZE_PX}
          />
        </>
      )}
      {link && (
        <p className="present-join-url" data-testid="join-url" data-loopback={link.loopback}>
          {shortUrl(link.url)}
        </p>
      )}
      {link?.loopback && (
        <p className="present-note" role="note" data-testid="join-loopback-note">
          {t('present.loopbackNote')}
        </p>
      )}
      <div aria-live="polite">
        {round?.status === 'open' && (
          <p className="present-round" data-testid="present-round">
            {t('present.roundOpen', { count: round.voterCount })}
          </p>
        )}
      </div>
      <Results
        rounds={control.revealedRounds}
        sharedId={control.shownRoundId}
        titles={titles}
        tables={tables}
        readOnly
      />
    </aside>
  )
}
