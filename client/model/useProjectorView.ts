/**
 * The projector's board: large type and a board that always fits.
 *
 * Large type. Card text and table names are sized in world px against the current zoom, so on
 * screen they never shrink below a size that reads from the back of a room. At a whole-board
 * zoom that leaves room for a card's first words only (a card keeps its box, so cards do not
 * overlap); zooming in, or following the facilitator's zoom, shows more of each card.
 *
 * Fit. While not following the facilitator, the board is fitted again whenever the canvas
 * changes size (the results column appears or widens: the canvas's ResizeObserver reports it)
 * or the content's extent changes, so no card ends up outside the projected area.
 */
import { useEffect, useState } from 'react'
import type * as Y from 'yjs'
import { CARD_SIZE } from '../../shared/schema.ts'
import { layoutBoard, layoutExtent } from '../../shared/layout.ts'
import { BoardModel } from './model.ts'
import type { ViewportHandle } from './useViewport.ts'
import { type Box, union } from './viewport.ts'

/** Smallest on-screen card text (CSS px): ~2.5 cm on a 3 m wide 1080p projection. */
export const PRESENT_CARD_TEXT_MIN_PX = 20
/** Smallest on-screen table name (CSS px), while the name still fits its header (see below). */
export const PRESENT_TABLE_NAME_MIN_PX = 28
/** Card text when zoomed in far enough that the minimum needs no help (world px, = 1.15rem). */
const CARD_TEXT_BASE_PX = 18.4
const TABLE_NAME_BASE_PX = 21.6
const LINE_HEIGHT = 1.2
/** A card's room for text (world px): its height less border (6), padding (8 + 10). */
const CARD_TEXT_ROOM_PX = CARD_SIZE.h - 24
/** A table header is 84 world px with 6 px padding: a name above this size would be cut off. */
const TABLE_NAME_MAX_PX = Math.floor((84 - 2 * 6) / LINE_HEIGHT)

type Vp = ViewportHandle

export interface ProjectorType {
  cardFontPx: number
  cardLines: number
  tableNameFontPx: number
}

/** Type sizes in world px for a zoom `scale`. */
export function projectorType(scale: number): ProjectorType {
  const cardFontPx = Math.max(CARD_TEXT_BASE_PX, PRESENT_CARD_TEXT_MIN_PX / scale)
  return {
    cardFontPx,
    cardLines: Math.max(1, Math.floor(CARD_TEXT_ROOM_PX / (cardFontPx * LINE_HEIGHT))),
    tableNameFontPx: Math.min(
      TABLE_NAME_MAX_PX,
      Math.max(TABLE_NAME_BASE_PX, PRESENT_TABLE_NAME_MIN_PX / scale),
    ),
  }
}

const sameBox = (a: Box | null, b: Box | null) =>
  a === b || (!!a && !!b && a.x === b.x && a.y === b.y && a.w === b.w && a.h === b.h)

/** The extent of tables and cards, re-read as the board changes (a new object only when it moved). */
function useContentBox(board: Y.Doc, active: boolean): Box | null {
  const [box, setBox] = useState<Box | null>(null)
  useEffect(() => {
    if (!active) return
    const model = new BoardModel(board)
    const read = () => {
      const s = model.getSnapshot()
      // the zones as the tables arrange their cards; a projected card is at most CARD_SIZE.h high
      // (its text is clamped to that room), the height the layout assumes for a card not measured
      const next =
        layoutExtent(layoutBoard({ tables: s.tables, cards: s.cards, height: () => undefined })) ??
        union(s.tables)
      setBox((prev) => (sameBox(prev, next) ? prev : next))
    }
    read()
    const off = model.subscribe(read)
    return () => {
      off()
      model.destroy()
    }
  }, [board, active])
  return box
}

export function useProjectorView(board: Y.Doc, active: boolean, following: boolean, vp: Vp): void {
  const box = useContentBox(board, active)
  const { size, fit } = vp
  useEffect(() => {
    if (active && !following && box && size.w > 0 && size.h > 0) fit(box)
  }, [active, following, box, size, fit])

  // written on every zoom change, outside React (the viewport is not React state)
  useEffect(() => {
    if (!active) return
    let shown = NaN
    const apply = ({ scale }: { scale: number }) => {
      if (scale === shown) return
      shown = scale
      const type = projectorType(scale)
      const style = document.documentElement.style
      style.setProperty('--present-card-font', `${type.cardFontPx}px`)
      style.setProperty('--present-card-lines', String(type.cardLines))
      style.setProperty('--present-zone-font', `${type.tableNameFontPx}px`)
    }
    apply(vp.get())
    return vp.subscribe(apply)
  }, [active, vp])
  useEffect(() => {
    if (!active) return
    return () => {
      const style = document.documentElement.style
      for (const v of ['--present-card-font', '--present-card-lines', '--present-zone-font'])
        style.removeProperty(v)
    }
  }, [active])
}
