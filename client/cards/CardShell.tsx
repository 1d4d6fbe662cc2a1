/**
 * A card outside the view: an empty element that holds the card's name and its place in the tab
 * order, and nothing else (no hooks per card but its label, no handlers): a 1,000-card board keeps
 * about 950 of these, and a full card's state and closures for each of them were a third of the
 * page's heap. Keyboard focus on a shell makes the canvas draw the card in full (a CardItem in its
 * place), which takes the focus over and is brought into view (Canvas.tsx).
 *
 * A shell is not placed where its card is: every placed element (left/top or a transform) is a
 * paint chunk of its own that Chromium re-layerizes on every frame, and moving one by left/top
 * lays out the world again. With 30 people dragging cards out of sight that was over a tenth of a
 * watching client's main thread (tests/bench/client.ts, the watching row). Nothing reads a shell's
 * place: the canvas clips instead of scrolling (so focus never scrolls to it) and a focused card is
 * drawn in full before it is revealed.
 */
import { memo, useMemo } from 'react'
import type { Card } from '../../shared/schema.ts'
import { useI18n } from '../i18n/index.ts'
import { useBoardApi } from '../model/context.ts'
import { docCardLabel } from './cardLabel.ts'

interface Props {
  id: string
  kind: Card['kind']
  table: string | null
  /** Bumped when the text changed: the name is read again. */
  bodyVersion: number
}

export const CardShell = memo(function CardShell({ id, kind, table, bodyVersion }: Props) {
  const { t } = useI18n()
  const { doc } = useBoardApi()
  // eslint-disable-next-line react-hooks/exhaustive-deps -- bodyVersion: the text changed
  const label = useMemo(() => docCardLabel(t, doc, id, kind), [t, doc, id, kind, bodyVersion])
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
})
