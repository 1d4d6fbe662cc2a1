/**
 * What this person may do to a card under the workshop's board policy, mirrored from the server's
 * write guard (shared/permissions.ts decides for both): the card's tools hide what the server
 * would refuse. The policy is read from the board's meta, which the server mirrors from the
 * workshop row; one observer per doc serves every card.
 */
import { useContext, useMemo, useSyncExternalStore } from 'react'
import type * as Y from 'yjs'
import {
  type BoardPolicy,
  type CardWriter,
  DEFAULT_BOARD_POLICY,
  mayChangeCard,
  mayWriteSharedText,
} from '../../shared/permissions.ts'
import { PresenceRole, type PresenceUser } from '../../shared/presence.ts'
import { Role } from '../../shared/protocol.ts'
import { type Card, boardRoot, readMeta } from '../../shared/schema.ts'
import { useBoardApi } from '../model/context.ts'
import { TaskAuthorContext } from './PromoteCardButton.tsx'

interface PolicyStore {
  subscribe(fn: () => void): () => void
  get(): BoardPolicy
}

const stores = new WeakMap<Y.Doc, PolicyStore>()

function readPolicy(doc: Y.Doc): BoardPolicy {
  const meta = readMeta(doc)
  return meta
    ? { cardScope: meta.cardScope, sharedTextOpen: meta.sharedTextOpen }
    : DEFAULT_BOARD_POLICY
}

function policyStore(doc: Y.Doc): PolicyStore {
  const known = stores.get(doc)
  if (known) return known
  const listeners = new Set<() => void>()
  let current = readPolicy(doc)
  const meta = boardRoot(doc).meta
  const onMeta = () => {
    const next = readPolicy(doc)
    if (next.cardScope === current.cardScope && next.sharedTextOpen === current.sharedTextOpen)
      return
    current = next
    for (const fn of listeners) fn()
  }
  const store: PolicyStore = {
    subscribe(fn) {
      if (!listeners.size) meta.observe(onMeta)
      listeners.add(fn)
      onMeta()
      return () => {
        listeners.delete(fn)
        if (!listeners.size) meta.unobserve(onMeta)
      }
    },
    get: () => current,
  }
  stores.set(doc, store)
  return store
}

/** The board policy as the server last mirrored it into `doc`. */
export function useBoardPolicy(doc: Y.Doc): BoardPolicy {
  const store = policyStore(doc)
  return useSyncExternalStore(store.subscribe, store.get)
}

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
