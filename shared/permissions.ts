/** Who may write which doc. The server enforces this per connection; the client only mirrors it. */
import { DocName, Role } from './protocol.ts'
import { BOARD_ROOT, type BoardRootName, CardEditScope } from './schema.ts'

export function canWrite(role: Role, doc: DocName): boolean {
  switch (role) {
    case Role.Facilitator:
      return true
    case Role.Participant:
      return doc === DocName.Board
    case Role.Viewer:
      return false
  }
}

/**
 * What a participant may do inside each root of the board doc. Candidate tasks are proposed by
 * anyone but curated (renamed, merged, deleted) by facilitators; the title, question, anonymity
 * setting and the tables are the facilitator's; the trash is the server's. The server checks every
 * participant update against this; the client only hides the controls. Inside cards, statement and
 * principles the workshop's {@link BoardPolicy} decides further, per card (judgeUpdate).
 */
export const ParticipantAccess = { Write: 'write', AddOnly: 'add-only', None: 'none' } as const
export type ParticipantAccess = (typeof ParticipantAccess)[keyof typeof ParticipantAccess]

export const PARTICIPANT_BOARD_ACCESS: Record<BoardRootName, ParticipantAccess> = {
  [BOARD_ROOT.meta]: ParticipantAccess.None,
  [BOARD_ROOT.tables]: ParticipantAccess.None,
  [BOARD_ROOT.tasks]: ParticipantAccess.AddOnly,
  [BOARD_ROOT.cards]: ParticipantAccess.Write,
  [BOARD_ROOT.principles]: ParticipantAccess.Write,
  [BOARD_ROOT.statement]: ParticipantAccess.Write,
  [BOARD_ROOT.trash]: ParticipantAccess.None,
}

/** Roots a participant update may not create are refused too: the layout is closed. */
export function participantAccess(root: string): ParticipantAccess {
  return (
    (PARTICIPANT_BOARD_ACCESS as Record<string, ParticipantAccess | undefined>)[root] ??
    ParticipantAccess.None
  )
}

/**
 * What a facilitator may do inside each root of the board doc through Yjs. Everything but meta:
 * title, language and anonymity are owned by the workshop row and the question is set with them,
 * all through the settings route (PATCH /api/workshops/:id/settings), which mirrors them into
 * meta as a server write. A Yjs write to meta would make the doc disagree with the row.
 */
export const FACILITATOR_BOARD_ACCESS: Record<BoardRootName, ParticipantAccess> = {
  [BOARD_ROOT.meta]: ParticipantAccess.None,
  [BOARD_ROOT.tables]: ParticipantAccess.Write,
  [BOARD_ROOT.tasks]: ParticipantAccess.Write,
  [BOARD_ROOT.cards]: ParticipantAccess.Write,
  [BOARD_ROOT.principles]: ParticipantAccess.Write,
  [BOARD_ROOT.statement]: ParticipantAccess.Write,
  // the server copies deleted cards there and restores them through a route
  [BOARD_ROOT.trash]: ParticipantAccess.None,
}

/** What a writer of `role` may do inside `root` of the board doc (viewers never write). */
export function boardAccess(role: Role, root: string): ParticipantAccess {
  switch (role) {
    case Role.Participant:
      return participantAccess(root)
    case Role.Facilitator:
      return (
        (FACILITATOR_BOARD_ACCESS as Record<string, ParticipantAccess | undefined>)[root] ??
        ParticipantAccess.None
      )
    case Role.Viewer:
      return ParticipantAccess.None
  }
}

/** Board roots whose entries carry an `author` field that names who wrote them. */
export const AUTHORED_ROOTS: readonly string[] = [BOARD_ROOT.cards, BOARD_ROOT.tasks]
export const AUTHOR_FIELD = 'author'
/** A card's table field: moving a card is changing it, and where it lands is checked too. */
export const CARD_TABLE_FIELD = 'table'

/**
 * The `author` a writer's new card or task must carry: a participant's own id, or the role for
 * facilitators (they share one key, so they have no id of their own). The server stamps it.
 */
export function authorFor(role: Role, participantId: string | null): string {
  return role === Role.Participant && participantId ? participantId : role
}

/**
 * Who may change cards ({@link CardEditScope}, a workshop setting owned by the workshops row and
 * mirrored into meta):
 * - `own-table` (default): the cards at one's own table and the cards one wrote (wherever they are);
 * - `everyone`: any card;
 * - `own-cards`: only the cards one wrote.
 * Changing is editing text, kind, position or table (a move is a change: it needs the right to
 * change the card, wherever it goes) and deleting. Adding a card is allowed at every table in
 * every mode: the new card is the writer's own, so they keep the right to change it, and it
 * changes nobody else's work (which is what the setting protects; the facilitator can move or
 * delete it). Facilitators may always change every card. A participant always has the table
 * they joined (join requires one); if the facilitator removes that table they keep their own cards.
 *
 * The workshop's board policy: that, and whether statement and principles are open to
 * participants (closed by default: facilitator-only).
 */
export interface BoardPolicy {
  cardScope: CardEditScope
  sharedTextOpen: boolean
}
export const DEFAULT_BOARD_POLICY: BoardPolicy = {
  cardScope: CardEditScope.OwnTable,
  sharedTextOpen: false,
}

/** The person writing, as the server knows them (token row), never as the client says. */
export interface CardWriter {
  role: Role
  participantId: string | null
  tableId: string | null
}

/** What of a card decides who may change it. */
export interface CardOwnership {
  author: unknown
  table: unknown
}

/** Whether `who` may change (edit, move, re-kind, delete) an existing card. */
export function mayChangeCard(policy: BoardPolicy, who: CardWriter, card: CardOwnership): boolean {
  if (who.role === Role.Facilitator) return true
  if (who.role !== Role.Participant || !who.participantId) return false
  const own = card.author === who.participantId
  switch (policy.cardScope) {
    case CardEditScope.Everyone:
      return true
    case CardEditScope.OwnCards:
      return own
    case CardEditScope.OwnTable:
      return own || (who.tableId !== null && card.table === who.tableId)
  }
}

/** Board roots that are the facilitator's unless the workshop opens them to participants. */
export const SHARED_TEXT_ROOTS: readonly string[] = [BOARD_ROOT.statement, BOARD_ROOT.principles]

/** Whether `who` may write the statement and the principles. */
export function mayWriteSharedText(policy: BoardPolicy, role: Role): boolean {
  return role === Role.Facilitator || (role === Role.Participant && policy.sharedTextOpen)
}
