/** SQLite store (better-sqlite3, WAL). One file under the data directory. */
import Database from 'better-sqlite3'
import fs from 'node:fs'
import path from 'node:path'
import * as Y from 'yjs'
import { randomBytes } from 'node:crypto'
import { JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH } from '../../shared/api.ts'
import { z } from 'zod/mini'
import { CardEditScope, CardEditScopeSchema } from '../../shared/schema.ts'
import { DEFAULT_MIN_TABLE_VOTERS } from '../../shared/tally-privacy.ts'
import type { DocName } from '../../shared/protocol.ts'
import { updateClients } from '../../shared/update-clients.ts'
import {
  type BallotRow,
  type CoFacilitatorRow,
  type SnapshotMeta,
  type LoggedUpdate,
  type ParticipantRow,
  type Store,
  type StoredDoc,
  type WorkshopRow,
  logKey,
  ownerOf,
} from './store.ts'

const SCHEMA = `
CREATE TABLE IF NOT EXISTS workshops (
  id TEXT PRIMARY KEY,
  join_code TEXT NOT NULL UNIQUE,
  facilitator_key_hash TEXT NOT NULL,
  title TEXT NOT NULL,
  language TEXT NOT NULL,
  anonymity TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS participants (
  id TEXT PRIMARY KEY,
  workshop_id TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  table_id TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS participants_workshop ON participants(workshop_id);
CREATE TABLE IF NOT EXISTS updates (
  workshop_id TEXT NOT NULL,
  doc TEXT NOT NULL,
  seq INTEGER NOT NULL,
  time INTEGER NOT NULL,
  participant_id TEXT,
  data BLOB NOT NULL,
  PRIMARY KEY (workshop_id, doc, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ballots (
  workshop_id TEXT NOT NULL,
  round_id TEXT NOT NULL,
  participant_id TEXT NOT NULL,
  table_id TEXT NOT NULL,
  ballot TEXT NOT NULL,
  cast_at INTEGER NOT NULL,
  PRIMARY KEY (workshop_id, round_id, participant_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS snapshots (
  workshop_id TEXT NOT NULL,
  id TEXT NOT NULL,
  label TEXT NOT NULL,
  kind TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  board_seq INTEGER NOT NULL,
  control_seq INTEGER NOT NULL,
  board BLOB NOT NULL,
  control BLOB NOT NULL,
  PRIMARY KEY (workshop_id, id)
);
CREATE TABLE IF NOT EXISTS checkpoints (
  workshop_id TEXT NOT NULL,
  doc TEXT NOT NULL,
  seq INTEGER NOT NULL,
  time INTEGER NOT NULL,
  state BLOB NOT NULL,
  PRIMARY KEY (workshop_id, doc, seq)
) WITHOUT ROWID;
`

/**
 * Schema changes after the first release, in order; `PRAGMA user_version` records how many ran.
 * Each runs in one transaction with the version bump, so a crash leaves either before or after.
 */
