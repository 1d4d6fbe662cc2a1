import { ROUTES } from '../../shared/api.ts'
import { useI18n } from '../i18n/index.ts'
import { BoardRoute } from './BoardRoute.tsx'
import { Home } from './Home.tsx'
import { Join } from './Join.tsx'
import { Page } from './Page.tsx'
import { matchRoute, navigate, useLocation } from './router.ts'
import { ReplayRoute } from '../replay/ReplayRoute.tsx'
import { matchReplayRoute } from '../replay/route.ts'
import { ListRoute } from '../list/ListRoute.tsx'
import { matchListRoute } from '../list/route.ts'

export function App() {
  const { path, hash } = useLocation()
  const replay = matchReplayRoute(path)
  if (replay) return <ReplayRoute key={`r:${replay.id}`} id={replay.id} hash={hash} />
  const list = matchListRoute(path)
  if (list) return <ListRoute key={`l:${list.id}`} id={list.id} hash={hash} />
  const route = matchRoute(path)
  switch (route.name) {
    case 'home':
      return <Home />
    case 'join':
      return <Join key={route.code} code={route.code} />
    case 'board':
      return <BoardRoute key={`p:${route.id}`} mode="participant" id={route.id} hash={hash} />
    case 'facilitate':
      return <BoardRoute key={`f:${route.id}`} mode="facilitator" id={route.id} hash={hash} />
    case 'present':
      return <BoardRoute key={`v:${route.id}`} mode="viewer" id={route.id} hash={hash} />
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
