/**
 * The board canvas: a DOM world layer under a CSS transform that the viewport store writes
 * directly (useCulling.ts), so panning and zooming render no React. Pan by dragging empty space
 * (or space + drag), zoom with the wheel, cull cards outside the view. Culled cards stay in the DOM as
 * focusable shells, so every card is in the tab order; a card that gets keyboard focus is drawn in
 * full and the view pans to it, and keeps following it while it moves.
 */
import {
  type PointerEvent as ReactPointerEvent,
  type UIEvent,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
} from 'react'
import type { Awareness } from 'y-protocols/awareness'
import type { CardKind, Table } from '../../shared/schema.ts'
import type { BoardLayout } from '../../shared/layout.ts'
import { CardDetailContext } from '../cards/CardBody.tsx'
import { useI18n } from '../i18n/index.ts'
import { setPointer } from '../sync/presence.ts'
import { CardsLayer } from './CardsLayer.tsx'
import { RemoteCursors } from './LazyRemoteCursors.tsx'
import { ZonesLayer } from './ZonesLayer.tsx'
import type { BoardModel, BoardShape } from '../model/model.ts'
import { CardLayoutContext, useBoardLayout, useCardBox } from '../model/useBoardLayout.ts'
import { useCard } from '../model/useCardStore.ts'
import { cardSelector, useCardFocus } from '../model/useCardFocus.ts'
import { useCulling, useWorldTransform } from '../model/useCulling.ts'
import type { ViewportHandle } from '../model/useViewport.ts'
import { ZOOM_STEP, toWorld } from '../model/viewport.ts'

/** Pointer positions go to peers at most this often (~20 Hz). */
const POINTER_INTERVAL_MS = 50
/** Wheel delta (px) that zooms by one ZOOM_STEP. */
const WHEEL_PX_PER_STEP = 300
/** Screen px kept between a card that gets keyboard focus and the canvas edge. */
const REVEAL_MARGIN_PX = 24

/** The pan (screen px) that brings `box` inside `frame`, or its top-left corner when it is larger. */
function revealDelta(box: DOMRect, frame: DOMRect, margin: number): { dx: number; dy: number } {
  const axis = (lo: number, hi: number, min: number, max: number) =>
    lo < min + margin
      ? min + margin - lo
      : hi > max - margin
        ? Math.max(max - margin - hi, min + margin - lo)
        : 0
  return {
    dx: axis(box.left, box.right, frame.left, frame.right),
    dy: axis(box.top, box.bottom, frame.top, frame.bottom),
  }
}

interface Props {
  canvasRef: React.RefObject<HTMLDivElement | null>
  vp: ViewportHandle
  model: BoardModel
  /** Tables and which cards exist; each card reads its own fields from `model`. */
  shape: BoardShape
  editingId: string | null
  draggingId: string | null
  editorsByCard: ReadonlyMap<string, string>
  awareness: Awareness
  readOnly: boolean
  onAdd(table: Table, kind: CardKind): void
  onKeyDown(e: React.KeyboardEvent<HTMLDivElement>): void
  /** Filled with the current layout, for fitting the view to the zones as they grew. */
  layoutRef?: React.RefObject<BoardLayout | null>
  /** Told after the layout changed, once `layoutRef` holds it. */
  onLayout?: () => void
  /** Drop text detail the zoom makes illegible (off on the projector, whose type grows instead). */
  lod?: boolean
}

