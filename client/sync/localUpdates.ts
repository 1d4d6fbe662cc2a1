/**
 * A doc's 'update' event for every origin but the server's. Yjs encodes a transaction's update
 * whenever anything listens for 'update', and on a board nearly every transaction is the
 * server's: the whole board at join, 600 a second while 30 people drag. Nobody here needs those
 * bytes (the provider does not send the server's updates back to it; the connection and the
 * offline cache only need to know they happened, which 'afterTransaction' tells). So the doc's
 * one 'update' listener is attached only while a transaction of another origin is cleaned up.
 * (Yjs reads whether anyone listens right after 'afterTransactionCleanup', for that same
 * transaction.) Anyone else listening to the doc's 'update' directly keeps the encoding on.
 */
import type * as Y from 'yjs'

export type UpdateListener = (update: Uint8Array, origin: unknown) => void

export interface LocalUpdates {
  on(fn: UpdateListener): void
  off(fn: UpdateListener): void
  /**
   * Another origin whose updates nobody here needs as bytes, as the server's: the offline
   * cache's replay of what it holds (see DocLink: it is read before the socket opens).
   */
  quiet(origin: unknown): void
}

const gates = new WeakMap<Y.Doc, LocalUpdates>()

/** The doc's gate; `remoteOrigin` (the provider) is fixed by whoever asks first. */
export function localUpdates(doc: Y.Doc, remoteOrigin: unknown): LocalUpdates {
  const known = gates.get(doc)
  if (known) return known
  const listeners = new Set<UpdateListener>()
  const dispatch: UpdateListener = (update, origin) => {
    for (const fn of listeners) fn(update, origin)
  }
  const quiet = new Set<unknown>([remoteOrigin])
  let attached = false
  const attach = (yes: boolean) => {
    if (yes === attached) return
    attached = yes
    if (yes) doc.on('update', dispatch)
    else doc.off('update', dispatch)
  }
  doc.on('afterTransactionCleanup', (tr: Y.Transaction) =>
    attach(listeners.size > 0 && !quiet.has(tr.origin)),
  )
  const gate: LocalUpdates = {
    on: (fn) => void listeners.add(fn),
    off: (fn) => {
      listeners.delete(fn)
      if (listeners.size === 0) attach(false)
    },
    quiet: (origin) => void quiet.add(origin),
  }
  gates.set(doc, gate)
  return gate
}

/** The transaction wrote or deleted something (an empty one has no update either). */
export const changedAnything = (tr: Y.Transaction): boolean =>
  tr.changed.size > 0 || tr.deleteSet.clients.size > 0
