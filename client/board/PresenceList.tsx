/**
 * Who is here, at which table, and who edits which card: one entry per person, however many tabs
 * and devices they have open. Shown as a drawer beside the canvas (board/drawers.ts).
 */
import type { Awareness } from 'y-protocols/awareness'
import type { Card, Table } from '../../shared/schema.ts'
import { useI18n } from '../i18n/index.ts'
import { type BoardModel, useBoardSnapshot } from '../model/model.ts'
import { PresenceRole } from '../../shared/presence.ts'
import { peopleOf, usePeers } from '../sync/people.ts'
import { presenceLabels, presenceName } from '../sync/presence.ts'

interface Props {
  id: string
  awareness: Awareness
  tables: Table[]
  cardTitle(card: Card): string
  /** The board: while open, the list follows what each person edits (their card's text). */
  model: BoardModel | null
  onClose(): void
}

export function PresenceList({ id, awareness, tables, model, cardTitle, onClose }: Props) {
  const { t } = useI18n()
  const { cards } = useBoardSnapshot(model)
  const people = peopleOf(usePeers(awareness), awareness)
  const labels = presenceLabels(t)
  const others = people.filter((p) => !p.self)
  return (
    <section
      id={id}
      className="presence drawer"
      aria-labelledby="presence-heading"
      data-testid="presence-drawer"
    >
      <div className="drawer-head">
        <h2 id="presence-heading">
          {t('presence.heading')}{' '}
          <span className="count">({t('presence.count', { count: people.length })})</span>
        </h2>
        <button type="button" className="btn btn-small" onClick={onClose}>
          {t('drawer.close')}
        </button>
      </div>
      <ul data-testid="presence-list">
        {people.map((p) => {
          const table = tables.find((tb) => tb.id === p.user.table)
          const card = p.editing ? cards.find((c) => c.id === p.editing) : undefined
          const name = presenceName(p.user, labels)
          // a facilitator belongs to no table: saying so would be noise
          const where = table
            ? t('presence.atTable', { table: table.name })
            : p.user.role === PresenceRole.Facilitator
              ? ''
              : t('presence.noTable')
          return (
            <li key={p.key} data-person={p.key} style={{ ['--peer' as string]: p.user.color }}>
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
