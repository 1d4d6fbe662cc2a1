/**
 * A table's zone on the canvas: name, perspective, colour and pattern, and its add buttons. The
 * buttons sit just above the zone and never shrink below their normal screen size when zoomed out
 * (24 px targets), so they live outside the world-sized header.
 */
import { memo } from 'react'
import { CardKind, type Table } from '../../shared/schema.ts'
import { useI18n } from '../i18n/index.ts'

/** Screen px kept free above the zones when fitting: two rows of add buttons (styles.css .zone-actions). */
export const ZONE_ACTIONS_PX = 72

interface Props {
  table: Table
  count: number
  readOnly: boolean
  onAdd(table: Table, kind: CardKind): void
}

export const TableZone = memo(function TableZone({ table, count, readOnly, onAdd }: Props) {
  const { t } = useI18n()
  const headingId = `zone-${table.id}-name`
  return (
    <section
      className={`zone pattern-${table.pattern}`}
      style={{ transform: `translate(${table.x}px, ${table.y}px)`, width: table.w, height: table.h, ['--zone' as string]: table.color }}
      data-testid={`zone-${table.perspective}`}
      data-table-id={table.id}
      aria-labelledby={headingId}
    >
      <header className="zone-head">
        <h2 id={headingId} className="zone-name">
          {t('zone.label', { name: table.name })}
        </h2>
        <p className="zone-meta">
          {t('zone.perspective', { perspective: t(`perspective.${table.perspective}`) })}
          {' · '}
          {t('zone.pattern', { pattern: t(`pattern.${table.pattern}`) })}
          {' · '}
          {t('zone.cardCount', { count })}
        </p>
      </header>
      {!readOnly && (
        <div className="zone-actions">
          <button
            type="button"
            className="btn btn-small"
            data-testid={`add-vision-${table.perspective}`}
            data-add-for={table.id}
            aria-label={t('zone.addVisionLabel', { name: table.name })}
            onClick={() => onAdd(table, CardKind.Vision)}
          >
            {t('zone.addVision')}
          </button>
          <button
            type="button"
            className="btn btn-small"
            data-testid={`add-need-${table.perspective}`}
            aria-label={t('zone.addNeedLabel', { name: table.name })}
            onClick={() => onAdd(table, CardKind.Need)}
          >
            {t('zone.addNeed')}
          </button>
        </div>
      )}
    </section>
  )
})
