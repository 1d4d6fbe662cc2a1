/**
 * A card's height before it is measured, from its text. The layout stacks the cards of a column
 * one under the other, so every card laid out at a guessed height moves those below it once its
 * real height arrives: with one guess for all (the old 140 px, where a short card is 96), a
 * participant's first view held 40 of its 55 cards and filled up over two more measuring rounds
 * while the cards shifted up. A guess from the text lands within about a line of the measured
 * height, so the first draw is the settled one.
 *
 * The figures mirror styles.css (.card padding and borders, .card-head, .card-body at 0.95rem, 4 px
 * paragraph margins) as Chromium lays them out. Measured there (an ad-hoc script replaced a card's
 * text with 1–5 paragraphs of 0–600 characters of the seed reports, 56 cases), with heights bounded
 * at CARD_MAX_H as the layout bounds them: within a line (22 px) in 53 cases, two lines at most.
 * Another font differs a little; the measurement replaces the estimate either way.
 */
import * as Y from 'yjs'
import { type CardDetail, SUMMARY_CHARS } from './viewport.ts'

export const ESTIMATE = {
  /** Border, padding and the kind line above the text. */
  chrome: 41,
  /** One line of card text. */
  line: 22,
  /** A paragraph's margins (4 px above and below, collapsing between paragraphs). */
  margin: 4,
  /** Average advance of a character of Dutch text in the card's font, word wrapping included. */
  charPx: 8.2,
  /** The card's horizontal padding and borders. */
  inset: 22,
  /** Zoomed out, a card shows its grey lines (styles.css .card-lines: 40 px and 6 px above), or
   * at 'plain' the start of its text as one paragraph (SUMMARY_CHARS). */
  lines: 46,
} as const

/** Characters in each text block of a card body (paragraph, heading, list item), in order. */
export function blockLengths(body: Y.XmlFragment): number[] {
  const out: number[] = []
  const visit = (el: Y.XmlElement | Y.XmlFragment) => {
    let text = -1
    for (const child of el.toArray()) {
      if (child instanceof Y.XmlText) text = Math.max(0, text) + child.length
      else if (child instanceof Y.XmlElement) visit(child)
    }
    if (text >= 0 || (el instanceof Y.XmlElement && el.length === 0)) out.push(Math.max(0, text))
  }
  visit(body)
  return out
}

/**
 * The height a card `width` world px wide takes for text blocks of these lengths, at the detail
 * the zoom draws (a zoomed-out card drops text: CardBody.tsx), as the card will be measured.
 */
export function estimateHeight(
  blocks: readonly number[],
  width: number,
  detail: CardDetail = 'rich',
): number {
  if (detail === 'lines') return ESTIMATE.chrome + ESTIMATE.lines
  const perLine = Math.max(8, Math.floor((width - ESTIMATE.inset) / ESTIMATE.charPx))
  const shown =
    detail === 'plain' && blocks.length
      ? [
          Math.min(
            SUMMARY_CHARS,
            blocks.reduce((a, b) => a + b + 1, -1),
          ),
        ]
      : blocks
  let lines = 0
  // an empty paragraph draws no line (CardBody renders it as an empty <p>)
  for (const n of shown) lines += Math.ceil(n / perLine)
  const margins = shown.length ? (shown.length + 1) * ESTIMATE.margin : 0
  return ESTIMATE.chrome + margins + Math.max(1, lines) * ESTIMATE.line
}

/**
 * Estimates by card id, each read from the card's body once per version of it (`version`: the
 * model's body version, bumped on every change of the text). Only the height is kept: a board
 * holds one for each card never drawn.
 */
export class HeightEstimates {
  private readonly known = new Map<
    string,
    { version: number; width: number; detail: CardDetail; h: number }
  >()

  constructor(
    private readonly body: (id: string) => Y.XmlFragment | null,
    private readonly version: (id: string) => number,
  ) {}

  of(id: string, width: number, detail: CardDetail = 'rich'): number | undefined {
    const version = this.version(id)
    const kept = this.known.get(id)
    if (kept && kept.version === version && kept.width === width && kept.detail === detail)
      return kept.h
    const body = this.body(id)
    if (!body) return undefined
    const h = estimateHeight(blockLengths(body), width, detail)
    this.known.set(id, { version, width, detail, h })
    return h
  }

  /** The card is gone or measured for good: its entry is not needed any more. */
  forget(id: string): void {
    this.known.delete(id)
  }
}
