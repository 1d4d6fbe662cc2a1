/** Who may write which doc. The server enforces this per connection; the client only mirrors it. */
import { DocName, Role } from './protocol.ts'
import { BOARD_ROOT, type BoardRootName } from './schema.ts'

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
 * setting and the tables are the facilitator's. The server checks every participant update
 * against this; the client only hides the controls.
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
}

/** Roots a participant update may not create are refused too: the layout is closed. */
export function participantAccess(root: string): ParticipantAccess {
  return (PARTICIPANT_BOARD_ACCESS as Record<string, ParticipantAccess | undefined>)[root] ?? ParticipantAccess.None
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
}

/** What a writer of `role` may do inside `root` of the board doc (viewers never write). */
export function boardAccess(role: Role, root: string): ParticipantAccess {
  switch (role) {
    case Role.Participant:
      return participantAccess(root)
    case Role.Facilitator:
      return (FACILITATOR_BOARD_ACCESS as Record<string, ParticipantAccess | undefined>)[root] ?? ParticipantAccess.None
    case Role.Viewer:
      return ParticipantAccess.None
  }
}

/** Board roots whose entries carry an `author` field that names who wrote them. */
export const AUTHORED_ROOTS: readonly string[] = [BOARD_ROOT.cards, BOARD_ROOT.tasks]
export const AUTHOR_FIELD = 'author'

/**
 * The `author` a writer's new card or task must carry: a participant's own id, or the role for
 * facilitators (they share one key, so they have no id of their own). The server stamps it.
 */
export function authorFor(role: Role, participantId: string | null): string {
  return role === Role.Participant && participantId ? participantId : role
}
