/**
 * The routes. Each screen is its own chunk, loaded when its route is opened: the join page and
 * the board do not carry the start page, the replay, the list or the organiser's screens.
 */
import { type ReactNode, Suspense } from 'react'
import { ROUTES } from '../../shared/api.ts'
import { loadWithTexts, useI18n } from '../i18n/index.ts'
import { Page } from '../lib/Page.tsx'
import { preloadable } from '../lib/preloadable.tsx'
import { matchRoute, navigate, useLocation } from '../lib/router.ts'
import { matchReplayRoute } from '../lib/replay-route.ts'
import { listMode, matchListRoute } from '../model/list-route.ts'
import type { BoardMode } from '../model/identity.ts'
import { prefetchReplay } from '../replay/prefetch.ts'

const boardRoute = preloadable(
  () => import('./BoardRoute.tsx'),
  (m) => m.BoardRoute,
)
/** The route's chunk and its screen's (the board, the list or the projector) at once. */
const loadBoardRoute = (mode: BoardMode, view: 'board' | 'list' = 'board') => {
  if (view === 'board' && mode !== 'viewer') void import('../board/Board.tsx').catch(() => {})
  return boardRoute.preload().then((m) => m.preloadScreen(mode, view))
}

// screens off the participant's path bring their texts along (i18n/index.ts, loadTexts)
const home = preloadable(
  loadWithTexts(() => import('./Home.tsx')),
  (m) => m.Home,
)
// while someone types their name, the board they are about to open is fetched
const join = preloadable(
  () => import('./Join.tsx').then((m) => (void loadBoardRoute('participant').catch(() => {}), m)),
  (m) => m.Join,
)
const replayRoute = preloadable(
  loadWithTexts(() => import('../replay/ReplayRoute.tsx')),
  (m) => m.ReplayRoute,
)

/**
 * The board route's key per role: the list view (/w/:id/list) of the same role is the same
 * route, so switching between board and list keeps the connection, the doc and the person's undo.
 */
const routeKey = (mode: BoardMode, id: string) => `${mode}:${id}`
const Home = home.Component
const Join = join.Component
const BoardRoute = boardRoute.Component
const ReplayRoute = replayRoute.Component

/**
 * Fetches what the route at `path` renders first, so the first render shows it without a
 * Suspense fallback (lib/preloadable.tsx: React holds content back after a fallback was shown).
 */
export function preloadRoute(path: string, hash: string): Promise<unknown> {
  const replay = matchReplayRoute(path)
  if (replay) {
    // the replay's head is on the server's side the longest: asked for before the chunks load
    prefetchReplay(replay.id, hash)
    return replayRoute.preload()
  }
  // the list view is the board route of the same role, showing the list screen
  if (matchListRoute(path)) return loadBoardRoute('participant', 'list')
  const route = matchRoute(path)
  switch (route.name) {
    case 'home':
      return home.preload()
    case 'join':
      return join.preload()
    case 'board':
      return loadBoardRoute('participant')
    case 'facilitate':
      return loadBoardRoute('facilitator')
    case 'present':
      return loadBoardRoute('viewer')
    case 'notFound':
      return Promise.resolve()
  }
}

function Loading() {
  const { t } = useI18n()
  return (
    <Page>
      <p role="status">{t('app.loading')}</p>
    </Page>
  )
}

export function App() {
  return (
    <Suspense fallback={<Loading />}>
      <Routes />
    </Suspense>
  )
}

function Routes(): ReactNode {
  const { path, hash } = useLocation()
  const replay = matchReplayRoute(path)
  if (replay) {
    // asked for at start (preloadRoute); this covers a replay reached by navigating
    prefetchReplay(replay.id, hash)
    return <ReplayRoute key={`r:${replay.id}`} id={replay.id} hash={hash} />
  }
  const list = matchListRoute(path)
  if (list) {
    const mode = listMode(list.id, hash)
    return (
      <BoardRoute key={routeKey(mode, list.id)} mode={mode} id={list.id} hash={hash} view="list" />
    )
  }
  const route = matchRoute(path)
  switch (route.name) {
    case 'home':
      return <Home />
    case 'join':
      return <Join key={route.code} code={route.code} />
    case 'board':
      return (
        <BoardRoute
          key={routeKey('participant', route.id)}
          mode="participant"
          id={route.id}
          hash={hash}
        />
      )
    case 'facilitate':
      return (
        <BoardRoute
          key={routeKey('facilitator', route.id)}
          mode="facilitator"
          id={route.id}
          hash={hash}
        />
      )
    case 'present':
      return (
        <BoardRoute key={routeKey('viewer', route.id)} mode="viewer" id={route.id} hash={hash} />
      )
    case 'notFound':
      return <NotFound />
  }
}

function NotFound() {
  const { t } = useI18n()
  return (
    <Page>
      <h1>{t('error.NOT_FOUND')}</h1>
      <p>
        <a href={ROUTES.home} onClick={(e) => (e.preventDefault(), navigate(ROUTES.home))}>
          {t('join.backHome')}
        </a>
      </p>
    </Page>
  )
}