const MIGRATIONS: { version: number; up: (db: Database.Database) => void }[] = [
  {
    // Yjs client ids are identities (DESIGN "Trust model"): who first wrote under each one.
    version: 1,
    up(db) {
      db.exec(`CREATE TABLE IF NOT EXISTS client_owners (
        workshop_id TEXT NOT NULL,
        doc TEXT NOT NULL,
        client_id INTEGER NOT NULL,
        owner TEXT NOT NULL,
        PRIMARY KEY (workshop_id, doc, client_id)
      ) WITHOUT ROWID`)
      // The log says who wrote every update; its first update under an id names the owner.
      const insert = db.prepare(
        `INSERT OR IGNORE INTO client_owners (workshop_id, doc, client_id, owner) VALUES (?, ?, ?, ?)`,
      )
      // in pages: better-sqlite3 cannot write while a read is still iterating
      const logs = db
        .prepare<[], { workshop_id: string; doc: string }>(
          `SELECT DISTINCT workshop_id, doc FROM updates`,
        )
        .all()
      const page = db.prepare<
        [string, string, number],
        { seq: number; participant_id: string | null; data: Buffer }
      >(
        `SELECT seq, participant_id, data FROM updates WHERE workshop_id = ? AND doc = ? AND seq > ? ORDER BY seq LIMIT 500`,
      )
      for (const { workshop_id, doc } of logs) {
        for (
          let after = 0, rows = page.all(workshop_id, doc, after);
          rows.length;
          rows = page.all(workshop_id, doc, after)
        ) {
          for (const r of rows) {
            for (const client of Y.parseUpdateMeta(new Uint8Array(r.data)).to.keys()) {
              insert.run(workshop_id, doc, client, ownerOf(r.participant_id))
            }
          }
          after = rows[rows.length - 1]!.seq
        }
      }
    },
  },
]
MIGRATIONS.push({
  // Join codes grew from 6 to JOIN_CODE_LENGTH letters (issue #13: 6 could be guessed in days at
  // the join limit). Older codes keep their letters and get random ones after them, so a code
  // on a printed table card still starts the same; participants who joined keep their tokens.
  version: 2,
  up(db) {
    const short = db.prepare<[number], { id: string; join_code: string }>(
      `SELECT id, join_code FROM workshops WHERE LENGTH(join_code) < ?`,
    )
    const taken = db.prepare<[string], { n: number }>(
      `SELECT COUNT(*) AS n FROM workshops WHERE join_code = ?`,
    )
    const update = db.prepare(`UPDATE workshops SET join_code = ? WHERE id = ?`)
    for (const w of short.all(JOIN_CODE_LENGTH)) {
      let code: string
      do {
        code =
          w.join_code +
          [...randomBytes(JOIN_CODE_LENGTH - w.join_code.length)]
            .map((b) => JOIN_CODE_ALPHABET[b % JOIN_CODE_ALPHABET.length])
            .join('')
      } while (taken.get(code)!.n > 0)
      update.run(code, w.id)
    }
  },
})
MIGRATIONS.push({
  // The board policy (issue #14): who may change cards, and whether statement and principles are
  // open to participants. Existing workshops get the defaults: own table, closed.
  version: 3,
  up(db) {
    // idempotent, as the steps before it: a file whose version was set back must still open
    const has = new Set(
      db
        .prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('workshops')`)
        .all()
        .map((c) => c.name),
    )
    if (!has.has('card_scope'))
      db.exec(
        `ALTER TABLE workshops ADD COLUMN card_scope TEXT NOT NULL DEFAULT '${CardEditScope.OwnTable}'`,
      )
    if (!has.has('shared_text_open'))
      db.exec(`ALTER TABLE workshops ADD COLUMN shared_text_open INTEGER NOT NULL DEFAULT 0`)
  },
})
MIGRATIONS.push({
  // Small groups stay anonymous (issue #11 point 5): the threshold for a table's own tally.
  version: 4,
  up(db) {
    // a file whose user_version was set back (the tests do so) may have the column already
    const columns = db.prepare<[], { name: string }>(`PRAGMA table_info(workshops)`).all()
    if (columns.some((c) => c.name === 'min_table_voters')) return
    db.exec(
      `ALTER TABLE workshops ADD COLUMN min_table_voters INTEGER NOT NULL DEFAULT ${DEFAULT_MIN_TABLE_VOTERS}`,
    )
  },
})
MIGRATIONS.push({
  // Co-facilitator links (issue #11 point 2): a second secret per workshop, each its own hash row.
  version: 5,
  up(db) {
    db.exec(`CREATE TABLE IF NOT EXISTS co_facilitators (
      workshop_id TEXT NOT NULL,
      id TEXT NOT NULL,
      key_hash TEXT NOT NULL UNIQUE,
      label TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      revoked_at INTEGER,
      PRIMARY KEY (workshop_id, id)
    )`)
  },
})
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version

function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number
  if (current > SCHEMA_VERSION) {
    throw new Error(
      `stip.db has schema version ${current}, newer than this server (${SCHEMA_VERSION}): run the newer Stip`,
    )
  }
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue
    db.transaction(() => {
      m.up(db)
      db.pragma(`user_version = ${m.version}`)
    })()
  }
}

export interface SqliteStoreOptions {
  /** Directory for stip.db, or ':memory:' for throwaway stores. */
  dataDir: string
  /** FULL fsyncs every commit so an acked edit survives power loss, not only a crash. */
  synchronous?: 'FULL' | 'NORMAL'
  /** Caps the file size (pages); tests use it to produce a real "disk full". */
  maxPageCount?: number
}

export interface WorkshopDbRow {
  id: string
  join_code: string
  facilitator_key_hash: string
  title: string
  language: 'nl' | 'en'
  anonymity: WorkshopRow['anonymity']
  card_scope: string
  shared_text_open: number
  min_table_voters: number
  created_at: number
}

export interface ParticipantDbRow {
  id: string
  workshop_id: string
  token_hash: string
  name: string
  table_id: string
  created_at: number
}

export const toParticipant = (r: ParticipantDbRow): ParticipantRow => ({
  id: r.id,
  workshopId: r.workshop_id,
  tokenHash: r.token_hash,
  name: r.name,
  tableId: r.table_id,
  createdAt: r.created_at,
})

interface CoFacilitatorDbRow {
  workshop_id: string
  id: string
  key_hash: string
  label: string
  created_at: number
  revoked_at: number | null
}

const toCoFacilitator = (r: CoFacilitatorDbRow): CoFacilitatorRow => ({
  id: r.id,
  workshopId: r.workshop_id,
  keyHash: r.key_hash,
  label: r.label,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
})

export interface SnapshotDbRow {
  workshop_id: string
  id: string
  label: string
  kind: SnapshotMeta['kind']
  created_at: number
  board_seq: number
  control_seq: number
}

export const toSnapshotMeta = (r: SnapshotDbRow): SnapshotMeta => ({
  id: r.id,
  workshopId: r.workshop_id,
  label: r.label,
  kind: r.kind,
  createdAt: r.created_at,
  boardSeq: r.board_seq,
  controlSeq: r.control_seq,
})

export const toWorkshop = (r: WorkshopDbRow | undefined): WorkshopRow | null =>
  r
    ? {
        id: r.id,
        joinCode: r.join_code,
        facilitatorKeyHash: r.facilitator_key_hash,
        title: r.title,
        language: r.language,
        anonymity: r.anonymity,
        // a value this build does not know falls back to the strictest-but-usual default
        cardScope: z.catch(CardEditScopeSchema, CardEditScope.OwnTable).parse(r.card_scope),
        sharedTextOpen: r.shared_text_open === 1,
        minTableVoters: r.min_table_voters,
        createdAt: r.created_at,
      }
    : null

export function openSqliteStore(opts: SqliteStoreOptions): Store {
  let file = ':memory:'
  if (opts.dataDir !== ':memory:') {
    fs.mkdirSync(opts.dataDir, { recursive: true })
    file = path.join(opts.dataDir, 'stip.db')
  }
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma(`synchronous = ${opts.synchronous ?? 'FULL'}`)
  db.pragma('busy_timeout = 5000')
  // deleted workshops must not linger as bytes in free pages of the file (GDPR erasure)
  db.pragma('secure_delete = ON')
  db.exec(SCHEMA)
  migrate(db)
  if (opts.maxPageCount) db.pragma(`max_page_count = ${Math.floor(opts.maxPageCount)}`)

  const q = {
    insertWorkshop: db.prepare(
      `INSERT INTO workshops (id, join_code, facilitator_key_hash, title, language, anonymity, card_scope, shared_text_open, min_table_voters, created_at)
       VALUES (@id, @joinCode, @facilitatorKeyHash, @title, @language, @anonymity, @cardScope, @sharedTextOpen, @minTableVoters, @createdAt)`,
    ),
    workshop: db.prepare<[string], WorkshopDbRow>(`SELECT * FROM workshops WHERE id = ?`),
    workshopByCode: db.prepare<[string], WorkshopDbRow>(
      `SELECT * FROM workshops WHERE join_code = ?`,
    ),
    updateSettings: db.prepare<
      [
        {
          id: string
          title: string | null
          language: string | null
          anonymity: string | null
          cardScope: string | null
          sharedTextOpen: number | null
          minTableVoters: number | null
        },
      ]
    >(
      `UPDATE workshops SET title = COALESCE(@title, title), language = COALESCE(@language, language),
       anonymity = COALESCE(@anonymity, anonymity), card_scope = COALESCE(@cardScope, card_scope),
       shared_text_open = COALESCE(@sharedTextOpen, shared_text_open),
       min_table_voters = COALESCE(@minTableVoters, min_table_voters) WHERE id = @id`,
    ),
    insertCoFacilitator: db.prepare(
      `INSERT INTO co_facilitators (workshop_id, id, key_hash, label, created_at, revoked_at)
       VALUES (@workshopId, @id, @keyHash, @label, @createdAt, @revokedAt)`,
    ),
    coFacilitatorByKey: db.prepare<[string, string], CoFacilitatorDbRow>(
      `SELECT * FROM co_facilitators WHERE workshop_id = ? AND key_hash = ?`,
    ),
    coFacilitators: db.prepare<[string], CoFacilitatorDbRow>(
      `SELECT * FROM co_facilitators WHERE workshop_id = ? ORDER BY created_at, rowid`,
    ),
    revokeCoFacilitator: db.prepare<[number, string, string]>(
      `UPDATE co_facilitators SET revoked_at = ? WHERE workshop_id = ? AND id = ? AND revoked_at IS NULL`,
    ),
    insertParticipant: db.prepare(
      `INSERT INTO participants (id, workshop_id, token_hash, name, table_id, created_at)
       VALUES (@id, @workshopId, @tokenHash, @name, @tableId, @createdAt)`,
    ),
    participant: db.prepare<[string, string], ParticipantDbRow>(
      `SELECT * FROM participants WHERE workshop_id = ? AND token_hash = ?`,
    ),
    countByTable: db.prepare<[string], { table_id: string; n: number }>(
      `SELECT table_id, COUNT(*) AS n FROM participants WHERE workshop_id = ? GROUP BY table_id`,
    ),
    lastSeq: db.prepare<[string, string], { seq: number | null }>(
      `SELECT MAX(seq) AS seq FROM updates WHERE workshop_id = ? AND doc = ?`,
    ),
    insertUpdate: db.prepare(
      `INSERT INTO updates (workshop_id, doc, seq, time, participant_id, data) VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    latestCheckpoint: db.prepare<[string, string], { seq: number; state: Buffer }>(
      `SELECT seq, state FROM checkpoints WHERE workshop_id = ? AND doc = ? ORDER BY seq DESC LIMIT 1`,
    ),
    updatesAfter: db.prepare<[string, string, number], { seq: number; data: Buffer }>(
      `SELECT seq, data FROM updates WHERE workshop_id = ? AND doc = ? AND seq > ? ORDER BY seq`,
    ),
    putBallot: db.prepare(
      `INSERT OR REPLACE INTO ballots (workshop_id, round_id, participant_id, table_id, ballot, cast_at)
       VALUES (@workshopId, @roundId, @participantId, @tableId, @ballot, @castAt)`,
    ),
    deleteBallots: db.prepare<[string, string]>(
      `DELETE FROM ballots WHERE workshop_id = ? AND round_id = ?`,
    ),
    countBallots: db.prepare<[string, string], { n: number }>(
      `SELECT COUNT(*) AS n FROM ballots WHERE workshop_id = ? AND round_id = ?`,
    ),
    ballots: db.prepare<
      [string, string],
      {
        workshop_id: string
        round_id: string
        participant_id: string
        table_id: string
        ballot: string
        cast_at: number
      }
    >(`SELECT * FROM ballots WHERE workshop_id = ? AND round_id = ? ORDER BY participant_id`),
    putSnapshot: db.prepare(
      `INSERT INTO snapshots (workshop_id, id, label, kind, created_at, board_seq, control_seq, board, control)
       VALUES (@workshopId, @id, @label, @kind, @createdAt, @boardSeq, @controlSeq, @board, @control)`,
    ),
    snapshots: db.prepare<[string], SnapshotDbRow>(
      `SELECT workshop_id, id, label, kind, created_at, board_seq, control_seq FROM snapshots
       WHERE workshop_id = ? ORDER BY created_at, rowid`,
    ),
    snapshot: db.prepare<[string, string], SnapshotDbRow & { board: Buffer; control: Buffer }>(
      `SELECT * FROM snapshots WHERE workshop_id = ? AND id = ?`,
    ),
    log: db.prepare<[string, string], { seq: number; time: number; data: Buffer }>(
      `SELECT seq, time, data FROM updates WHERE workshop_id = ? AND doc = ? ORDER BY seq`,
    ),
    createdBefore: db.prepare<[number], { id: string }>(
      `SELECT id FROM workshops WHERE created_at < ?`,
    ),
    participants: db.prepare<[string], ParticipantDbRow>(
      `SELECT * FROM participants WHERE workshop_id = ? ORDER BY created_at, id`,
    ),
    insertOwner: db.prepare(
      `INSERT OR IGNORE INTO client_owners (workshop_id, doc, client_id, owner) VALUES (?, ?, ?, ?)`,
    ),
    owners: db.prepare<[string, string], { client_id: number; owner: string }>(
      `SELECT client_id, owner FROM client_owners WHERE workshop_id = ? AND doc = ?`,
    ),
    logBytes: db.prepare<[string], { n: number | null }>(
      `SELECT SUM(LENGTH(data)) AS n FROM updates WHERE workshop_id = ?`,
    ),
    insertCheckpoint: db.prepare(
      `INSERT OR REPLACE INTO checkpoints (workshop_id, doc, seq, time, state) VALUES (?, ?, ?, ?, ?)`,
    ),
  }
  const tables = [
    'workshops',
    'participants',
    'updates',
    'checkpoints',
    'ballots',
    'snapshots',
    'client_owners',
    'co_facilitators',
  ] as const
  const workshopColumn = (t: (typeof tables)[number]) => (t === 'workshops' ? 'id' : 'workshop_id')
  const deletes = tables.map((t) => db.prepare(`DELETE FROM ${t} WHERE ${workshopColumn(t)} = ?`))
  const counts = tables.map((t) => ({
    t,
    stmt: db.prepare<[string], { n: number }>(
      `SELECT COUNT(*) AS n FROM ${t} WHERE ${workshopColumn(t)} = ?`,
    ),
  }))

  // seq is assigned here, inside the transaction, so a failed commit consumes no numbers.
  const nextSeq = new Map<string, number>()
  const seqFor = (workshopId: string, doc: string): number => {
    const key = logKey(workshopId, doc as DocName)
    let s = nextSeq.get(key)
    if (s === undefined) s = (q.lastSeq.get(workshopId, doc)?.seq ?? 0) + 1
    return s
  }

  // Client ids whose owner row is committed: a writer's every update names its own id again, and
  // the first owner stays (INSERT OR IGNORE), so those are not written again. Ids are noted only
  // once their transaction committed: a rolled-back row must be written by the next attempt.
  const ownerKnown = new Set<string>()
  const ownersWriting: string[] = []
  const ownersCommitted = <T>(run: () => T): T => {
    ownersWriting.length = 0
    try {
      const out = run()
      for (const k of ownersWriting) ownerKnown.add(k)
      return out
    } finally {
      ownersWriting.length = 0
    }
  }

  const append = db.transaction((batch: LoggedUpdate[]) => {
    const last = new Map<string, number>()
    for (const u of batch) {
      const key = logKey(u.workshopId, u.doc)
      const seq = last.has(key) ? last.get(key)! + 1 : seqFor(u.workshopId, u.doc)
      q.insertUpdate.run(u.workshopId, u.doc, seq, u.time, u.participantId, u.data)
      const owner = ownerOf(u.participantId)
      for (const client of updateClients(u.data)) {
        const k = `${key}#${client}`
        if (ownerKnown.has(k)) continue
        q.insertOwner.run(u.workshopId, u.doc, client, owner)
        ownersWriting.push(k)
      }
      last.set(key, seq)
    }
    return last
  })

  const create = db.transaction((row: WorkshopRow, first: LoggedUpdate[]) => {
    q.insertWorkshop.run({ ...row, sharedTextOpen: row.sharedTextOpen ? 1 : 0 })
    return append(first)
  })
  const noteSeqs = (last: Map<string, number>) => {
    for (const [key, seq] of last) nextSeq.set(key, seq + 1)
  }

  const putBallot = db.transaction((row: BallotRow) => {
    q.putBallot.run(row)
    return q.countBallots.get(row.workshopId, row.roundId)?.n ?? 0
  })

  const deleteRows = db.transaction((id: string) => {
    for (const d of deletes) d.run(id)
    for (const key of [...nextSeq.keys()]) if (key.startsWith(`${id}/`)) nextSeq.delete(key)
    for (const k of [...ownerKnown]) if (k.startsWith(`${id}/`)) ownerKnown.delete(k)
  })

  return {
    putBallot: (row) => putBallot.immediate(row),
    deleteBallots: (workshopId, roundId) => void q.deleteBallots.run(workshopId, roundId),
    ballots: (workshopId, roundId) =>
      q.ballots.all(workshopId, roundId).map((r) => ({
        workshopId: r.workshop_id,
        roundId: r.round_id,
        participantId: r.participant_id,
        tableId: r.table_id,
        ballot: r.ballot,
        castAt: r.cast_at,
      })),
    createWorkshop: (row, first = []) =>
      noteSeqs(ownersCommitted(() => create.immediate(row, first))),
    workshop: (id) => toWorkshop(q.workshop.get(id)),
    workshopByCode: (code) => toWorkshop(q.workshopByCode.get(code)),
    updateWorkshopSettings(id, s) {
      q.updateSettings.run({
        id,
        title: s.title ?? null,
        language: s.language ?? null,
        anonymity: s.anonymity ?? null,
        cardScope: s.cardScope ?? null,
        sharedTextOpen: s.sharedTextOpen === undefined ? null : s.sharedTextOpen ? 1 : 0,
        minTableVoters: s.minTableVoters ?? null,
      })
      return toWorkshop(q.workshop.get(id))
    },
    addCoFacilitator: (row) => void q.insertCoFacilitator.run(row),
    coFacilitatorByKey(workshopId, keyHash) {
      const r = q.coFacilitatorByKey.get(workshopId, keyHash)
      return r ? toCoFacilitator(r) : null
    },
    coFacilitators: (workshopId) => q.coFacilitators.all(workshopId).map(toCoFacilitator),
    revokeCoFacilitator: (workshopId, id, time) =>
      q.revokeCoFacilitator.run(time, workshopId, id).changes > 0,
    addParticipant: (row) => void q.insertParticipant.run(row),
    participantByToken(workshopId, tokenHash) {
      const r = q.participant.get(workshopId, tokenHash)
      return r ? toParticipant(r) : null
    },
    participants: (workshopId) => q.participants.all(workshopId).map(toParticipant),
    putSnapshot: (row) => void q.putSnapshot.run(row),
    snapshots: (workshopId) => q.snapshots.all(workshopId).map(toSnapshotMeta),
    snapshot(workshopId, id) {
      const r = q.snapshot.get(workshopId, id)
      return r
        ? {
            ...toSnapshotMeta(r),
            board: new Uint8Array(r.board),
            control: new Uint8Array(r.control),
          }
        : null
    },
    log: (workshopId, doc) =>
      q.log
        .all(workshopId, doc)
        .map((r) => ({ seq: r.seq, time: r.time, data: new Uint8Array(r.data) })),
    workshopsCreatedBefore: (time) => q.createdBefore.all(time).map((r) => r.id),
    participantCountByTable(workshopId) {
      return new Map(q.countByTable.all(workshopId).map((r) => [r.table_id, r.n]))
    },
    appendUpdates(batch) {
      const last = ownersCommitted(() => append.immediate(batch))
      noteSeqs(last)
      return last
    },
    loadDoc(workshopId, doc): StoredDoc {
      const cp = q.latestCheckpoint.get(workshopId, doc)
      const after = cp?.seq ?? 0
      const rows = q.updatesAfter.all(workshopId, doc, after)
      return {
        checkpoint: cp ? new Uint8Array(cp.state) : null,
        checkpointSeq: after,
        updates: rows.map((r) => new Uint8Array(r.data)),
        lastSeq: rows.length ? rows[rows.length - 1]!.seq : after,
      }
    },
    clientOwners: (workshopId, doc) =>
      new Map(q.owners.all(workshopId, doc).map((r) => [r.client_id, r.owner])),
    logBytes: (workshopId) => q.logBytes.get(workshopId)?.n ?? 0,
    writeCheckpoint(workshopId, doc, seq, time, state) {
      q.insertCheckpoint.run(workshopId, doc, seq, time, state)
    },
    deleteWorkshop(id) {
      deleteRows(id)
      // the WAL still holds the pages as written before the delete: fold it in and empty it
      db.pragma('wal_checkpoint(TRUNCATE)')
    },
    rowsForWorkshop(id) {
      return Object.fromEntries(counts.map(({ t, stmt }) => [t, stmt.get(id)?.n ?? 0]))
    },
    file: file === ':memory:' ? null : file,
    close: () => db.close(),
  }
}