export function Canvas(props: Props) {
  const { canvasRef, vp, model, shape, awareness, readOnly, lod = true } = props
  const { t } = useI18n()
  const worldRef = useRef<HTMLDivElement>(null)
  const scaledRef = useRef<HTMLDivElement>(null)
  useWorldTransform(vp.store, worldRef, scaledRef)
  const culling = useCulling(vp, lod)
  const pan = useRef<{ id: number; x: number; y: number } | null>(null)
  const spaceHeld = useRef(false)
  const lastPointer = useRef(0)

  // wheel needs a non-passive listener to stop the page from scrolling
  useEffect(() => {
    const el = canvasRef.current
    if (!el) return
    const onWheel = (e: WheelEvent) => {
      e.preventDefault()
      const rect = el.getBoundingClientRect()
      const at = { x: e.clientX - rect.left, y: e.clientY - rect.top }
      if (e.ctrlKey || e.metaKey || !e.shiftKey) {
        vp.zoomBy(Math.pow(ZOOM_STEP, -e.deltaY / WHEEL_PX_PER_STEP), at)
      } else {
        vp.panBy(-e.deltaX, -e.deltaY)
      }
    }
    el.addEventListener('wheel', onWheel, { passive: false })
    return () => el.removeEventListener('wheel', onWheel)
  }, [canvasRef, vp])

  useEffect(() => {
    const editable = (el: EventTarget | null) =>
      el instanceof HTMLElement &&
      (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName))
    const down = (e: KeyboardEvent) => {
      if (e.code === 'Space' && !editable(e.target)) spaceHeld.current = true
    }
    const up = (e: KeyboardEvent) => {
      if (e.code === 'Space') spaceHeld.current = false
    }
    window.addEventListener('keydown', down)
    window.addEventListener('keyup', up)
    return () => {
      window.removeEventListener('keydown', down)
      window.removeEventListener('keyup', up)
    }
  }, [])

  function onPointerDown(e: ReactPointerEvent<HTMLDivElement>) {
    const target = e.target as Element
    const onEmpty = !target.closest('.card, button, select, input, a, [contenteditable="true"]')
    if (e.button === 1 || (e.button === 0 && (spaceHeld.current || onEmpty))) {
      pan.current = { id: e.pointerId, x: e.clientX, y: e.clientY }
      e.currentTarget.setPointerCapture(e.pointerId)
      e.preventDefault()
    }
  }

  function onPointerMove(e: ReactPointerEvent<HTMLDivElement>) {
    const p = pan.current
    if (p && p.id === e.pointerId) {
      vp.panBy(e.clientX - p.x, e.clientY - p.y)
      p.x = e.clientX
      p.y = e.clientY
    }
    const now = performance.now()
    if (!readOnly && now - lastPointer.current >= POINTER_INTERVAL_MS) {
      lastPointer.current = now
      const rect = e.currentTarget.getBoundingClientRect()
      setPointer(awareness, toWorld(vp.get(), e.clientX - rect.left, e.clientY - rect.top))
    }
  }

  function endPan(e: ReactPointerEvent<HTMLDivElement>) {
    if (pan.current?.id === e.pointerId) pan.current = null
  }

  // tables arrange their cards (shared/layout.ts): cards and zones are drawn where it puts them
  const { store, api: layoutApi } = useBoardLayout(model, props.editingId, culling.detail)
  const { layoutRef, onLayout } = props
  useEffect(() => {
    if (!layoutRef) return
    layoutRef.current = store.get()
    onLayout?.()
    return store.subscribeLayout(() => {
      layoutRef.current = store.get()
      onLayout?.()
    })
  }, [layoutRef, onLayout, store])
  // the cards as they were when one last came or went: where focus goes when one disappears
  // eslint-disable-next-line react-hooks/exhaustive-deps -- shape.ids: read again when cards come or go
  const cards = useMemo(() => model.getSnapshot().cards, [model, shape.ids])
  const focusedId = useCardFocus(canvasRef, cards)
  const focusedCard = useCard(model, focusedId)
  const focusedBox = useCardBox(store, focusedId) ?? focusedCard
  const box = culling.box

  // a shell that got focus is replaced by the drawn card (CardShell.tsx): focus goes with it
  useLayoutEffect(() => {
    const active = document.activeElement
    if (!focusedId || (active && active !== document.body && active.isConnected)) return
    canvasRef.current
      ?.querySelector<HTMLElement>(`${cardSelector(focusedId)}:not(.is-culled)`)
      ?.focus({ preventScroll: true })
  }, [canvasRef, focusedId])

  // keyboard focus on a card (Tab, a move, focus handed on after a delete): bring it into view.
  // Pointer focus does not pan; neither does panning away from a focused card.
  useLayoutEffect(() => {
    const canvas = canvasRef.current
    const el = focusedId ? canvas?.querySelector<HTMLElement>(cardSelector(focusedId)) : null
    const active = document.activeElement
    if (
      !canvas ||
      !el ||
      !(active instanceof HTMLElement) ||
      !el.contains(active) ||
      !active.matches(':focus-visible')
    )
      return
    const r = el.getBoundingClientRect()
    const tools = el.querySelector('.card-tools')?.getBoundingClientRect()
    const all =
      tools && tools.width > 0
        ? new DOMRect(
            r.x,
            r.y,
            Math.max(r.right, tools.right) - r.x,
            Math.max(r.bottom, tools.bottom) - r.y,
          )
        : r
    const { dx, dy } = revealDelta(all, canvas.getBoundingClientRect(), REVEAL_MARGIN_PX)
    if (dx || dy) vp.panBy(dx, dy)
    // the card's position is what matters: not its other fields
  }, [canvasRef, vp, focusedId, focusedBox?.x, focusedBox?.y, focusedCard?.table])

  // focusing an element out of view makes the browser scroll the canvas; turn that into a pan
  function onScroll(e: UIEvent<HTMLDivElement>) {
    const el = e.currentTarget
    if (!el.scrollLeft && !el.scrollTop) return
    vp.panBy(-el.scrollLeft, -el.scrollTop)
    el.scrollLeft = 0
    el.scrollTop = 0
  }

  return (
    <div
      ref={canvasRef}
      className={`canvas${readOnly ? ' is-readonly' : ''}`}
      data-testid="board"
      role="region"
      aria-label={t('board.label')}
      aria-describedby="canvas-help"
      tabIndex={0}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={endPan}
      onPointerCancel={endPan}
      onPointerLeave={() => setPointer(awareness, null)}
      onKeyDown={props.onKeyDown}
      onScroll={onScroll}
    >
      <p id="canvas-help" className="visually-hidden">
        {t('board.canvasHelp')}
      </p>
      {/* before the first sync (or the tab's cache) the world is empty: say so, not a blank canvas */}
      {!shape.meta && !shape.tables.length && (
        <p className="canvas-loading" role="status" data-testid="board-loading">
          {t('board.loading')}
        </p>
      )}
      {/* two layers: the outer one only translates and is its own compositor layer, so a pan
          repaints nothing; the inner one scales, so zoomed text is drawn sharp */}
      <div ref={worldRef} className="world">
        <div ref={scaledRef} className={`world-scaled detail-${culling.detail}`}>
          <CardDetailContext.Provider value={culling.detail}>
            <CardLayoutContext.Provider value={layoutApi}>
              <ZonesLayer
                tables={shape.tables}
                store={store}
                readOnly={readOnly}
                onAdd={props.onAdd}
              />
              <CardsLayer
                ids={shape.ids}
                model={model}
                store={store}
                cull={box}
                focusedId={focusedId}
                editingId={props.editingId}
                draggingId={props.draggingId}
                editorsByCard={props.editorsByCard}
              />
            </CardLayoutContext.Provider>
          </CardDetailContext.Provider>
          <RemoteCursors awareness={awareness} cull={box} />
        </div>
      </div>
    </div>
  )
}
