/**
 * A read-only connection to the store's file, for worker threads. WAL lets it read while the main
 * connection writes; it reads docs at a given log position, so a job sees exactly the state the
 * main thread committed for it even if more is committed meanwhile.
 */
import Database from 'better-sqlite3'
import type { DocName } from '../../shared/protocol.ts'
import type { HeavyReader } from '../heavy/reader.ts'
import type { BallotRow, StoredDoc } from './store.ts'
import {
  type ParticipantDbRow,
  type SnapshotDbRow,
  type WorkshopDbRow,
  toParticipant,
  toSnapshotMeta,
  toWorkshop,
} from './sqlite.ts'

/** No log position is this large; stands for "everything stored". */
const ALL = Number.MAX_SAFE_INTEGER

interface BallotDbRow {
  workshop_id: string
  round_id: string
  participant_id: string
  table_id: string
  ballot: string
  cast_at: number
}

export function openSqliteReader(file: string): HeavyReader & { close(): void } {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  db.pragma('busy_timeout = 5000')
  const q = {
    workshop: db.prepare<[string], WorkshopDbRow>(`SELECT * FROM workshops WHERE id = ?`),
    checkpoint: db.prepare<[string, string, number], { seq: number; state: Buffer }>(
      `SELECT seq, state FROM checkpoints WHERE workshop_id = ? AND doc = ? AND seq <= ? ORDER BY seq DESC LIMIT 1`,
    ),
    updates: db.prepare<
      [string, string, number, number],
      { seq: number; time: number; data: Buffer }
    >(
      `SELECT seq, time, data FROM updates WHERE workshop_id = ? AND doc = ? AND seq > ? AND seq <= ? ORDER BY seq`,
    ),
    checkpointSeqs: db.prepare<[string, string, number], { seq: number }>(
      `SELECT seq FROM checkpoints WHERE workshop_id = ? AND doc = ? AND seq <= ? ORDER BY seq`,
    ),
    times: db.prepare<[string, string, number], { seq: number; time: number }>(
      `SELECT seq, time FROM updates WHERE workshop_id = ? AND doc = ? AND seq <= ? ORDER BY seq`,
    ),
    snapshots: db.prepare<[string], SnapshotDbRow>(
      `SELECT workshop_id, id, label, kind, created_at, board_seq, control_seq FROM snapshots
       WHERE workshop_id = ? ORDER BY created_at, rowid`,
    ),
    snapshot: db.prepare<[string, string], SnapshotDbRow & { board: Buffer; control: Buffer }>(
      `SELECT * FROM snapshots WHERE workshop_id = ? AND id = ?`,
    ),
    participants: db.prepare<[string], ParticipantDbRow>(
      `SELECT * FROM participants WHERE workshop_id = ? ORDER BY created_at, id`,
    ),
    countByTable: db.prepare<[string], { table_id: string; n: number }>(
      `SELECT table_id, COUNT(*) AS n FROM participants WHERE workshop_id = ? GROUP BY table_id`,
    ),
    ballots: db.prepare<[string, string], BallotDbRow>(
      `SELECT * FROM ballots WHERE workshop_id = ? AND round_id = ? ORDER BY participant_id`,
    ),
  }
  const updates = (w: string, doc: DocName, after: number, upTo: number | null) =>
    q.updates.all(w, doc, after, upTo ?? ALL)
  const entries = (w: string, doc: DocName, after: number, upTo: number | null) =>
    updates(w, doc, after, upTo).map((r) => ({
      seq: r.seq,
      time: r.time,
      data: new Uint8Array(r.data),
    }))

  // one job at a time runs on this connection, so its reads share this one read transaction
  return {
    async storedAt(w, doc, upTo): Promise<StoredDoc> {
      const cp = q.checkpoint.get(w, doc, upTo ?? ALL)
      const after = cp?.seq ?? 0
      const rows = updates(w, doc, after, upTo)
      return {
        checkpoint: cp ? new Uint8Array(cp.state) : null,
        checkpointSeq: after,
        updates: rows.map((r) => new Uint8Array(r.data)),
        lastSeq: rows.length ? rows[rows.length - 1]!.seq : after,
      }
    },
    log: async (w, doc, upTo) => entries(w, doc, 0, upTo),
    logRange: async (w, doc, after, upTo) => entries(w, doc, after, upTo),
    checkpointSeqs: async (w, doc, upTo) =>
      q.checkpointSeqs.all(w, doc, upTo ?? ALL).map((r) => r.seq),
    logTimes: async (w, doc, upTo) => q.times.all(w, doc, upTo ?? ALL),
    workshop: async (id) => toWorkshop(q.workshop.get(id)),
    snapshots: async (w) => q.snapshots.all(w).map(toSnapshotMeta),
    async snapshot(w, id) {
      const r = q.snapshot.get(w, id)
      return r
        ? {
            ...toSnapshotMeta(r),
            board: new Uint8Array(r.board),
            control: new Uint8Array(r.control),
          }
        : null
    },
    participants: async (w) => q.participants.all(w).map(toParticipant),
    participantCountByTable: async (w) =>
      new Map(q.countByTable.all(w).map((r) => [r.table_id, r.n])),
    ballots: async (w, round): Promise<BallotRow[]> =>
      q.ballots.all(w, round).map((r) => ({
        workshopId: r.workshop_id,
        roundId: r.round_id,
        participantId: r.participant_id,
        tableId: r.table_id,
        ballot: r.ballot,
        castAt: r.cast_at,
      })),
    async consistent(fn) {
      db.exec('BEGIN')
      try {
        return await fn()
      } finally {
        db.exec('COMMIT')
      }
    },
    close: () => db.close(),
  }
}
