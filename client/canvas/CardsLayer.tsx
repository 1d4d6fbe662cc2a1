/**
 * The canvas's cards. A card in view is a slot subscribed to its own fields, text and box
 * (useCardSlot.ts): a write to what one card shows re-renders that card, not this layer, and a
 * move (its own, or a push along its column) only writes its place to the element. A culled card
 * is its shell, an element of this layer (shellCache.ts).
 * The layer renders when cards come or go, the culled box moves, focus, editing or dragging
 * changes which cards are always drawn, a card crosses the view's edge, or a shell's card changes
 * what its shell shows.
 */
import { memo, useEffect, useLayoutEffect, useMemo, useReducer, useRef } from 'react'
import type { Box } from '../../shared/layout.ts'
import { CardItem } from '../cards/CardItem.tsx'
import { useI18n } from '../i18n/index.ts'
import { useBoardApi } from '../model/context.ts'
import type { LayoutStore } from '../model/layoutStore.ts'
import type { BoardModel } from '../model/model.ts'
import { useCardSlot } from '../model/useCardSlot.ts'
import { intersects } from '../model/viewport.ts'
import { ShellCache } from './shellCache.ts'
import { useShellBudget } from './useShellBudget.ts'

interface SlotProps {
  id: string
  model: BoardModel
  store: LayoutStore
  editing: boolean
  editors: string
}

/** A card the layer draws in full (it is in view, or focused, edited or dragged). */
const CardSlot = memo(function CardSlot({ id, model, store, editing, editors }: SlotProps) {
  const { card, width, bodyVersion, placement } = useCardSlot(model, store, id)
  if (!card) return null
  return (
    <CardItem
      card={card}
      bodyVersion={bodyVersion}
      editing={editing}
      editors={editors}
      width={width}
      placement={placement}
    />
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

/** What a layer render drew: which cards in full, which as shells. */
interface Drawn {
  full: ReadonlySet<string>
  shells: ReadonlySet<string>
}

export const CardsLayer = memo(function CardsLayer(props: Props) {
  const { ids, model, store, cull } = props
  const { t } = useI18n()
  const { doc } = useBoardApi()
  const shells = useMemo(() => new ShellCache(doc), [doc])
  // a shell is no component of its own: the layer renders again when one of them is out of date
  const [, redraw] = useReducer((n: number) => n + 1, 0)
  const always = (id: string) =>
    id === props.focusedId || id === props.editingId || id === props.draggingId
  // the cards in view first; culled shells follow in idle slices (useShellBudget.ts). Which are
  // in view is read here as the layout has them now; each drawn card keeps its own state up to date
  const inView = (id: string) => {
    if (always(id)) return true
    const place = store.getBox(id) ?? model.getCard(id)
    return cull !== null && !!place && intersects(place, cull)
  }
  const culledCount = cull === null ? 0 : ids.reduce((n, id) => n + (inView(id) ? 0 : 1), 0)
  const shellBudget = useShellBudget(cull !== null, culledCount)

  const drawnRef = useRef<Drawn>({ full: new Set(), shells: new Set() })
  const inViewRef = useRef(inView)
  const full = new Set<string>()
  const shellIds = new Set<string>()
  let budget = shellBudget
  const children =
    cull === null
      ? null
      : ids.map((id) => {
          if (inView(id)) {
            full.add(id)
            return (
              <CardSlot
                key={id}
                id={id}
                model={model}
                store={store}
                editing={id === props.editingId}
                editors={props.editorsByCard.get(id) ?? ''}
              />
            )
          }
          const card = model.getCard(id)
          if (!card || budget-- <= 0) return null
          shellIds.add(id)
          return shells.element(card, model.bodyVersionOf(id), t)
        })
  useLayoutEffect(() => {
    drawnRef.current = { full, shells: shellIds }
    inViewRef.current = inView
  })
  useEffect(() => shells.retain(ids), [shells, ids])
  // What this render drew goes out of date when a card crosses the view's edge (its box moved, or
  // a dragged card's placeholder pushed it along) or a shell's card changes its kind, table or text.
  useEffect(() => {
    const offView = (moved: Iterable<string>) => {
      const { full: drawn, shells: shelled } = drawnRef.current
      const now = inViewRef.current
      for (const id of moved)
        if (drawn.has(id) ? !now(id) : shelled.has(id) && now(id)) return redraw()
    }
    const changed = (changedIds: ReadonlySet<string>) => {
      const { shells: shelled } = drawnRef.current
      for (const id of changedIds)
        if (shelled.has(id) && shells.stale(id, model.getCard(id), model.bodyVersionOf(id), t))
          return redraw()
    }
    const offs = [store.subscribeMoves(offView), model.onCards(changed), model.onBodies(changed)]
    // what changed between the render and this subscription
    const { full: drawn, shells: shelled } = drawnRef.current
    offView([...drawn, ...shelled])
    changed(drawnRef.current.shells)
    return () => offs.forEach((off) => off())
  }, [store, model, shells, t])
  // no cards before the canvas has a size: the first draw is at the first real view
  return children
})
