/**
 * The projector (issue #11 point 1): one scene at a time, full screen, for the room. The scene
 * follows the meeting unless the facilitator picked one (client/facilitation/presentScene.ts).
 * Nothing here edits, scrolls or speaks to one person: texts address the room.
 */
import { type ReactNode, useId } from 'react'
import { ROUTES, formatJoinCode } from '../../shared/api.ts'
import { PresentScene } from '../../shared/control.ts'
import type { BoardIdentity } from '../model/identity.ts'
import { useI18n } from '../i18n/index.ts'
import { navigate } from '../lib/router.ts'
import type { WorkshopConnection } from '../sync/connection.ts'
import { useDisplayStatus } from '../sync/useWorkshop.ts'
import { useBoard } from '../model/model.ts'
import { useControl } from '../model/useControl.ts'
import { PhaseTimer } from '../facilitation/PhaseTimer.tsx'
import { trackServerClock } from '../facilitation/serverClock.ts'
import { usePresentChoice } from '../facilitation/presentScene.ts'
import { shortUrl, useJoinLink } from '../facilitation/joinLink.ts'
import { useTasks } from '../facilitation/useTasks.ts'
import { type Every, everyInterval } from './pager.ts'
import { JoinScene } from './JoinScene.tsx'
import { TablesScene } from './TablesScene.tsx'
import { VotingScene } from './VotingScene.tsx'
import { ResultsScene } from './ResultsScene.tsx'
import { OutcomeScene } from './OutcomeScene.tsx'
import { SpotlightScene } from './SpotlightScene.tsx'
import './screen.css'

interface Props {
  conn: WorkshopConnection
  identity: BoardIdentity
  /** The live board, for the board scene (the route owns it: it is a chunk of its own). */
  board: ReactNode
  every?: Every
}

export function PresentScreen({ conn, identity, board, every = everyInterval }: Props) {
  const { t } = useI18n()
  trackServerClock(conn)
  const status = useDisplayStatus(conn)
  const snap = useBoard(conn.board)
  const control = useControl(conn.control)
  const choice = usePresentChoice(conn.control)
  const { titles, principles } = useTasks(conn.board)
  const joinCode = identity.joinCode
  // asked once the workshop is known to exist (its board synced), not for a dead link
  const link = useJoinLink(snap.meta ? joinCode : null)
  const headingId = useId()

  if (status.startsWith('refused:')) return <MissingWorkshop />
  if (choice.scene === PresentScene.Board) return <>{board}</>
  if (!snap.meta)
    return (
      <main className="present-screen present-missing" data-testid="present-loading">
        <p role="status">{t('app.loading')}</p>
      </main>
    )

  const scene = (() => {
    switch (choice.scene) {
      case PresentScene.Join:
        return (
          <JoinScene joinCode={joinCode} link={link} joined={control.joined} tables={snap.tables} />
        )
      case PresentScene.Tables:
        return <TablesScene board={conn.board} snap={snap} every={every} />
      case PresentScene.Voting:
        return (
          <VotingScene control={control} doc={conn.control} titles={titles} tables={snap.tables} />
        )
      case PresentScene.Results:
        return (
          <ResultsScene
            control={control}
            titles={titles}
            tables={snap.tables}
            perTable={choice.perTable}
          />
        )
      case PresentScene.Outcome:
        return (
          <OutcomeScene
            board={conn.board}
            principles={principles}
            chosen={control.chosen}
            titles={titles}
          />
        )
      case PresentScene.Spotlight:
        return (
          <SpotlightScene
            board={conn.board}
            spotlight={choice.spotlight}
            snap={snap}
            titles={titles}
          />
        )
    }
  })()

  return (
    <div className="present-screen" data-testid="present-view" data-scene={choice.scene}>
      <header className="present-head">
        <h1 className="present-title">{snap.meta?.title ?? t('present.screenLabel')}</h1>
        <div className="present-phase">
          <PhaseTimer conn={conn} />
        </div>
        {choice.scene !== PresentScene.Join && joinCode && (
          <p className="present-head-join" data-testid="present-head-join">
            {t('present.headerJoin', {
              url: link ? shortUrl(link.url) : location.host,
              code: formatJoinCode(joinCode),
            })}
          </p>
        )}
      </header>
      <main className="present-main" aria-labelledby={headingId}>
        <h2 id={headingId} className="visually-hidden" data-testid="present-scene-name">
          {t(`scene.${choice.scene}`)}
        </h2>
        {scene}
      </main>
    </div>
  )
}

/** A projector link to a workshop the server does not know: say so, instead of loading forever. */
function MissingWorkshop() {
  const { t } = useI18n()
  return (
    <main className="present-screen present-missing" data-testid="present-missing">
      <h1>{t('present.missingTitle')}</h1>
      <p>{t('present.missingBody')}</p>
      <p>
        <a href={ROUTES.home} onClick={(e) => (e.preventDefault(), navigate(ROUTES.home))}>
          {t('present.missingHome')}
        </a>
      </p>
    </main>
  )
}
