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
  /** The entries after seq `after` up to `upTo`, in order (a replay segment). */
  logRange(workshopId: string, doc: DocName, after: number, upTo: number): LogEntry[]
  /** Seqs of the stored checkpoints of a doc up to `upTo` (null: all), in order. */
  checkpointSeqs(workshopId: string, doc: DocName, upTo: number | null): number[]
  /** Seq and time of each entry up to `upTo` (null: all), without the updates (a replay outline). */
  logTimes(workshopId: string, doc: DocName, upTo: number | null): { seq: number; time: number }[]
  /** Runs `fn` on one consistent view of the database. */
  consistent<T>(fn: () => T): T
}

/**
 * The main store as a reader. Only valid while nothing commits between the caller fixing a log
 * position and the job reading it, which holds because in-thread jobs run synchronously in the
 * same turn; so `upTo` of a live doc is its last stored seq here, and only a replay segment's base
 * asks for an earlier one.
 */
export function storeReader(store: Store): HeavyReader {
  return {
    workshop: (w) => store.workshop(w),
    snapshots: (w) => store.snapshots(w),
    snapshot: (w, id) => store.snapshot(w, id),
    participants: (w) => store.participants(w),
    participantCountByTable: (w) => store.participantCountByTable(w),
    ballots: (w, r) => store.ballots(w, r),
    storedAt(w, doc, upTo) {
      const stored = store.loadDoc(w, doc)
      if (upTo === null || upTo >= stored.lastSeq) return stored
      // an earlier position (a replay segment's base): the store keeps only its latest checkpoint
      const updates = store.log(w, doc).filter((e) => e.seq <= upTo)
      return {
        checkpoint: null,
        checkpointSeq: 0,
        updates: updates.map((e) => e.data),
        lastSeq: updates[updates.length - 1]?.seq ?? 0,
      }
    },
    log: (w, doc, upTo) =>
      upTo === null ? store.log(w, doc) : store.log(w, doc).filter((e) => e.seq <= upTo),
    logRange: (w, doc, after, upTo) =>
      store.log(w, doc).filter((e) => e.seq > after && e.seq <= upTo),
    // the store keeps only its latest checkpoint: segments are cut at fixed sizes instead
    checkpointSeqs: () => [],
    logTimes: (w, doc, upTo) =>
      store
        .log(w, doc)
        .filter((e) => upTo === null || e.seq <= upTo)
        .map(({ seq, time }) => ({ seq, time })),
    consistent: (fn) => fn(),
  }
}
