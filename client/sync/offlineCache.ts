/**
 * The offline cache (y-indexeddb) with others' updates written in batches. y-indexeddb writes
 * every doc update in its own IndexedDB transaction; 30 people dragging send 600 a second, which
 * kept a watching browser busy with storage alone. Our own edits are still written at once (they
 * are what must survive a reload while offline); what came from the server is merged and written
 * every REMOTE_STORE_MS, and when the page is hidden or the connection closes.
 */
import * as Y from 'yjs'
import { IndexeddbPersistence } from 'y-indexeddb'
import type { OfflineCache } from './connection.ts'

/** Others' updates wait at most this long before they are stored. */
export const REMOTE_STORE_MS = 1000

export function batchedIndexeddb(name: string, doc: Y.Doc, remoteOrigin: unknown): OfflineCache {
  const idb = new IndexeddbPersistence(name, doc)
  const storeOne = idb._storeUpdate
  doc.off('update', storeOne)
  let pending: Uint8Array[] = []
  let timer: ReturnType<typeof setTimeout> | null = null

  const flush = () => {
    if (timer) clearTimeout(timer)
    timer = null
    if (pending.length === 0) return
    const merged = Y.mergeUpdates(pending)
    pending = []
    storeOne(merged, null)
  }
  const onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === idb) return // read from the cache itself
    if (origin !== remoteOrigin) {
      flush()
      storeOne(update, origin)
      return
    }
    pending.push(update)
    timer ??= setTimeout(flush, REMOTE_STORE_MS)
  }
  doc.on('update', onUpdate)
  window.addEventListener('pagehide', flush)
  const stop = () => {
    flush()
    doc.off('update', onUpdate)
    window.removeEventListener('pagehide', flush)
  }
  return {
    whenSynced: idb.whenSynced,
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
