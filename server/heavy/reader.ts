/**
 * What a heavy job reads. In a worker thread it is a read-only SQLite connection of its own
 * (store/sqlite-read.ts); for a store no other thread can open (in memory, PostgreSQL) it is the
 * main store itself (storeReader), and the job runs on the main thread between its reads.
 */
import type { DocName } from '../../shared/protocol.ts'
import type { LogEntry, StoredDoc } from '../store/store.ts'
import type { AsyncStore } from '../store/async-store.ts'

export interface HeavyReader extends Pick<
  AsyncStore,
  'workshop' | 'snapshots' | 'snapshot' | 'participants' | 'participantCountByTable' | 'ballots'
> {
  /** Checkpoint and updates of a doc up to log position `upTo`; null: everything stored. */
  storedAt(workshopId: string, doc: DocName, upTo: number | null): Promise<StoredDoc>
  /** The update log of a doc up to `upTo` (null: all of it), in order. */
  log(workshopId: string, doc: DocName, upTo: number | null): Promise<LogEntry[]>
  /** The entries after seq `after` up to `upTo`, in order (a replay segment). */
  logRange(workshopId: string, doc: DocName, after: number, upTo: number): Promise<LogEntry[]>
  /** Seqs of the stored checkpoints of a doc up to `upTo` (null: all), in order. */
  checkpointSeqs(workshopId: string, doc: DocName, upTo: number | null): Promise<number[]>
  /** Seq and time of each entry up to `upTo` (null: all), without the updates (a replay outline). */
  logTimes(
    workshopId: string,
    doc: DocName,
    upTo: number | null,
  ): Promise<{ seq: number; time: number }[]>
  /** Runs `fn` on one consistent view of the database, where the reader can give one. */
  consistent<T>(fn: () => Promise<T>): Promise<T>
}

/**
 * The main store as a reader. Commits may land between its reads, so a doc is cut back to the
 * log position the route fixed (a replay segment's base is such an earlier position too): a later
 * checkpoint cannot be used, and the doc is rebuilt from the log instead.
 */
export function storeReader(store: AsyncStore): HeavyReader {
  const log = async (w: string, doc: DocName, upTo: number | null) => {
    const all = await store.log(w, doc)
    return upTo === null ? all : all.filter((e) => e.seq <= upTo)
  }
  return {
    workshop: (w) => store.workshop(w),
    snapshots: (w) => store.snapshots(w),
    snapshot: (w, id) => store.snapshot(w, id),
    participants: (w) => store.participants(w),
    participantCountByTable: (w) => store.participantCountByTable(w),
    ballots: (w, r) => store.ballots(w, r),
    async storedAt(w, doc, upTo) {
      const stored = await store.loadDoc(w, doc)
      if (upTo === null || stored.lastSeq <= upTo) return stored
      // seq numbers run without gaps in a doc's log: the first `upTo - checkpointSeq` updates
      const consecutive = stored.lastSeq - stored.checkpointSeq === stored.updates.length
      if (stored.checkpointSeq <= upTo && consecutive)
        return {
          ...stored,
          updates: stored.updates.slice(0, upTo - stored.checkpointSeq),
          lastSeq: upTo,
        }
      const entries = await log(w, doc, upTo)
      return {
        checkpoint: null,
        checkpointSeq: 0,
        updates: entries.map((e) => e.data),
        lastSeq: entries.at(-1)?.seq ?? 0,
      }
    },
    log,
    logRange: async (w, doc, after, upTo) =>
      (await store.log(w, doc)).filter((e) => e.seq > after && e.seq <= upTo),
    // the store keeps only its latest checkpoint: segments are cut at fixed sizes instead
    checkpointSeqs: async () => [],
    logTimes: async (w, doc, upTo) =>
      (await log(w, doc, upTo)).map(({ seq, time }) => ({ seq, time })),
    consistent: (fn) => fn(),
  }
}
