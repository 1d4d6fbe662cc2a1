/** What the relay and the SQLite thread say to each other (structured clone, one process). */
import type { Store } from './store.ts'

export type StoreMethod = Exclude<keyof Store, 'file'>

const METHODS: readonly StoreMethod[] = [
  'putSnapshot',
  'snapshots',
  'snapshot',
  'log',
  'workshopsCreatedBefore',
  'participants',
  'putBallot',
  'ballots',
  'deleteBallots',
  'createWorkshop',
  'workshop',
  'workshopByCode',
  'updateWorkshopSettings',
  'addCoFacilitator',
  'coFacilitatorByKey',
  'coFacilitators',
  'revokeCoFacilitator',
  'addParticipant',
  'participantByToken',
  'participantCountByTable',
  'appendUpdates',
  'loadDoc',
  'clientOwners',
  'logBytes',
  'writeCheckpoint',
  'deleteWorkshop',
  'rowsForWorkshop',
  'close',
] satisfies readonly StoreMethod[]

export const STORE_METHODS: ReadonlySet<string> = new Set(METHODS)
export const isStoreMethod = (m: unknown): m is StoreMethod =>
  typeof m === 'string' && STORE_METHODS.has(m)

export interface StoreCall {
  id: number
  method: StoreMethod
  args: unknown[]
}

/** An error keeps its name, message and SQLite code, which decide a 503 over a 500. */
export interface ThreadError {
  name: string
  message: string
  code: string | null
}

/** The thread's first message: the store is open (its file), or why it is not. */
export type ThreadReady = { file: string | null } | { error: ThreadError }

export type StoreReply = { id: number; value: unknown } | { id: number; error: ThreadError }
