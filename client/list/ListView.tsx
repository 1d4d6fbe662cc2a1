/**
 * The accessible list view of the board (`/w/:id/list`): the same live doc, as headings per table
 * and cards as list items with no-drag actions. Writes go through board/actions.ts, so undo works
 * exactly as on the canvas. For screen-reader users and small screens, where it is the default for
 * participants: so it also carries what they need in the meeting (timer, lock, ballot).
 */
import { type ReactNode, useCallback, useEffect, useId, useMemo, useRef, useState } from 'react'
import { type Card, CardKind, type Table } from '../../shared/schema.ts'
import { columnsOf, compareSlots } from '../../shared/layout.ts'
import { LanguageSwitch } from '../lib/LanguageSwitch.tsx'
import { navigate } from '../lib/router.ts'
import {
  addLocalCard,
  deleteLocalCard,
  moveCardToTable,
  setLocalCardKind,
} from '../model/actions.ts'
import { useRemoteAnnouncements } from '../model/announcer.ts'
import type { BoardIdentity } from '../model/identity.ts'
import { useBoardSession } from '../model/useBoardSession.ts'
import { useBoardSnapshot } from '../model/model.ts'
import { LiveRegion } from '../widgets/LiveRegion.tsx'
import { Notices } from '../widgets/Notices.tsx'
import { StatusIndicator } from '../widgets/StatusIndicator.tsx'
import { useCardFocus } from '../model/useCardFocus.ts'
import { UndoContext } from '../model/useUndo.ts'
import { UndoButtons } from '../widgets/UndoButtons.tsx'
import { loadEditor } from '../cards/loadEditor.ts'
import { useI18n } from '../i18n/index.ts'
import type { WorkshopConnection } from '../sync/connection.ts'
import { LockBanner } from '../facilitation/LockBanner.tsx'
import { PhaseTimer } from '../facilitation/PhaseTimer.tsx'
import { useControl } from '../model/useControl.ts'
import { useControlAnnouncements } from '../model/useControlAnnouncements.ts'
import { useTasks } from '../facilitation/useTasks.ts'
import { Ballot } from '../voting/Ballot.tsx'
import { WorkshopPanels } from '../facilitation/WorkshopSide.tsx'
import { ListCard } from './ListCard.tsx'
import { boardPath } from '../model/list-route.ts'

const ADDABLE: CardKind[] = [CardKind.Vision, CardKind.Need]

