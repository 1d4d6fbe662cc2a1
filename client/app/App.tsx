/**
 * The routes. Each screen is its own chunk, loaded when its route is opened: the join page and
 * the board do not carry the start page, the replay, the list or the organiser's screens.
 */
import { type ReactNode, Suspense, lazy } from 'react'
import { ROUTES } from '../../shared/api.ts'
import { useI18n } from '../i18n/index.ts'
import { Page } from '../lib/Page.tsx'
import { matchRoute, navigate, useLocation } from '../lib/router.ts'
import { matchReplayRoute } from '../lib/replay-route.ts'
import { listMode, matchListRoute } from '../model/list-route.ts'
import type { BoardMode } from '../model/identity.ts'
import { prefetchReplay } from '../replay/prefetch.ts'

/** The board's two chunks at once (not the route, then the board it renders). */
const loadBoardRoute = () => {
  void import('../board/Board.tsx').catch(() => {})
  return import('./BoardRoute.tsx')
}

const Home = lazy(() => import('./Home.tsx').then((m) => ({ default: m.Home })))
// while someone types their name, the board they are about to open is fetched
const Join = lazy(() =>
  import('./Join.tsx').then((m) => (void loadBoardRoute().catch(() => {}), { default: m.Join })),
)
const BoardRoute = lazy(() => loadBoardRoute().then((m) => ({ default: m.BoardRoute })))
const ReplayRoute = lazy(() =>
  import('../replay/ReplayRoute.tsx').then((m) => ({ default: m.ReplayRoute })),
)

/**
 * The board route's key per role: the list view (/w/:id/list) of the same role is the same
 * route, so switching between board and list keeps the connection, the doc and the person's undo.
 */
const routeKey = (mode: BoardMode, id: string) => `${mode}:${id}`

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
    // the history is asked for while the replay's chunks load
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
