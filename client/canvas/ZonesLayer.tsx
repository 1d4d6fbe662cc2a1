/**
 * The table zones, subscribed to the layout's zones (layoutStore.ts): a zone re-renders when its
 * box, its column headers or its count change, not when a card moves inside it.
 */
import { memo } from 'react'
import type { CardKind, Table } from '../../shared/schema.ts'
import type { LayoutStore } from '../model/layoutStore.ts'
import { useZones } from '../model/useBoardLayout.ts'
import { TableZone } from './TableZone.tsx'

interface Props {
  tables: readonly Table[]
  store: LayoutStore
  readOnly: boolean
  onAdd(table: Table, kind: CardKind): void
}

export const ZonesLayer = memo(function ZonesLayer({ tables, store, readOnly, onAdd }: Props) {
  const { zones, placeholder } = useZones(store)
  return tables.map((tb) => {
    const view = zones.get(tb.id)
    return (
      <TableZone
        key={tb.id}
        table={tb}
        count={view?.count ?? 0}
        readOnly={readOnly}
        onAdd={onAdd}
        zone={view?.zone}
        columns={view?.columns}
        placeholder={placeholder?.slot.table === tb.id ? placeholder : null}
      />
    )
  })
})
