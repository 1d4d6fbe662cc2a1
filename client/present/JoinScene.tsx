/** Join scene: the code in type readable from the back row, the link, its QR, who has joined per table. */
import { API, type JoinLinkResponse, formatJoinCode } from '../../shared/api.ts'
import type { Joined } from '../../shared/control.ts'
import type { Table } from '../../shared/schema.ts'
import { useI18n } from '../i18n/index.ts'
import { shortUrl } from '../facilitation/joinLink.ts'

interface Props {
  joinCode: string | null
  link: JoinLinkResponse | null
  joined: Joined
  tables: Table[]
}

export function JoinScene({ joinCode, link, joined, tables }: Props) {
  const { t } = useI18n()
  const url = link ? shortUrl(link.url) : location.host
  return (
    <section className="scene scene-join" data-testid="scene-join">
      <div className="join-text">
        <p className="join-title">{t('present.joinTitle')}</p>
        <p className="join-step" data-testid="join-url" data-loopback={link?.loopback ?? false}>
          {t('present.joinStep', { url })}
        </p>
        {joinCode && (
          <p className="join-code-big" data-testid="join-code">
            <span className="visually-hidden">{t('present.joinCodeLabel')}: </span>
            {formatJoinCode(joinCode)}
          </p>
        )}
        {link?.loopback && (
          <p className="present-note" role="note" data-testid="join-loopback-note">
            {t('present.loopbackNote')}
          </p>
        )}
        <p className="join-count" data-testid="joined-total">
          {t('present.joinedTotal', { count: joined.total })}
        </p>
        {tables.length > 0 && (
          <ul className="join-tables">
            {tables.map((tb) => (
              <li
                key={tb.id}
                data-testid="joined-table"
                data-table-id={tb.id}
                style={{ ['--zone' as string]: tb.color }}
              >
                <span className="join-table-name">{tb.name}</span>{' '}
                <span className="join-table-count">
                  {t('present.joinedAt', { count: joined.byTable[tb.id] ?? 0 })}
                </span>
              </li>
            ))}
          </ul>
        )}
      </div>
      {joinCode && (
        <figure className="join-qr-box">
          <img
            className="join-qr"
            data-testid="join-qr"
            src={API.qr(joinCode)}
            alt={t('present.qrAlt', { code: formatJoinCode(joinCode) })}
          />
          <figcaption>{t('present.joinScan')}</figcaption>
        </figure>
      )}
    </section>
  )
}
