/**
 * A card outside the view: an empty element that holds the card's name and its place in the tab
 * order, and nothing else. A 1,000-card board keeps about 950 of these, so a shell is not even a
 * component: the cards layer (canvas/CardsLayer.tsx) draws this element itself, one kept per card
 * while it shows the same (canvas/shellCache.ts). Keyboard focus on a shell makes
 * the canvas draw the card in full (a CardItem in its place), which takes the focus over and is
 * brought into view (Canvas.tsx).
 *
 * A shell is not placed where its card is: every placed element (left/top or a transform) is a
 * paint chunk of its own that Chromium re-layerizes on every frame, and moving one by left/top
 * lays out the world again. With 30 people dragging cards out of sight that was over a tenth of a
 * watching client's main thread (tests/bench/client.ts, the watching row). Nothing reads a shell's
 * place: the canvas clips instead of scrolling (so focus never scrolls to it) and a focused card is
 * drawn in full before it is revealed.
 */
import type { Card } from '../../shared/schema.ts'

export function cardShell(id: string, kind: Card['kind'], table: string | null, label: string) {
  return (
    <div
      className={`card kind-${kind} is-culled`}
      data-testid="card"
      data-card-id={id}
      data-table-id={table ?? ''}
      role="group"
      aria-label={label}
      tabIndex={0}
    />
  )
}
