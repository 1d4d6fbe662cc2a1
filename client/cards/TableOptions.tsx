/** The choices of a "move to table" select: every table, and "no table" while the card has none. */
import type { Table } from '../../shared/schema.ts'
import { useI18n } from '../i18n/index.ts'

export function TableOptions({
  tables,
  current,
}: {
  tables: readonly Table[]
  current: string | null
}) {
  const { t } = useI18n()
  return (
    <>
      {current === null && <option value="">{t('card.noTable')}</option>}
      {tables.map((tb) => (
        <option key={tb.id} value={tb.id}>
          {tb.name}
        </option>
      ))}
    </>
  )
}
