/**
 * The SQLite store's own thread: opens the file and answers one call at a time, in the order sent,
 * so a commit's fsync never holds the relay's event loop (issue #12).
 */
import { parentPort, workerData } from 'node:worker_threads'
import { type SqliteStoreOptions, openSqliteStore } from './sqlite.ts'
import type { Store } from './store.ts'
import {
  type StoreCall,
  type StoreReply,
  type ThreadError,
  type ThreadReady,
  isStoreMethod,
} from './sqlite-thread-messages.ts'

const port = parentPort!

function threadError(err: unknown): ThreadError {
  const e = err instanceof Error ? err : new Error(String(err))
  const code = (e as { code?: unknown }).code
  return { name: e.name, message: e.message, code: typeof code === 'string' ? code : null }
}

let store: Store
try {
  store = openSqliteStore(workerData as SqliteStoreOptions)
  port.postMessage({ file: store.file } satisfies ThreadReady)
} catch (err) {
  port.postMessage({ error: threadError(err) } satisfies ThreadReady)
  port.close()
  throw err
}

port.on('message', (call: StoreCall) => {
  let reply: StoreReply
  try {
    if (!isStoreMethod(call.method)) throw new Error(`not a store method: ${String(call.method)}`)
    const fn = store[call.method] as (...args: unknown[]) => unknown
    reply = { id: call.id, value: fn(...call.args) }
  } catch (err) {
    reply = { id: call.id, error: threadError(err) }
  }
  port.postMessage(reply)
  if (call.method === 'close') port.close()
})
