/**
 * What this person may do to a card under the workshop's board policy, mirrored from the server's
 * write guard (shared/permissions.ts decides for both): the card's tools hide what the server
 * would refuse. The policy is read from the board's meta, which the server mirrors from the
 * workshop row (model/boardPolicy.ts).
 */
import { useContext, useMemo } from 'react'
import type * as Y from 'yjs'
import { type CardWriter, mayChangeCard, mayWriteSharedText } from '../../shared/permissions.ts'
import { PresenceRole, type PresenceUser } from '../../shared/presence.ts'
import { Role } from '../../shared/protocol.ts'
import type { Card } from '../../shared/schema.ts'
import { useBoardPolicy } from '../model/boardPolicy.ts'
import { useBoardApi } from '../model/context.ts'
import { TaskAuthorContext } from './taskAuthor.ts'

/** Whether `role` may write the statement and principles now (facilitators always). */
export function useSharedTextOpen(doc: Y.Doc, facilitator: boolean): boolean {
  const policy = useBoardPolicy(doc)
  return mayWriteSharedText(policy, facilitator ? Role.Facilitator : Role.Participant)
}

export interface CardPermission {
  /** Edit, move, re-kind or delete the card. */
  canChange: boolean
  /** Someone else's card: deleting it asks first (the facilitator can still restore it). */
  othersCard: boolean
}

/** This person's rights on `card` on the board (read-only boards are handled by the caller). */
export function useCardPermission(card: Card): CardPermission {
  const api = useBoardApi()
  const author = useContext(TaskAuthorContext)
  return useCardRights(api.doc, api.user, author, card)
}

/**
 * The same for any view of the board (the list view too): `user` is this person's presence
 * (role and table), `author` their participant id (or the role for facilitators).
 */
export function useCardRights(
  doc: Y.Doc,
  user: PresenceUser,
  author: string,
  card: Card,
): CardPermission {
  const policy = useBoardPolicy(doc)
  const facilitator = user.role === PresenceRole.Facilitator
  const tableId = user.table ?? null
  const who: CardWriter = useMemo(
    () => ({
      role: facilitator ? Role.Facilitator : Role.Participant,
      participantId: facilitator ? null : author,
      tableId: facilitator ? null : tableId,
    }),
    [facilitator, author, tableId],
  )
  return useMemo(
    () => ({
      canChange: mayChangeCard(policy, who, card),
      othersCard: card.author !== author,
    }),
    [policy, who, card, author],
  )
}
