/**
 * The three board routes: participant (/w/:id), facilitator (/w/:id/facilitate#key=…) and
 * projector (/w/:id/present#code=…). Resolves the credential, then opens the connection.
 */
import { Suspense, useEffect, useMemo, useState } from 'react'
import { ROUTES } from '../../shared/api.ts'
import type { Credential } from '../../shared/protocol.ts'
import type { BoardIdentity, BoardMode } from '../model/identity.ts'
import { loadWithTexts, useI18n } from '../i18n/index.ts'
import { PresenceRole } from '../../shared/presence.ts'
import { colorFor } from '../sync/presence.ts'
import { useWorkshop } from '../sync/useWorkshop.ts'
import { Page } from '../lib/Page.tsx'
import { preloadable } from '../lib/preloadable.tsx'
import { hashParams, navigate } from '../lib/router.ts'
import {
  loadFacilitatorKey,
  loadJoinCode,
  loadParticipant,
  saveFacilitatorKey,
  saveJoinCode,
} from '../lib/session.ts'
import { useWorkshopDeleted } from '../organiser/deleted.ts'
import { isGone } from '../organiser/workshopKeys.ts'
import { WorkshopDeleted } from '../organiser/WorkshopDeleted.tsx'
import { useJoinCode } from '../facilitation/useJoinCode.ts'

// their own chunks, fetched while the connection opens: the list view is not on the board's path
const board = preloadable(
  () => import('../board/Board.tsx'),
  (m) => m.Board,
)
// with the texts of the screens off the participant's path (i18n/index.ts, loadTexts)
const list = preloadable(
  loadWithTexts(() => import('../list/ListView.tsx')),
  (m) => m.ListView,
)
const present = preloadable(
  loadWithTexts(() => import('../present/PresentScreen.tsx')),
  (m) => m.PresentScreen,
)
const Board = board.Component
const ListView = list.Component
const PresentScreen = present.Component

/** Fetches the screen the route shows for `mode` and `view`. */
export function preloadScreen(mode: BoardMode, view: 'board' | 'list'): Promise<unknown> {
  return (view === 'list' ? list : mode === 'viewer' ? present : board).preload()
}

interface Resolved {
  credential: Credential | null
  missing: 'noSession' | 'noKey' | 'noCode' | null
  participant: ReturnType<typeof loadParticipant>
  joinCode: string | null
}

function resolve(mode: BoardMode, id: string, hash: string): Resolved {
  const params = hashParams(hash)
  const joinCode = params.get('code') ?? loadJoinCode(id)
  if (mode === 'participant') {
    const p = loadParticipant(id)
    return {
      credential: p && { kind: 'participant', token: p.token },
      missing: p ? null : 'noSession',
      participant: p,
      joinCode,
    }
  }
  if (mode === 'facilitator') {
    const key = params.get('key') ?? loadFacilitatorKey(id)
    return {
      credential: key ? { kind: 'facilitator', key } : null,
      missing: key ? null : 'noKey',
      participant: null,
      joinCode,
    }
  }
  return {
    credential: joinCode ? { kind: 'viewer', code: joinCode } : null,
    missing: joinCode ? null : 'noCode',
    participant: null,
    joinCode,
  }
}

export function BoardRoute({
  mode,
  id,
  hash,
  view = 'board',
}: {
  mode: BoardMode
  id: string
  hash: string
  view?: 'board' | 'list'
}) {
  const { t } = useI18n()
  // the hash is read once per workshop: after storing a facilitator key we strip it from the URL
  // (the route is keyed by mode and id, so a new workshop mounts a new BoardRoute)
  const [resolved] = useState(() => resolve(mode, id, hash))
  // this device saw the workshop deleted: no connection, no board from a stale copy
  // (the projector asks anyway: its own screen says the workshop is not there, deleted or never made)
  const [goneBefore] = useState(() => mode !== 'viewer' && isGone(id))
  const conn = useWorkshop(id, goneBefore ? null : resolved.credential)
  const deleted = useWorkshopDeleted(id, conn)
  useEffect(() => {
    // only a head start: a failed download surfaces when the screen itself renders
    preloadScreen(mode, view).catch(() => {})
  }, [view, mode])

  useEffect(() => {
    const key = hashParams(hash).get('key')
    if (mode === 'facilitator' && key) {
      saveFacilitatorKey(id, key)
      // keep the secret out of the address bar (screenshots, projector, history)
      history.replaceState(null, '', location.pathname)
    }
    // a facilitator link from another device carries the code too (the header shows it)
    if (mode !== 'participant' && resolved.joinCode) saveJoinCode(id, resolved.joinCode)
  }, [mode, id, hash, resolved.joinCode])
  // a facilitator link without the code (older links, a device that never saw it): ask the
  // server (after the effect above stored the key), so the header shows code and projector link without a reload
  const joinCode = useJoinCode(
    id,
    resolved.joinCode,
    mode === 'facilitator' && resolved.credential !== null && !goneBefore,
  )

  const facilitatorName = t('board.role.facilitator')
  const identity = useMemo<BoardIdentity>(() => {
    const p = resolved.participant
    const user =
      mode === 'viewer'
        ? null
        : p
          ? {
              name: p.name,
              color: colorFor(p.participantId),
              table: p.tableId,
              role: PresenceRole.Participant,
            }
          : {
              name: facilitatorName,
              color: colorFor(`facilitator:${id}`),
              table: null,
              role: PresenceRole.Facilitator,
            }
    return {
      mode,
      user,
      author: p?.participantId ?? mode,
      workshopId: id,
      joinCode,
    }
  }, [mode, id, resolved, facilitatorName, joinCode])

  if (goneBefore || (deleted && mode !== 'viewer')) return <WorkshopDeleted />
  if (resolved.missing) {
    return (
      <Page>
        <h1>{t('app.name')}</h1>
        <p>{t(`board.${resolved.missing}`)}</p>
        <p>
          <a
            href={resolved.joinCode ? ROUTES.join(resolved.joinCode) : ROUTES.home}
            onClick={(e) => {
              e.preventDefault()
              navigate(resolved.joinCode ? ROUTES.join(resolved.joinCode) : ROUTES.home)
            }}
          >
            {t('board.noSessionLink')}
          </a>
        </p>
      </Page>
    )
  }
  const loading = (
    <Page>
      <p role="status">{t('board.loading')}</p>
    </Page>
  )
  if (!conn) return loading
  return (
    <Suspense fallback={loading}>
      {view === 'list' ? (
        <ListView conn={conn} identity={identity} />
      ) : mode === 'viewer' ? (
        // the projector's scenes; the board itself is one of them, loaded only when shown
        <PresentScreen
          conn={conn}
          identity={identity}
          board={<Board conn={conn} identity={identity} />}
        />
      ) : (
        <Board conn={conn} identity={identity} />
      )}
    </Suspense>
  )
}
