/**
 * The board as it was at one moment, drawn with the live board's Canvas and cards in read-only
 * mode. The doc belongs to the replay and changes only when the replay moves, so the view reads it
 * once per frame instead of observing it.
 */
import { type KeyboardEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react'
import * as Y from 'yjs'
import { Awareness } from 'y-protocols/awareness'
import type { WebsocketProvider } from 'y-websocket'
import type { Card, Table } from '../../shared/schema.ts'
import { useBoardModel, useBoardShape } from '../model/model.ts'
import { Canvas } from '../canvas/Canvas.tsx'
import { type BoardApi, BoardContext } from '../model/context.ts'
import { useViewport } from '../model/useViewport.ts'
import { ZOOM_STEP, union } from '../model/viewport.ts'
import { KeptFit } from '../model/keptFit.ts'
import { type BoardLayout, layoutExtent } from '../../shared/layout.ts'

/** Arrow keys on the canvas pan by this many screen px (as on the live board). */
const PAN_STEP_PX = 60
const NO_EDITORS: ReadonlyMap<string, string> = new Map()
const ignore = () => {}
/** Read-only cards never open the editor, the only reader of the provider. */
const NO_PROVIDER = null as unknown as WebsocketProvider

/** An awareness nobody else shares: the Canvas wants one for cursors, the replay has none. */
function useSilentAwareness(): Awareness | null {
  const [awareness, setAwareness] = useState<Awareness | null>(null)
  useEffect(() => {
    const doc = new Y.Doc()
    const a = new Awareness(doc)
    a.setLocalState(null)
    setAwareness(a)
    return () => {
      a.destroy()
      doc.destroy()
    }
  }, [])
  return awareness
}

interface Props {
  doc: Y.Doc
  version: number
  label: string
}

export function ReplayBoard(props: Props) {
  const awareness = useSilentAwareness()
  return (
    <div
      className="replay-board board-layout"
      data-testid="replay-board"
      aria-label={props.label}
      role="group"
    >
      {awareness && <ReplayCanvas {...props} awareness={awareness} />}
    </div>
  )
}

/** Mounted once the awareness exists, so the viewport measures a canvas that is really there. */
function ReplayCanvas({ doc, awareness }: Props & { awareness: Awareness }) {
  const canvasRef = useRef<HTMLDivElement>(null)
  const vp = useViewport(canvasRef)
  // the replay's doc is read like a live board's: each card follows its own changes as it moves
  const model = useBoardModel(doc)
  const board = useBoardShape(model)
  const tablesRef = useRef<Table[]>(board.tables)
  tablesRef.current = board.tables
  const cardsRef = useRef<() => Card[]>(() => [])
  cardsRef.current = () => model?.getSnapshot().cards ?? []

  const api = useMemo<BoardApi>(
    () => ({
      doc,
      provider: NO_PROVIDER,
      user: { name: '', color: '#37474f', table: null },
      readOnly: true,
      projector: null,
      scale: () => vp.store.get().scale,
      tables: () => tablesRef.current,
      cards: () => cardsRef.current(),
      startEdit: ignore,
      stopEdit: ignore,
      announce: ignore,
      setDragging: ignore,
    }),
    [doc, vp.store],
  )

  // the zones as the layout grew them (the Canvas fills the ref), before its first layout the tables
  const layoutRef = useRef<BoardLayout | null>(null)
  const contentBox = useCallback(
    () =>
      (layoutRef.current && layoutExtent(layoutRef.current)) ??
      union([...tablesRef.current, ...cardsRef.current()]),
    [],
  )
  // fit once the tables are known and the canvas has a size, and again while the canvas changes
  // size or the cards of that moment settle (measured, drawn at the zoom's detail), until the
  // viewer moves the view; a scrub's zones do not refit (the view would jump)
  const fitted = useRef(false)
  const kept = useMemo(() => new KeptFit(vp.store), [vp.store])
  const fitCards = useRef<readonly Card[] | null>(null)
  const keepFit = useCallback(() => {
    fitCards.current = model.getSnapshot().cards
    kept.keep(() => vp.fit(contentBox()))
  }, [kept, vp, contentBox, model])
  const onLayout = useCallback(() => {
    if (model.getSnapshot().cards === fitCards.current) kept.refresh()
    else kept.release()
  }, [kept, model])
  useEffect(() => {
    if (!fitted.current && board.tables.length > 0 && vp.size.w > 0) {
      fitted.current = true
      keepFit()
    }
  }, [board.tables.length, vp.size.w, keepFit])
  useEffect(() => kept.refresh(), [kept, vp.size.w, vp.size.h])

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (e.ctrlKey || e.metaKey || e.altKey) return
    if (e.key === '+' || e.key === '=') vp.zoomBy(ZOOM_STEP)
    else if (e.key === '-' || e.key === '_') vp.zoomBy(1 / ZOOM_STEP)
    else if (e.key === '0') keepFit()
    else if (e.target === e.currentTarget && e.key.startsWith('Arrow')) {
      const d = {
        ArrowLeft: [PAN_STEP_PX, 0],
        ArrowRight: [-PAN_STEP_PX, 0],
        ArrowUp: [0, PAN_STEP_PX],
        ArrowDown: [0, -PAN_STEP_PX],
      }[e.key]
      if (d) vp.panBy(d[0] ?? 0, d[1] ?? 0)
    } else return
    e.preventDefault()
  }

  return (
    <BoardContext.Provider value={api}>
      <Canvas
        canvasRef={canvasRef}
        vp={vp}
        model={model}
        shape={board}
        editingId={null}
        draggingId={null}
        editorsByCard={NO_EDITORS}
        awareness={awareness}
        readOnly
        onAdd={ignore}
        onKeyDown={onKeyDown}
        layoutRef={layoutRef}
        onLayout={onLayout}
      />
    </BoardContext.Provider>
  )
}
