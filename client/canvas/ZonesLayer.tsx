/**
 * The table zones, subscribed to the layout's zones (layoutStore.ts): a zone re-renders when its
 * box, its column headers or its count change, not when a card moves inside it.
 */
import { memo } from 'react'
import type { CardKind, Table } from '../../shared/schema.ts'
import type { Box } from '../../shared/layout.ts'
import type { LayoutStore } from '../model/layoutStore.ts'
import { useZones } from '../model/useBoardLayout.ts'
import { MIN_SCALE, union } from '../model/viewport.ts'
import { TableZone, ZONE_ACTIONS_PX } from './TableZone.tsx'

/** World px the backdrop reaches past the zones, and above them for their add buttons at any zoom. */
const BACKDROP_MARGIN = 400
const BACKDROP_ABOVE = BACKDROP_MARGIN + (2 * ZONE_ACTIONS_PX) / MIN_SCALE

/**
 * An invisible sheet under the zones, over all of them and their add buttons. Chromium puts the
 * board's paint into one compositor layer only where the layer's bounds already cover it: zones
 * far apart, and buttons above them, each became a layer of their own, and every card then had
 * to be layerized against them on every pan frame (about twice the work).
 */
function Backdrop({ zones }: { zones: Box[] }) {
  const all = union(zones)
  if (!all) return null
  return (
    <div
      className="world-backdrop"
      aria-hidden="true"
      style={{
        left: all.x - BACKDROP_MARGIN,
        top: all.y - BACKDROP_ABOVE,
        width: all.w + 2 * BACKDROP_MARGIN,
        height: all.h + BACKDROP_ABOVE + BACKDROP_MARGIN,
      }}
    />
  )
}

interface Props {
  tables: readonly Table[]
  store: LayoutStore
  readOnly: boolean
  onAdd(table: Table, kind: CardKind): void
}

export const ZonesLayer = memo(function ZonesLayer({ tables, store, readOnly, onAdd }: Props) {
  const { zones, placeholder } = useZones(store)
  const views = tables.map((tb) => zones.get(tb.id))
  return [
    <Backdrop key="backdrop" zones={tables.map((tb, i): Box => views[i]?.zone ?? tb)} />,
    ...tables.map((tb, i) => {
      const view = views[i]
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
    }),
  ]
})
