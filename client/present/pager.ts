/**
 * Pages for a projector column that cannot scroll: the cards (measured) are packed into rows of
 * `perRow`, and rows into pages no taller than the column; the pages then turn by themselves on
 * an injected interval, so tests drive the turning and no card is ever cut off.
 */
import { useEffect, useState } from 'react'

/** Runs `fn` every `ms`; returns a stop. Injected so tests drive time. */
export type Every = (fn: () => void, ms: number) => () => void

export const everyInterval: Every = (fn, ms) => {
  const id = setInterval(fn, ms)
  return () => clearInterval(id)
}

/** Long enough to read a page of cards aloud, short enough that nobody waits for the next. */
export const PAGE_TURN_MS = 12_000

/**
 * Item indexes per page: items go into rows of `perRow` (a row is as tall as its tallest item),
 * rows into pages up to `room` px high with `gap` px between rows. An item taller than a page gets
 * a page of its own (it is shown whole; the column then scrolls it into view, never cuts it).
 */
export function paginate(heights: readonly number[], perRow: number, room: number, gap: number) {
  const pages: number[][] = []
  let page: number[] = []
  let used = 0
  for (let start = 0; start < heights.length; start += perRow) {
    const row = heights.slice(start, start + perRow)
    const h = Math.max(...row)
    const need = page.length ? used + gap + h : h
    if (page.length && need > room) {
      pages.push(page)
      page = []
      used = h
    } else used = need
    for (let i = 0; i < row.length; i++) page.push(start + i)
  }
  if (page.length) pages.push(page)
  return pages
}

/** The page shown now: turns every `ms` while there is more than one, from the first again when the count changes. */
export function usePageTurn(
  count: number,
  every: Every = everyInterval,
  ms = PAGE_TURN_MS,
): number {
  const [turn, setTurn] = useState({ count, page: 0 })
  useEffect(() => {
    if (count <= 1) return
    return every(() => setTurn((t) => ({ count, page: t.count === count ? t.page + 1 : 1 })), ms)
  }, [count, every, ms])
  return turn.count === count && count > 0 ? turn.page % count : 0
}
