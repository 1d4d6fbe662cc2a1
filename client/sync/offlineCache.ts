/**
 * The offline cache (y-indexeddb) with others' updates written in batches. y-indexeddb writes
 * every doc update in its own IndexedDB transaction; 30 people dragging send 600 a second, which
 * kept a watching browser busy with storage alone. Our own edits are still written at once (they
 * are what must survive a reload while offline); what came from the server is written every
 * REMOTE_STORE_MS, and when the page is hidden or the connection closes, as one update: the doc's
 * difference from what the cache last got. (Merging the 600 updates instead cost a watching
 * client more than a percent of its main thread; the difference reads only the structs added
 * since and the delete set.)
 */
import * as Y from 'yjs'
import { IndexeddbPersistence } from 'y-indexeddb'
import type { OfflineCache } from './connection.ts'
import { changedAnything, localUpdates } from './localUpdates.ts'

/** Others' updates wait at most this long before they are stored. */
export const REMOTE_STORE_MS = 1000

export function batchedIndexeddb(name: string, doc: Y.Doc, remoteOrigin: unknown): OfflineCache {
  const idb = new IndexeddbPersistence(name, doc)
  const storeOne = idb._storeUpdate
  doc.off('update', storeOne)
  /** What the cache holds of others' writes; null until it was read (then it holds the doc). */
  let stored: Uint8Array | null = null
  let timer: ReturnType<typeof setTimeout> | null = null
  const read = () => {
    stored ??= Y.encodeStateVector(doc)
  }
  void idb.whenSynced.then(read, () => {})

  const flush = () => {
    if (timer === null) return
    clearTimeout(timer)
    timer = null
    storeOne(Y.encodeStateAsUpdate(doc, stored ?? undefined), null)
    stored = Y.encodeStateVector(doc)
  }
  // own edits come with their bytes (localUpdates.ts); the server's are only noted
  const updates = localUpdates(doc, remoteOrigin)
  // what it reads from IndexedDB is not stored again (nor encoded for it)
  updates.quiet(idb)
  const onOwnUpdate = (update: Uint8Array, origin: unknown) => {
    flush()
    storeOne(update, origin)
  }
  const onTransaction = (tr: Y.Transaction) => {
    if (tr.origin === remoteOrigin && changedAnything(tr))
      timer ??= setTimeout(flush, REMOTE_STORE_MS)
  }
  updates.on(onOwnUpdate)
  doc.on('afterTransaction', onTransaction)
  window.addEventListener('pagehide', flush)
  const stop = () => {
    flush()
    updates.off(onOwnUpdate)
    doc.off('afterTransaction', onTransaction)
    window.removeEventListener('pagehide', flush)
  }
  return {
    whenSynced: idb.whenSynced,
    origin: idb,
    destroy: () => {
      stop()
      return idb.destroy()
    },
    clearData: () => {
      stop()
      return idb.clearData()
    },
  }
}
