/**
 * What a heavy job reads. In a worker thread it is a read-only SQLite connection of its own
 * (store/sqlite-read.ts); for an in-memory store, which no other thread can open, it is the main
 * store itself (storeReader), and the job runs on the main thread.
 */
import type { DocName } from '../../shared/protocol.ts'
import type { LogEntry, Store, StoredDoc } from '../store/store.ts'

export interface HeavyReader extends Pick<
  Store,
  'workshop' | 'snapshots' | 'snapshot' | 'participants' | 'participantCountByTable' | 'ballots'
> {
  /** Checkpoint and updates of a doc up to log position `upTo`; null: everything stored. */
  storedAt(workshopId: string, doc: DocName, upTo: number | null): StoredDoc
  /** The update log of a doc up to `upTo` (null: all of it), in order. */
  log(workshopId: string, doc: DocName, upTo: number | null): LogEntry[]
  /** Runs `fn` on one consistent view of the database. */
  consistent<T>(fn: () => T): T
}

/**
 * The main store as a reader. Only valid while nothing commits between the caller fixing a log
 * position and the job reading it, which holds because in-thread jobs run synchronously in the
 * same turn; so `upTo` of a doc is always its last stored seq here.
 */
export function storeReader(store: Store): HeavyReader {
  return {
    workshop: (w) => store.workshop(w),
    snapshots: (w) => store.snapshots(w),
    snapshot: (w, id) => store.snapshot(w, id),
    participants: (w) => store.participants(w),
    participantCountByTable: (w) => store.participantCountByTable(w),
    ballots: (w, r) => store.ballots(w, r),
    storedAt: (w, doc) => store.loadDoc(w, doc),
    log: (w, doc, upTo) =>
      upTo === null ? store.log(w, doc) : store.log(w, doc).filter((e) => e.seq <= upTo),
    consistent: (fn) => fn(),
  }
}
