/**
 * The workshop's board policy as the server last mirrored it into the board's meta (the server
 * owns it in the workshop row): one observer per doc, for every card's tools and for the undo's
 * check of what the server would refuse.
 */
import { useSyncExternalStore } from 'react'
import type * as Y from 'yjs'
import { type BoardPolicy, DEFAULT_BOARD_POLICY } from '../../shared/permissions.ts'
import { boardRoot, readMeta } from '../../shared/schema.ts'

export interface PolicyStore {
  subscribe(fn: () => void): () => void
  get(): BoardPolicy
}

const stores = new WeakMap<Y.Doc, PolicyStore>()

export function readPolicy(doc: Y.Doc): BoardPolicy {
  const meta = readMeta(doc)
  return meta
    ? { cardScope: meta.cardScope, sharedTextOpen: meta.sharedTextOpen }
    : DEFAULT_BOARD_POLICY
}

export function policyStore(doc: Y.Doc): PolicyStore {
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
