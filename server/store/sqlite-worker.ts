/**
 * The embedded SQLite store on a thread of its own, behind the async contract (issue #12): the
 * relay's event loop hands a commit over and goes on serving sockets while SQLite fsyncs.
 * Calls are answered in the order made, as the thread runs them one by one.
 */
import type { Worker } from 'node:worker_threads'
import { startModuleWorker } from '../worker-boot.ts'
import type { AsyncStore } from './async-store.ts'
import type { SqliteStoreOptions } from './sqlite.ts'
import type {
  StoreCall,
  StoreMethod,
  StoreReply,
  ThreadError,
  ThreadReady,
} from './sqlite-thread-messages.ts'
import type { Store } from './store.ts'

const THREAD_URL = new URL('./sqlite-thread.ts', import.meta.url)

/** A failure inside the thread, rethrown here with the same name, message and code. */
export class StoreThreadError extends Error {
  readonly code: string | undefined
  constructor(e: ThreadError) {
    super(e.message)
    this.name = e.name
    this.code = e.code ?? undefined
  }
}

export async function openSqliteWorkerStore(opts: SqliteStoreOptions): Promise<AsyncStore> {
  const worker: Worker = startModuleWorker(THREAD_URL, { workerData: opts })
  // the thread says it opened the file (or why it could not) before anything else
  const ready = await new Promise<ThreadReady>((resolve, reject) => {
    worker.once('message', resolve)
    worker.once('error', reject)
  })
  if ('error' in ready) {
    await worker.terminate()
    throw new StoreThreadError(ready.error)
  }
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>()
  let nextId = 1
  let gone: Error | null = null
  const failAll = (err: Error) => {
    gone = err
    for (const p of pending.values()) p.reject(err)
    pending.clear()
  }
  worker.on('message', (reply: StoreReply) => {
    const p = pending.get(reply.id)
    if (!p) return
    pending.delete(reply.id)
    if ('error' in reply) p.reject(new StoreThreadError(reply.error))
    else p.resolve(reply.value)
  })
  worker.on('error', (err) => failAll(err))
  worker.on('exit', (code) => failAll(new Error(`the SQLite thread exited (${code})`)))

  const call = <M extends StoreMethod>(method: M, args: Parameters<Store[M]>) =>
    new Promise<Awaited<ReturnType<Store[M]>>>((resolve, reject) => {
      if (gone) return reject(gone)
      const id = nextId++
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject })
      const msg: StoreCall = { id, method, args }
      worker.postMessage(msg)
    })

  const m =
    <M extends StoreMethod>(method: M) =>
    (...args: Parameters<Store[M]>) =>
      call(method, args)
  return {
    putSnapshot: m('putSnapshot'),
    snapshots: m('snapshots'),
    snapshot: m('snapshot'),
    log: m('log'),
    workshopsCreatedBefore: m('workshopsCreatedBefore'),
    participants: m('participants'),
    putBallot: m('putBallot'),
    ballots: m('ballots'),
    deleteBallots: m('deleteBallots'),
    createWorkshop: m('createWorkshop'),
    workshop: m('workshop'),
    workshopByCode: m('workshopByCode'),
    updateWorkshopSettings: m('updateWorkshopSettings'),
    addCoFacilitator: m('addCoFacilitator'),
    coFacilitatorByKey: m('coFacilitatorByKey'),
    coFacilitators: m('coFacilitators'),
    revokeCoFacilitator: m('revokeCoFacilitator'),
    addParticipant: m('addParticipant'),
    participantByToken: m('participantByToken'),
    participantCountByTable: m('participantCountByTable'),
    appendUpdates: m('appendUpdates'),
    loadDoc: m('loadDoc'),
    clientOwners: m('clientOwners'),
    logBytes: m('logBytes'),
    writeCheckpoint: m('writeCheckpoint'),
    deleteWorkshop: m('deleteWorkshop'),
    rowsForWorkshop: m('rowsForWorkshop'),
    async close() {
      await call('close', [])
      await worker.terminate()
    },
    file: ready.file,
  }
}
