/**
 * A card outside the view: an empty element that holds the card's place in the layout, its name
 * and its place in the tab order, and nothing else (no hooks per card but its label, no handlers):
 * a 1,000-card board keeps about 950 of these, and a full card's state and closures for each of
 * them were a third of the page's heap. Keyboard focus on a shell makes the canvas draw the card
 * in full (a CardItem in its place), which takes the focus over.
 */
import { memo, useMemo } from 'react'
import type { Card } from '../../shared/schema.ts'
import { type Box, CARD_MIN_H } from '../../shared/layout.ts'
import { useI18n } from '../i18n/index.ts'
import { useBoardApi } from '../model/context.ts'
import { docCardLabel } from './cardLabel.ts'

interface Props {
  card: Card
  bodyVersion: number
  box?: Box | undefined
}

export const CardShell = memo(function CardShell({ card, bodyVersion, box }: Props) {
  const { t } = useI18n()
  const { doc } = useBoardApi()
  // bodyVersion: the text changed
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const label = useMemo(() => docCardLabel(t, doc, card), [t, doc, card, bodyVersion])
  const place = box ?? card
  return (
    <div
      className={`card kind-${card.kind} is-culled`}
      // a transform, not left/top: a shell paints nothing, so its move needs no layout or paint
      // (30 remote drags of culled cards were a tenth of a watching client's main thread)
      style={{
        transform: `translate(${place.x}px, ${place.y}px)`,
        width: place.w,
        minHeight: CARD_MIN_H,
        height: place.h,
      }}
      data-testid="card"
      data-card-id={card.id}
      data-table-id={card.table ?? ''}
      role="group"
      aria-label={label}
      tabIndex={0}
    />
  )
})
