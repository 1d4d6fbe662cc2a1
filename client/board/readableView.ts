/**
 * Views chosen for reading and writing, as world boxes for the viewport's fit(): a participant's
 * landing view on their own table, and keeping an edited card beside the editor panel. Pure.
 */
import { type Box, fitBox } from '../model/viewport.ts'

/** Card text size in CSS px at zoom 1 (styles.css `.card-body`: 0.95rem). */
export const CARD_TEXT_PX = 15.2
/** The landing view shows a table's card text at least this large on screen (issue: >= 12 px, with room). */
export const LANDING_TEXT_PX = 13
/** The landing view never zooms in past 100 %: on a large screen the neighbours show too. */
const LANDING_MAX_SCALE = 1
/** Screen px kept between a card and the editor panel when the view moves it into sight. */
const BESIDE_MARGIN_PX = 24

/**
 * The world box that, fitted into a width × height canvas with `insetTop` free above it, shows the
 * top of `zone` (its name and first cards) across its width, at a zoom where card text is at least
 * LANDING_TEXT_PX on screen (and at most 100 %). A zone wider than that zoom allows is shown from
 * its left edge; a canvas with room to spare centres the zone.
 */
export function landingBox(zone: Box, width: number, height: number, insetTop: number): Box | null {
  const free = height - insetTop
  if (width <= 0 || free <= 0 || zone.w <= 0) return null
  // the zone's width with the canvas' proportions: fitting it fills the canvas across
  const top: Box = { x: zone.x, y: zone.y, w: zone.w, h: (zone.w * free) / width }
  const scale = fitBox(top, width, height, insetTop).scale
  const wanted = Math.min(LANDING_MAX_SCALE, Math.max(LANDING_TEXT_PX / CARD_TEXT_PX, scale))
  // fitBox's zoom is inversely proportional to the box's size, so this lands exactly on `wanted`
  const k = scale / wanted
  const w = top.w * k
  return { x: w >= zone.w ? zone.x + (zone.w - w) / 2 : zone.x, y: zone.y, w, h: top.h * k }
}

/**
 * The horizontal pan (screen px) that moves `card` out from under `panel`, to its left, when the
 * panel covers it and the canvas has room there; 0 otherwise.
 */
export function besideDelta(card: DOMRect, panel: DOMRect, canvas: DOMRect): number {
  const covered =
    card.right > panel.left &&
    card.left < panel.right &&
    card.bottom > panel.top &&
    card.top < panel.bottom
  if (!covered) return 0
  const room = panel.left - BESIDE_MARGIN_PX - canvas.left
  if (card.width + BESIDE_MARGIN_PX > room) return 0
  return panel.left - BESIDE_MARGIN_PX - card.right
}
