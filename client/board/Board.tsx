/**
 * The board screen: header, status, toolbar, canvas, the side drawers (workshop panel, presence),
 * notices, room cues, announcements.
 */
import {
  type KeyboardEvent,
  type ReactNode,
  Suspense,
  lazy,
  memo,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react'
import type { BoardIdentity } from '../model/identity.ts'
import { ROUTES } from '../../shared/api.ts'
import { plainText } from '../../shared/richtext.ts'
import { type Card, type CardKind, type Table, cardBody } from '../../shared/schema.ts'
import { loadWithTexts, useI18n } from '../i18n/index.ts'
import { LanguageSwitch } from '../lib/LanguageSwitch.tsx'
import { navigate } from '../lib/router.ts'
import { listByDefault, listPath } from '../model/list-route.ts'
import type { WorkshopConnection } from '../sync/connection.ts'
import { loadEditor } from '../cards/loadEditor.ts'
import { preloadCardTools } from '../cards/LazyCardTools.tsx'
import { addLocalCard } from '../model/actions.ts'
import { useRemoteAnnouncements } from '../model/announcer.ts'
import { Canvas } from '../canvas/Canvas.tsx'
import { DrawerTabs } from './DrawerTabs.tsx'
import { DRAWER_IDS, Drawer, useDrawer } from './drawers.ts'
import { useRoomCues } from '../model/roomCues.ts'
import { LiveRegion } from '../widgets/LiveRegion.tsx'
import { type BoardApi, BoardContext } from '../model/context.ts'
import { usePausedView } from './usePausedView.ts'
import { useBodyVersion, useCard } from '../model/useCardStore.ts'
import { besideDelta, landingBox } from './readableView.ts'
import { cardSelector } from '../model/useCardFocus.ts'
import { editableTarget, useBoardSession } from '../model/useBoardSession.ts'
import { Notices } from '../widgets/LazyNotices.tsx'
import { StatusIndicator } from '../widgets/StatusIndicator.tsx'
import { ZONE_ACTIONS_PX } from '../canvas/TableZone.tsx'
import { Toolbar } from './Toolbar.tsx'
import { UndoContext } from '../model/useUndo.ts'
import { useViewport } from '../model/useViewport.ts'
import { LockBanner } from '../facilitation/LockBanner.tsx'
import { PhaseTimer } from '../facilitation/PhaseTimer.tsx'
import { TaskAuthorContext } from '../cards/taskAuthor.ts'
import { trackServerClock } from '../facilitation/serverClock.ts'
import { type RoomCue, useControlAnnouncements } from '../model/useControlAnnouncements.ts'
import { useFollowSync } from '../facilitation/useFollowSync.ts'
import { ZOOM_STEP, union } from '../model/viewport.ts'
import { KeptFit } from '../model/keptFit.ts'
import { type BoardLayout, layoutExtent } from '../../shared/layout.ts'

/**
 * The side panel (ballot, results, tasks, statement, principles; the facilitator's tools) is its
 * own chunk: a participant's drawer starts closed, so the board paints without it and the chunk
 * follows right after (see the preload below). Its props hold still while cards change: 30
 * people dragging do not re-render it.
 */
const loadWorkshopSide = loadWithTexts(() => import('../facilitation/WorkshopSide.tsx'))
const WorkshopSide = memo(lazy(() => loadWorkshopSide().then((m) => ({ default: m.WorkshopSide }))))

/** The organiser's menu (settings, snapshots, report) is the facilitator's only: its own chunk. */
const OrganiserMenu = lazy(() =>
  loadWithTexts(() => import('../organiser/OrganiserMenu.tsx'))().then((m) => ({
    default: m.OrganiserMenu,
  })),
)

/**
 * Shown only while someone writes a card: fetched with the editor itself (the session preloads
 * both once the board is up), so the first edit does not wait for it.
 */
const loadEditorPanel = loadWithTexts(() => import('../cards/EditorPanel.tsx'))
const EditorPanel = lazy(() => loadEditorPanel().then((m) => ({ default: m.EditorPanel })))
const preloadEditing = () => Promise.all([loadEditor(), loadEditorPanel()])

/** The people drawer starts closed: fetched with the side panel, after the board's first paint. */
const loadPresenceList = loadWithTexts(() => import('./PresenceList.tsx'))
const PresenceList = lazy(() => loadPresenceList().then((m) => ({ default: m.PresenceList })))

/** Arrow keys on the empty canvas pan by this many screen px. */
const PAN_STEP_PX = 60
const TITLE_CHARS = 40
/** Frames a cue waits for the side panel's chunk before giving up on focusing its heading. */
const SIDE_FOCUS_FRAMES = 60
/** Let the board paint first, then fetch the side panel's chunk in the background. */
const SIDE_PRELOAD_DELAY_MS = 500

export type { BoardIdentity, BoardMode } from '../model/identity.ts'

export function Board({ conn, identity }: { conn: WorkshopConnection; identity: BoardIdentity }) {
  const { t } = useI18n()
  // small screens: participants start in the list view (before the canvas is ever painted)
  useLayoutEffect(() => {
    if (listByDefault(identity.mode, location.hash))
      navigate(listPath(identity.workshopId, identity.mode), { replace: true })
  }, [identity.mode, identity.workshopId])
  const doc = conn.board
  const provider = conn.boardLink.provider
  const awareness = conn.awareness
  const session = useBoardSession(conn, identity, preloadEditing)
  const { model, shape, locked, readOnly, editingId, setEditingId, announcement, announce } =
    session
  const { notices, dismiss, undo, editorsByCard, getTables } = session
  const liveView = usePausedView(model, doc, provider)
  trackServerClock(conn)
  // bumped by every request to edit, so asking again while the panel is open brings the caret back
  const [editRequest, setEditRequest] = useState(0)
  const [draggingId, setDraggingId] = useState<string | null>(null)
  const canvasRef = useRef<HTMLDivElement>(null)
  const vp = useViewport(canvasRef)
  const follow = useFollowSync(conn, identity.mode, vp)

  const tablesRef = useRef<Table[]>(shape.tables)
  tablesRef.current = shape.tables
  // read when needed, not rendered: a card's write re-renders that card, not the board screen
  const modelRef = useRef(model)
  modelRef.current = model
  const cardsNow = useCallback(() => modelRef.current?.getSnapshot().cards ?? [], [])
  const user = identity.user

  useRemoteAnnouncements(doc, provider, getTables, t, announce, liveView.paused)

  // side drawers and the room cues that reach people with every drawer closed
  const drawer = useDrawer(identity.mode)
  const cueForMe = useCallback(
    // a facilitator opened the round or summoned the room themselves; a restore is news to all
    (cue: RoomCue) =>
      identity.mode === 'participant' ||
      (identity.mode === 'facilitator' && cue.kind === 'restore'),
    [identity.mode],
  )
  const cues = useRoomCues(conn, cueForMe, drawer.open === Drawer.Side)
  useControlAnnouncements(conn, t, announce, cues.push)
  const showDrawer = drawer.show
  const toRound = useCallback(() => {
    showDrawer(Drawer.Side)
    // the panel's chunk may still be on its way: try again for a few frames until it is drawn
    const focusHeading = (frames: number) =>
      requestAnimationFrame(() => {
        const heading = document.querySelector<HTMLElement>(`#${DRAWER_IDS.side} h2`)
        if (heading) heading.focus()
        else if (frames > 0) focusHeading(frames - 1)
      })
    focusHeading(SIDE_FOCUS_FRAMES)
  }, [showDrawer])

  // the card bar's own chunk right after the first paint: a first hover or focus finds it here
  useEffect(() => void preloadCardTools().catch(() => {}), [])

  const api = useMemo<BoardApi>(
    () => ({
      doc,
      provider,
      user: session.user,
      readOnly,
      projector: identity.mode === 'facilitator' ? conn.control : null,
      scale: () => vp.store.get().scale,
      tables: () => tablesRef.current,
      cards: cardsNow,
      startEdit: (id) => {
        setEditingId(id)
        setEditRequest((n) => n + 1)
      },
      // the editor panel is leaving: focus goes back to the card it was writing
      stopEdit: (id) => {
        setEditingId((cur) => (cur === id ? null : cur))
        canvasRef.current?.querySelector<HTMLElement>(cardSelector(id))?.focus()
      },
      announce,
      setDragging: setDraggingId,
    }),
    [
      doc,
      provider,
      session.user,
      readOnly,
      identity.mode,
      conn,
      announce,
      vp.store,
      setEditingId,
      cardsNow,
    ],
  )

  const onAdd = useCallback(
    (table: Table, kind: CardKind) => {
      if (readOnly) return
      undo.stopCapturing()
      const id = addLocalCard(doc, {
        kind,
        table,
        author: identity.author,
        cards: cardsNow(),
      })
      setEditingId(id)
    },
    // undo.stopCapturing reads the current manager
    [doc, readOnly, identity.author, undo, setEditingId, cardsNow],
  )

  // fit once when the tables first arrive
  const fitted = useRef(false)
  // the zones as the layout grew them (Canvas fills the ref); before its first layout, the tables
  const layoutRef = useRef<BoardLayout | null>(null)
  const fit = useCallback(
    () =>
      vp.fit(
        (layoutRef.current && layoutExtent(layoutRef.current)) ??
          union([...tablesRef.current, ...cardsNow()]),
        readOnly ? 0 : ZONE_ACTIONS_PX,
      ),
    [vp, readOnly, cardsNow],
  )
  // a participant's own table at a zoom where its cards can be read; facilitators and the
  // projector see the whole board
  const myTableId = identity.mode === 'participant' ? (user?.table ?? null) : null
  const fitMyTable = useCallback(() => {
    const table = tablesRef.current.find((tb) => tb.id === myTableId)
    if (!table) return false
    const inset = readOnly ? 0 : ZONE_ACTIONS_PX
    vp.fit(landingBox(table, vp.store.size.w, vp.store.size.h, inset), inset)
    return true
  }, [vp, readOnly, myTableId])
  // the first view, and one chosen with "Alles in beeld" or "Mijn tafel", follows the canvas's size
  // and the zones' growth until the person pans or zooms
  const kept = useMemo(() => new KeptFit(vp.store), [vp.store])
  const keepFit = useCallback(() => kept.keep(fit), [kept, fit])
  const keepMyTable = useCallback(() => kept.keep(fitMyTable), [kept, fitMyTable])
  useEffect(() => {
    if (!fitted.current && shape.tables.length > 0 && vp.size.w > 0) {
      fitted.current = true
      // the projector's view is useProjectorView's (it fits again itself, or follows the facilitator)
      if (identity.mode === 'viewer') fit()
      else
        kept.keep(() => {
          if (!fitMyTable()) fit()
        })
    }
  }, [shape.tables.length, vp.size.w, fit, fitMyTable, kept, identity.mode])
  useEffect(() => kept.refresh(), [kept, vp.size.w, vp.size.h])
  // a zone that grows under a dragged card must not move the view (and the drop slot) with it
  const dragging = useRef(draggingId)
  dragging.current = draggingId
  const onLayout = useCallback(() => {
    if (!dragging.current) kept.refresh()
  }, [kept])
  // the card being written stays in sight beside the editor panel
  const { panBy } = vp
  const keepBesidePanel = useCallback(
    (panel: DOMRect) => {
      const canvas = canvasRef.current
      const card = editingId ? canvas?.querySelector(cardSelector(editingId)) : null
      if (!canvas || !card) return
      const dx = besideDelta(card.getBoundingClientRect(), panel, canvas.getBoundingClientRect())
      if (dx) panBy(dx, 0)
    },
    [panBy, editingId],
  )

  function onCanvasKey(e: KeyboardEvent<HTMLDivElement>) {
    if (editableTarget(e.target) || e.ctrlKey || e.metaKey || e.altKey) return
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

  const cardTitle = useCallback(
    (card: Card) => {
      const f = cardBody(doc, card.id)
      const text = f ? plainText(f).replace(/\s+/g, ' ').trim() : ''
      return text
        ? text.length > TITLE_CHARS
          ? `${text.slice(0, TITLE_CHARS)}…`
          : text
        : t(`kind.${card.kind}`)
    },
    [doc, t],
  )

  const present = identity.mode === 'viewer'
  const ownTable = user?.table ?? null
  const editingCard = useCard(model, editingId)
  const editingBodyVersion = useBodyVersion(model, editingId)
  const editingBody = editingCard ? cardBody(doc, editingCard.id) : null
  return (
    <BoardContext.Provider value={api}>
      <TaskAuthorContext.Provider value={identity.author}>
        <div
          className={`board-screen${present ? ' present' : ''}`}
          data-testid={present ? 'present-view' : undefined}
        >
          <a className="skip-link" href="#board-main">
            {t('app.skipToContent')}
          </a>
          <header className="board-header">
            <div className="title-block">
              <h1>{shape.meta?.title ?? t('board.loading')}</h1>
              {shape.meta?.question && (
                <p className="question">
                  <span className="visually-hidden">{t('board.question')}: </span>
                  {shape.meta.question}
                </p>
              )}
            </div>
            {/* a fixed slot: starting a phase or the timer never moves the rest of the header */}
            <div className="header-phase">
              <PhaseTimer conn={conn} />
            </div>
            <div className="header-side">
              <span className="role-badge">{t(`board.role.${identity.mode}`)}</span>
              {identity.mode === 'facilitator' && identity.joinCode && (
                <>
                  <span className="join-code" data-testid="board-join-code">
                    {t('board.joinCode', { code: identity.joinCode })}
                  </span>
                  <a
                    href={ROUTES.present(identity.workshopId, identity.joinCode)}
                    target="_blank"
                    rel="noopener"
                  >
                    {t('board.projectorLink')}
                  </a>
                </>
              )}
              {identity.mode === 'facilitator' && (
                <Suspense fallback={null}>
                  <OrganiserMenu workshopId={identity.workshopId} />
                </Suspense>
              )}
              {!present && (
                <a
                  className="view-toggle"
                  href={listPath(identity.workshopId, identity.mode)}
                  data-testid="view-list"
                  onClick={(e) => (
                    e.preventDefault(),
                    navigate(listPath(identity.workshopId, identity.mode))
                  )}
                >
                  {t('list.viewList')}
                </a>
              )}
              <StatusIndicator conn={conn} />
              {!present && <LanguageSwitch />}
            </div>
          </header>
          <LockBanner locked={locked} mode={identity.mode} />
          <main id="board-main" className="board-main" tabIndex={-1}>
            {!present && (
              <Toolbar
                tables={shape.tables}
                defaultTable={ownTable}
                readOnly={readOnly}
                viewport={vp.store}
                undo={undo}
                onAdd={onAdd}
                onZoomIn={() => vp.zoomBy(ZOOM_STEP)}
                onZoomOut={() => vp.zoomBy(1 / ZOOM_STEP)}
                onFit={keepFit}
                onMyTable={
                  myTableId && shape.tables.some((tb) => tb.id === myTableId) ? keepMyTable : null
                }
                paused={liveView.paused}
                waiting={liveView.waiting}
                onTogglePause={() => {
                  announce(t(liveView.paused ? 'live.resumedAnnounce' : 'live.pausedAnnounce'))
                  liveView.toggle()
                }}
                trailing={
                  <DrawerTabs
                    conn={conn}
                    awareness={awareness}
                    drawer={drawer}
                    sideLabel={t(
                      identity.mode === 'facilitator' ? 'fac.panelHeading' : 'task.panelHeading',
                    )}
                    showRoundBadge={identity.mode === 'participant'}
                  />
                }
              />
            )}
            <div className="board-layout">
              <Canvas
                canvasRef={canvasRef}
                vp={vp}
                model={model}
                shape={shape}
                editingId={editingId}
                draggingId={draggingId}
                editorsByCard={editorsByCard}
                awareness={awareness}
                readOnly={readOnly}
                onAdd={onAdd}
                onKeyDown={onCanvasKey}
                layoutRef={layoutRef}
                onLayout={onLayout}
                lod={!present}
              />
              {editingCard && editingBody && (
                <Suspense fallback={null}>
                  <EditorPanel
                    key={editingCard.id}
                    card={editingCard}
                    fragment={editingBody}
                    provider={provider}
                    user={api.user}
                    bodyVersion={editingBodyVersion}
                    tableName={shape.tables.find((tb) => tb.id === editingCard.table)?.name ?? null}
                    editors={editorsByCard.get(editingCard.id) ?? ''}
                    focusRequest={editRequest}
                    undo={undo}
                    onClose={() => api.stopEdit(editingCard.id)}
                    onShown={keepBesidePanel}
                  />
                </Suspense>
              )}
              {!present && drawer.open === Drawer.Presence && (
                <Suspense fallback={null}>
                  <PresenceList
                    id={DRAWER_IDS.presence}
                    awareness={awareness}
                    tables={shape.tables}
                    model={model}
                    cardTitle={cardTitle}
                    onClose={() => drawer.show(null)}
                  />
                </Suspense>
              )}
              <DeferredSide show={present || drawer.open === Drawer.Side}>
                <Suspense
                  fallback={
                    // the panel's column is held while its chunk loads, so the canvas keeps its size
                    present ? (
                      <div className="present-side" data-testid="side-placeholder" />
                    ) : (
                      <div
                        className="workshop-side drawer"
                        hidden={drawer.open !== Drawer.Side}
                        data-testid="side-placeholder"
                      >
                        <p className="drawer-loading">{t('app.loading')}</p>
                      </div>
                    )
                  }
                >
                  {/* the statement's editor drives the same undo */}
                  <UndoContext.Provider value={undo}>
                    <WorkshopSide
                      conn={conn}
                      mode={identity.mode}
                      workshopId={identity.workshopId}
                      joinCode={identity.joinCode}
                      author={identity.author}
                      user={user}
                      tables={shape.tables}
                      canEdit={!readOnly}
                      follow={follow}
                      announce={announce}
                      drawerId={DRAWER_IDS.side}
                      open={drawer.open === Drawer.Side}
                      onClose={() => drawer.show(null)}
                    />
                  </UndoContext.Provider>
                </Suspense>
              </DeferredSide>
            </div>
          </main>
          <LiveRegion announcement={announcement} />
          <Notices
            notices={notices}
            dismiss={dismiss}
            cues={{ cues: cues.cues, dismiss: cues.dismiss, toRound }}
          />
        </div>
      </TaskAuthorContext.Provider>
    </BoardContext.Provider>
  )
}

/**
 * The side panel's place. The side panel and the people drawer are fetched once the board is up,
 * so they open even if the connection drops; a closed side panel is rendered (hidden) from then
 * on, or from the moment it is first `show`n. Rendered from the board's first render, it fetched and ran
 * its chunks while the board was still reading its cards. The arrival re-renders this alone.
 */
function DeferredSide({ show, children }: { show: boolean; children: ReactNode }) {
  const [loaded, setLoaded] = useState(false)
  // once shown it stays, as it always did: closing the drawer before the preload arrived must not
  // unmount the panel (and what it holds)
  if (show && !loaded) setLoaded(true)
  useEffect(() => {
    let live = true
    const timer = setTimeout(
      () =>
        void Promise.all([loadWorkshopSide(), loadPresenceList()]).then(
          () => live && setLoaded(true),
          () => {},
        ),
      SIDE_PRELOAD_DELAY_MS,
    )
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [])
  return loaded ? children : null
}