export function ListView({
  conn,
  identity,
}: {
  conn: WorkshopConnection
  identity: BoardIdentity
}) {
  const { t } = useI18n()
  const doc = conn.board
  const provider = conn.boardLink.provider
  // as on the canvas: the server refuses participants' board writes while locked, so offer none
  const session = useBoardSession(conn, identity, loadEditor)
  const { locked, readOnly, editingId, setEditingId, announcement, announce } = session
  const snap = useBoardSnapshot(session.model)
  const { notices, dismiss, undo, editorsByCard, getTables } = session
  const [focusId, setFocusId] = useState<string | null>(null)
  const user = identity.user
  const presenceUser = session.user

  useRemoteAnnouncements(doc, provider, getTables, t, announce)
  useControlAnnouncements(conn, t, announce)
  const mainRef = useRef<HTMLElement>(null)
  useCardFocus(mainRef, snap.cards)

  // after a move or delete the item changes place: put focus where the user can continue
  useEffect(() => {
    if (!focusId) return
    document
      .querySelector<HTMLElement>(
        `[data-list-focus="${CSS.escape(focusId)}"], [data-card-id="${CSS.escape(focusId)}"]`,
      )
      ?.focus()
    setFocusId(null)
  }, [focusId, snap.cards])

  const onAdd = useCallback(
    (table: Table, kind: CardKind) => {
      undo.stopCapturing()
      const id = addLocalCard(doc, { kind, table, author: identity.author, cards: snap.cards })
      setEditingId(id)
      announce(t('list.added'))
    },
    [doc, identity.author, snap.cards, undo, announce, t, setEditingId],
  )
  const onKind = useCallback(
    (card: Card, kind: CardKind) => setLocalCardKind(doc, card.id, kind),
    [doc],
  )
  const onMove = useCallback(
    (card: Card, tableId: string) => {
      const table = snap.tables.find((tb) => tb.id === tableId)
      if (!table) return
      moveCardToTable(doc, card, table, snap.cards)
      announce(t('list.moved', { table: table.name }))
      setFocusId(card.id)
    },
    [doc, snap.tables, snap.cards, announce, t],
  )
  const onDelete = useCallback(
    (card: Card) => {
      // focus goes to the next card at the table (useCardFocus), as on the canvas
      deleteLocalCard(doc, card.id)
      announce(t('announce.localDeleted'))
    },
    [doc, announce, t],
  )

  // the board's slot order (shared/layout.ts): a table's vision column, then its needs column
  const groups = useMemo(() => {
    const known = new Set(snap.tables.map((tb) => tb.id))
    const byTable = snap.tables.map((table) => ({
      table,
      cards: columnsOf(table.id, snap.cards).flat(),
    }))
    const loose = snap.cards
      .filter((c) => c.table === null || !known.has(c.table))
      .sort(compareSlots)
    return { byTable, loose }
  }, [snap.tables, snap.cards])

  const cardProps = {
    doc,
    provider,
    user: presenceUser,
    tables: snap.tables,
    readOnly,
    author: identity.author,
    onEdit: setEditingId,
    onKind,
    onMove,
    onDelete,
    projector: identity.mode === 'facilitator' ? conn.control : null,
    announce,
  }
  const renderCards = (cards: Card[]) =>
    cards.length ? (
      <ul className="list-cards">
        {cards.map((c) => (
          <ListCard
            key={c.id}
            card={c}
            bodyVersion={snap.bodyVersion.get(c.id) ?? 0}
            editing={c.id === editingId}
            editors={editorsByCard.get(c.id) ?? ''}
            {...cardProps}
          />
        ))}
      </ul>
    ) : (
      <p className="hint">{t('list.empty')}</p>
    )

  const back = boardPath(identity.workshopId, identity.mode, identity.joinCode)
  return (
    <UndoContext.Provider value={undo}>
      <div className="list-screen">
        <a className="skip-link" href="#list-main">
          {t('app.skipToContent')}
        </a>
        <header className="board-header">
          <div className="title-block">
            <h1 tabIndex={-1} data-list-focus="list-top">
              {snap.meta?.title ?? t('board.loading')}
            </h1>
            {snap.meta?.question && (
              <p className="question">
                <span className="visually-hidden">{t('board.question')}: </span>
                {snap.meta.question}
              </p>
            )}
          </div>
          <PhaseTimer conn={conn} />
          <div className="header-side">
            <span className="role-badge">{t(`board.role.${identity.mode}`)}</span>
            <a
              className="view-toggle"
              href={back}
              data-testid="view-board"
              onClick={(e) => {
                e.preventDefault()
                navigate(back)
              }}
            >
              {t('list.viewBoard')}
            </a>
            <StatusIndicator conn={conn} />
            <LanguageSwitch />
          </div>
        </header>
        <LockBanner locked={locked} mode={identity.mode} />
        <main
          ref={mainRef}
          id="list-main"
          className="list-main"
          data-testid="list-view"
          tabIndex={-1}
          aria-label={t('list.heading')}
        >
          {/* while locked the banner says why nothing can be changed */}
          {!(locked && readOnly) && (
            <p className="hint">{readOnly ? t('list.readOnly') : t('list.intro')}</p>
          )}
          {!readOnly && (
            <div className="toolbar-group" role="group" aria-label={t('toolbar.label')}>
              <UndoButtons undo={undo} />
            </div>
          )}
          {identity.mode === 'participant' && (
            <ListVoting conn={conn} workshopId={identity.workshopId} />
          )}
          {groups.byTable.map(({ table, cards }) => (
            <TableSection
              key={table.id}
              table={table}
              count={cards.length}
              readOnly={readOnly}
              onAdd={onAdd}
            >
              {renderCards(cards)}
            </TableSection>
          ))}
          {groups.loose.length > 0 && (
            <section className="list-table" aria-labelledby="list-loose">
              <h2 id="list-loose">
                {t('list.noTable')}{' '}
                <span className="count">
                  ({t('list.tableCount', { count: groups.loose.length })})
                </span>
              </h2>
              {renderCards(groups.loose)}
            </section>
          )}
          {identity.mode !== 'viewer' && (
            <section
              className="list-workshop"
              aria-labelledby="list-workshop-heading"
              data-testid="list-workshop"
            >
              <h2 id="list-workshop-heading">{t('task.panelHeading')}</h2>
              <WorkshopPanels
                conn={conn}
                facilitator={identity.mode === 'facilitator'}
                author={identity.author}
                user={user}
                tables={snap.tables}
                canEdit={!readOnly}
                announce={announce}
              />
            </section>
          )}
        </main>
        <LiveRegion announcement={announcement} />
        <Notices notices={notices} dismiss={dismiss} />
      </div>
    </UndoContext.Provider>
  )
}

/** The open round's ballot (the same component as beside the canvas), or a note once it closed. */
function ListVoting({ conn, workshopId }: { conn: WorkshopConnection; workshopId: string }) {
  const { t } = useI18n()
  const headingId = useId()
  const control = useControl(conn.control)
  const { titles } = useTasks(conn.board)
  const round = control.latestRound
  if (!round || (round.status !== 'open' && round.status !== 'closed')) return null
  return (
    <section className="list-vote" aria-labelledby={headingId} data-testid="list-vote">
      <h2 id={headingId}>{t('list.vote')}</h2>
      {round.status === 'open' ? (
        <Ballot key={round.id} workshopId={workshopId} round={round} titles={titles} />
      ) : (
        <p data-testid="round-closed-note">{t('vote.closedNote')}</p>
      )}
    </section>
  )
}

function TableSection(p: {
  table: Table
  count: number
  readOnly: boolean
  onAdd(table: Table, kind: CardKind): void
  children: ReactNode
}) {
  const { t } = useI18n()
  const headingId = useId()
  const [kind, setKind] = useState<CardKind>(CardKind.Vision)
  return (
    <section
      className="list-table"
      aria-labelledby={headingId}
      data-testid="list-table"
      data-table-id={p.table.id}
      style={{ ['--zone' as string]: p.table.color }}
    >
      <h2 id={headingId} tabIndex={-1} data-list-focus={`table-${p.table.id}`}>
        {p.table.name} <span className="count">({t('list.tableCount', { count: p.count })})</span>
      </h2>
      {p.children}
      {!p.readOnly && (
        <div className="list-add">
          <label className="inline-label">
            <span>{t('list.addKind')}</span>
            <select value={kind} onChange={(e) => setKind(e.target.value as CardKind)}>
              {ADDABLE.map((k) => (
                <option key={k} value={k}>
                  {t(`kind.${k}`)}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            className="btn btn-primary"
            data-testid="list-add"
            data-add-for={p.table.id}
            onClick={() => p.onAdd(p.table, kind)}
          >
            {t('list.add', { table: p.table.name })}
          </button>
        </div>
      )}
    </section>
  )
}
