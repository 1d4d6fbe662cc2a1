/**
 * The canvas's cards, each subscribed to its own fields, text and box (useCardSlot.ts): a write to
 * one card re-renders that card (and those its move pushed along its column), not this layer. The
 * layer itself renders when cards come or go, the culled box moves, or focus, editing or dragging
 * changes which cards are always drawn.
 */
import { memo, useMemo } from 'react'
import type * as Y from 'yjs'
import type { Box } from '../../shared/layout.ts'
import { CardItem } from '../cards/CardItem.tsx'
import { cardShell } from '../cards/CardShell.tsx'
import { docCardLabel } from '../cards/cardLabel.ts'
import { type Translate, useI18n } from '../i18n/index.ts'
import { useBoardApi } from '../model/context.ts'
import type { LayoutStore } from '../model/layoutStore.ts'
import type { BoardModel } from '../model/model.ts'
import { useCardSlot } from '../model/useCardSlot.ts'
import { intersects } from '../model/viewport.ts'
import { useShellBudget } from './useShellBudget.ts'

interface SlotProps {
  id: string
  model: BoardModel
  store: LayoutStore
  /** Cards outside this world box are culled (null: the canvas has no size yet). */
  cull: Box | null
  /** Drawn whatever the view: focused, edited or dragged. */
  always: boolean
  editing: boolean
  editors: string
  /** The layer's language and doc, for a shell's name. */
  t: Translate
  doc: Y.Doc
}

const CardSlot = memo(function CardSlot(props: SlotProps) {
  const { id, model, store, cull, t, doc } = props
  const { card, box, bodyVersion } = useCardSlot(model, store, id)
  const drawn = !!card && (props.always || (cull !== null && intersects(box ?? card, cull)))
  const shellKind = card && !drawn ? card.kind : null
  const label = useMemo(
    () => (shellKind ? docCardLabel(t, doc, id, shellKind) : ''),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- bodyVersion: the text changed
    [t, doc, id, shellKind, bodyVersion],
  )
  if (!card) return null
  return drawn ? (
    <CardItem
      card={card}
      bodyVersion={bodyVersion}
      editing={props.editing}
      editors={props.editors}
      box={box}
    />
  ) : (
    cardShell(id, card.kind, card.table, label)
  )
})

interface Props {
  ids: readonly string[]
  model: BoardModel
  store: LayoutStore
  cull: Box | null
  focusedId: string | null
  editingId: string | null
  draggingId: string | null
  editorsByCard: ReadonlyMap<string, string>
}

export const CardsLayer = memo(function CardsLayer(props: Props) {
  const { ids, model, store, cull } = props
  const { t } = useI18n()
  const { doc } = useBoardApi()
  const always = (id: string) =>
    id === props.focusedId || id === props.editingId || id === props.draggingId
  // the cards in view first; culled shells follow in idle slices (useShellBudget.ts). Which are
  // in view is read here as the layout has them now; each card keeps its own state up to date
  const inView = (id: string) => {
    if (always(id)) return true
    const place = store.getBox(id) ?? model.getCard(id)
    return cull !== null && !!place && intersects(place, cull)
  }
  const culledCount = cull === null ? 0 : ids.reduce((n, id) => n + (inView(id) ? 0 : 1), 0)
  const shellBudget = useShellBudget(cull !== null, culledCount)
  let shells = 0
  // no cards before the canvas has a size: the first draw is at the first real view
  if (cull === null) return null
  return ids
    .filter((id) => shellBudget === Infinity || inView(id) || shells++ < shellBudget)
    .map((id) => (
      <CardSlot
        key={id}
        id={id}
        model={model}
        store={store}
        cull={cull}
        always={always(id)}
        editing={id === props.editingId}
        editors={props.editorsByCard.get(id) ?? ''}
        t={t}
        doc={doc}
      />
    ))
})
