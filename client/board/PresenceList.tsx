/** Who is here, at which table, and who edits which card. */
import type { Awareness } from 'y-protocols/awareness'
import type { Card, Table } from '../../shared/schema.ts'
import { useI18n } from '../i18n/index.ts'
import { PresenceRole } from '../../shared/presence.ts'
import { presenceLabels, presenceName, usePeers } from '../sync/presence.ts'

interface Props {
  awareness: Awareness
  tables: Table[]
  cardTitle(card: Card): string
  cards: Card[]
}

export function PresenceList({ awareness, tables, cards, cardTitle }: Props) {
  const { t } = useI18n()
  const peers = usePeers(awareness)
  const labels = presenceLabels(t)
  const others = peers.filter((p) => !p.self)
  return (
    <section className="presence" aria-labelledby="presence-heading">
      <h2 id="presence-heading">
        {t('presence.heading')} <span className="count">({t('presence.count', { count: peers.length })})</span>
      </h2>
      <ul data-testid="presence-list">
        {peers.map((p) => {
          const table = tables.find((tb) => tb.id === p.user.table)
          const card = p.editing ? cards.find((c) => c.id === p.editing) : undefined
          const name = presenceName(p.user, labels)
          // a facilitator belongs to no table: saying so would be noise
          const where = table ? t('presence.atTable', { table: table.name }) : p.user.role === PresenceRole.Facilitator ? '' : t('presence.noTable')
          return (
            <li key={p.clientId} data-client-id={p.clientId} style={{ ['--peer' as string]: p.user.color }}>
              <span className="peer-dot" aria-hidden="true" />
              <span className="peer-name">{p.self ? t('presence.you', { name }) : name}</span>{' '}
              <span className="peer-meta">
                {where}
                {card && (
                  <>
                    {where && ', '}
                    {t('presence.editing', { card: cardTitle(card) })}
                  </>
                )}
              </span>
            </li>
          )
        })}
      </ul>
      {others.length === 0 && <p className="hint">{t('presence.alone')}</p>}
    </section>
  )
}
