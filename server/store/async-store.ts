/**
 * The store as several instances need it (issue #12): every method answers later, so a commit can
 * wait on PostgreSQL, or on a SQLite worker thread, without holding the relay's event loop.
 * Derived from {@link Store}, so the two contracts cannot drift apart.
 */
import type { Store } from './store.ts'

type Method = (...args: never[]) => unknown

export type AsyncStore = {
  [K in keyof Store as Store[K] extends Method ? K : never]: Store[K] extends (
    ...args: infer A
  ) => infer R
    ? (...args: A) => Promise<Awaited<R>>
    : never
} & {
  /** The database file, which other threads may open read-only; null for a server database. */
  readonly file: string | null
}

/**
 * A synchronous store behind the async contract. A call that throws answers with a rejected
 * promise, as a database would, so callers handle one failure path.
 */
export function asAsyncStore(store: Store): AsyncStore {
  const wrap =
    <A extends unknown[], R>(fn: (...args: A) => R) =>
    async (...args: A): Promise<R> =>
      fn(...args)
  return {
    putSnapshot: wrap(store.putSnapshot),
    snapshots: wrap(store.snapshots),
    snapshot: wrap(store.snapshot),
    log: wrap(store.log),
    workshopsCreatedBefore: wrap(store.workshopsCreatedBefore),
    participants: wrap(store.participants),
    putBallot: wrap(store.putBallot),
    ballots: wrap(store.ballots),
    deleteBallots: wrap(store.deleteBallots),
    createWorkshop: wrap(store.createWorkshop),
    workshop: wrap(store.workshop),
    workshopByCode: wrap(store.workshopByCode),
    updateWorkshopSettings: wrap(store.updateWorkshopSettings),
    addCoFacilitator: wrap(store.addCoFacilitator),
    coFacilitatorByKey: wrap(store.coFacilitatorByKey),
    coFacilitators: wrap(store.coFacilitators),
    revokeCoFacilitator: wrap(store.revokeCoFacilitator),
    addParticipant: wrap(store.addParticipant),
    participantByToken: wrap(store.participantByToken),
    participantCountByTable: wrap(store.participantCountByTable),
    appendUpdates: wrap(store.appendUpdates),
    loadDoc: wrap(store.loadDoc),
    clientOwners: wrap(store.clientOwners),
    logBytes: wrap(store.logBytes),
    writeCheckpoint: wrap(store.writeCheckpoint),
    deleteWorkshop: wrap(store.deleteWorkshop),
    rowsForWorkshop: wrap(store.rowsForWorkshop),
    close: wrap(store.close),
    file: store.file,
  }
}
