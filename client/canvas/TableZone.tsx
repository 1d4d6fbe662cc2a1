/**
 * A table's zone on the canvas: name, perspective, colour and pattern, and its add buttons. The
 * buttons sit just above the zone and never shrink below their normal screen size when zoomed out
 * (24 px targets), so they live outside the world-sized header.
 */
import { memo } from 'react'
import { CardKind, type Table } from '../../shared/schema.ts'
import { type Box, COLUMN_KIND, type ColumnLayout } from '../../shared/layout.ts'
import { useI18n } from '../i18n/index.ts'

/** Screen px kept free above the zones when fitting: two rows of add buttons (styles.css .zone-actions). */
export const ZONE_ACTIONS_PX = 72

interface Props {
  table: Table
  count: number
  readOnly: boolean
  onAdd(table: Table, kind: CardKind): void
  /** The zone as the layout grew and placed it (shared/layout.ts); else the table's own rectangle. */
  zone?: Box | undefined
  /** This table's columns, for their headers. */
  columns?: readonly ColumnLayout[] | undefined
  /** The empty slot a dragged card would drop into, when it is at this table. */
  placeholder?: Box | null | undefined
}

export const TableZone = memo(function TableZone({
  table,
  count,
  readOnly,
  onAdd,
  zone = table,
  columns = [],
  placeholder,
}: Props) {
  const { t } = useI18n()
  const headingId = `zone-${table.id}-name`
  return (
    <section
      className={`zone pattern-${table.pattern}`}
      style={{
        transform: `translate(${zone.x}px, ${zone.y}px)`,
        width: zone.w,
        height: zone.h,
        ['--zone' as string]: table.color,
      }}
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
      {columns.map((col) => (
        <h3
          key={col.column}
          className="zone-column-head"
          data-column={col.column}
          style={{
            transform: `translate(${col.head.x - zone.x}px, ${col.head.y - zone.y}px)`,
            width: col.head.w,
            height: col.head.h,
          }}
        >
          {t('zone.column', {
            kind: t(`kind.${COLUMN_KIND[col.column]}`),
            count: col.cards.length,
          })}
        </h3>
      ))}
      {placeholder && (
        <div
          className="zone-slot"
          data-testid="drop-slot"
          aria-hidden="true"
          style={{
            transform: `translate(${placeholder.x - zone.x}px, ${placeholder.y - zone.y}px)`,
            width: placeholder.w,
            height: placeholder.h,
          }}
        />
      )}
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
