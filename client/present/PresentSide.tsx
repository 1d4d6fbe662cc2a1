/**
 * The projector's side column: how to join (code in large type and the QR of the join link), how
 * many have voted while a round is open, and the results once revealed. No editing chrome.
 */
import { useId } from 'react'
import { API } from '../../shared/api.ts'
import type { Table } from '../../shared/schema.ts'
import type { ControlState } from '../facilitation/useControl.ts'
import { useI18n } from '../i18n/index.ts'
import { Results } from '../voting/Results.tsx'

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
  const round = control.latestRound
  return (
    // focusable so the column can be scrolled by keyboard when results make it overflow
    <aside className={`present-side${control.revealed ? ' has-results' : ''}`} aria-labelledby={headingId} tabIndex={0}>
      <h2 id={headingId}>{t('present.joinHeading')}</h2>
      {joinCode && (
        <>
          <p className="present-join-code" data-testid="join-code">
            <span className="present-code-label">{t('present.joinCodeLabel')}</span>
            <span className="present-code">{joinCode}</span>
          </p>
          <img
            className="present-qr"
            data-testid="join-qr"
            src={API.qr(joinCode)}
            alt={t('present.qrAlt', { code: joinCode })}
            width={QR_SIZE_PX}
            height={QR_SIZE_PX}
          />
        </>
      )}
      <div aria-live="polite">
        {round?.status === 'open' && (
          <p className="present-round" data-testid="present-round">
            {t('present.roundOpen', { count: round.voterCount })}
          </p>
        )}
      </div>
      {control.revealed && <Results revealed={control.revealed} titles={titles} tables={tables} />}
    </aside>
  )
}
