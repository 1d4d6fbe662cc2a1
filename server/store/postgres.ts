/**
 * PostgreSQL store (issue #12): the same contract as the SQLite store, for several instances on one
 * database. Times are milliseconds in BIGINT, read back as numbers (they stay far below 2^53).
 */
import pg from 'pg'
import * as Y from 'yjs'
import type { DocName } from '../../shared/protocol.ts'
import { z } from 'zod/mini'
import { CardEditScope, CardEditScopeSchema } from '../../shared/schema.ts'
import { DEFAULT_MIN_TABLE_VOTERS } from '../../shared/tally-privacy.ts'
import type { AsyncStore } from './async-store.ts'
import { CommitOutcomeUnknown, NotOwnerError, isDatabaseFailure } from './errors.ts'
import {
  type BallotRow,
  type LoggedUpdate,
  type CoFacilitatorRow,
  type ParticipantRow,
  type SnapshotMeta,
  type StoredDoc,
  type WorkshopRow,
  logKey,
  ownerOf,
} from './store.ts'

/** Steps in order; `stip_schema.version` records how many ran, each in one transaction with it. */
const MIGRATIONS: { version: number; sql: string }[] = [
  {
    // the SQLite schema as of its version 4, in PostgreSQL's types
    version: 1,
    sql: `
CREATE TABLE workshops (
  id TEXT PRIMARY KEY,
  join_code TEXT NOT NULL UNIQUE,
  facilitator_key_hash TEXT NOT NULL,
  title TEXT NOT NULL,
  language TEXT NOT NULL,
  anonymity TEXT NOT NULL,
  card_scope TEXT NOT NULL DEFAULT '${CardEditScope.OwnTable}',
  shared_text_open BOOLEAN NOT NULL DEFAULT FALSE,
  min_table_voters INTEGER NOT NULL DEFAULT ${DEFAULT_MIN_TABLE_VOTERS},
  created_at BIGINT NOT NULL
);
CREATE INDEX workshops_created ON workshops(created_at);
CREATE TABLE participants (
  id TEXT PRIMARY KEY,
  workshop_id TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  table_id TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX participants_workshop ON participants(workshop_id);
CREATE TABLE updates (
  workshop_id TEXT NOT NULL,
  doc TEXT NOT NULL,
  seq BIGINT NOT NULL,
  time BIGINT NOT NULL,
  participant_id TEXT,
  data BYTEA NOT NULL,
  PRIMARY KEY (workshop_id, doc, seq)
);
CREATE TABLE ballots (
  workshop_id TEXT NOT NULL,
  round_id TEXT NOT NULL,
  participant_id TEXT NOT NULL,
  table_id TEXT NOT NULL,
  ballot TEXT NOT NULL,
  cast_at BIGINT NOT NULL,
  PRIMARY KEY (workshop_id, round_id, participant_id)
);
CREATE TABLE snapshots (
  workshop_id TEXT NOT NULL,
  id TEXT NOT NULL,
  label TEXT NOT NULL,
  kind TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  -- insertion order, for snapshots taken in the same millisecond (SQLite's rowid)
  ord BIGSERIAL,
  board_seq BIGINT NOT NULL,
  control_seq BIGINT NOT NULL,
  board BYTEA NOT NULL,
  control BYTEA NOT NULL,
  PRIMARY KEY (workshop_id, id)
);
CREATE TABLE checkpoints (
  workshop_id TEXT NOT NULL,
  doc TEXT NOT NULL,
  seq BIGINT NOT NULL,
  time BIGINT NOT NULL,
  state BYTEA NOT NULL,
  PRIMARY KEY (workshop_id, doc, seq)
);
CREATE TABLE client_owners (
  workshop_id TEXT NOT NULL,
  doc TEXT NOT NULL,
  -- Yjs client ids are unsigned 32-bit: past INTEGER's range
  client_id BIGINT NOT NULL,
  owner TEXT NOT NULL,
  PRIMARY KEY (workshop_id, doc, client_id)
);`,
  },
  {
    // one owner per workshop (server/cluster/lease.ts): who holds it, and the epoch every commit
    // of the holder is checked against, bumped on each takeover
    version: 2,
    sql: `
CREATE TABLE workshop_owners (
  workshop_id TEXT PRIMARY KEY,
  instance_id TEXT NOT NULL,
  internal_url TEXT NOT NULL,
  epoch BIGINT NOT NULL,
  since BIGINT NOT NULL
);`,
  },
  {
    // voting rounds decided by the database (server/voting/ledger-postgres.ts)
    version: 3,
    sql: `
CREATE TABLE rounds (
  workshop_id TEXT NOT NULL,
  id TEXT NOT NULL,
  status TEXT NOT NULL,
  -- the round's setup as RoundSchema; status, voter_count and closed_at are the columns'
  round JSONB NOT NULL,
  voter_count INTEGER NOT NULL,
  closed_at BIGINT,
  PRIMARY KEY (workshop_id, id)
);
CREATE UNIQUE INDEX rounds_one_open ON rounds(workshop_id) WHERE status = 'open';`,
  },
  {
    // co-facilitator links (SQLite's migration 5): a second secret per link, revocable
    version: 4,
    sql: `
CREATE TABLE co_facilitators (
  workshop_id TEXT NOT NULL,
  id TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  label TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  -- creation order, for links made in the same millisecond (SQLite's rowid)
  ord BIGSERIAL,
  revoked_at BIGINT,
  PRIMARY KEY (workshop_id, id)
);`,
  },
]
export const PG_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version

/** Every table with a workshop's rows, and the column naming the workshop. */
const WORKSHOP_TABLES = {
  workshops: 'id',
  participants: 'workshop_id',
  updates: 'workshop_id',
  checkpoints: 'workshop_id',
  ballots: 'workshop_id',
  snapshots: 'workshop_id',
  client_owners: 'workshop_id',
  workshop_owners: 'workshop_id',
  rounds: 'workshop_id',
  co_facilitators: 'workshop_id',
} as const

export interface PostgresStoreOptions {
  connectionString: string
  /** A schema of its own (tests give each suite one); created if missing. Default: public. */
  schema?: string
  /** Connections in the pool. */
  max?: number
  /**
   * The epoch under which this instance holds a workshop (its lease), null if it holds none.
   * Given, every commit and checkpoint checks it against the database's in the same
   * transaction, so an owner that lost its lease can never write after a takeover.
   */
  fence?: (workshopId: string) => number | null
}

export { NotOwnerError }

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/

// BIGINT (int8) arrives as text by default: these are times, sequence numbers and client ids
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === pg.types.builtins.INT8
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
}

interface WorkshopPgRow {
  id: string
  join_code: string
  facilitator_key_hash: string
  title: string
  language: 'nl' | 'en'
  anonymity: WorkshopRow['anonymity']
  card_scope: string
  shared_text_open: boolean
  min_table_voters: number
  created_at: number
}

const toWorkshop = (r: WorkshopPgRow | undefined): WorkshopRow | null =>
  r
    ? {
        id: r.id,
        joinCode: r.join_code,
        facilitatorKeyHash: r.facilitator_key_hash,
        title: r.title,
        language: r.language,
        anonymity: r.anonymity,
        cardScope: z.catch(CardEditScopeSchema, CardEditScope.OwnTable).parse(r.card_scope),
        sharedTextOpen: r.shared_text_open,
        minTableVoters: r.min_table_voters,
        createdAt: r.created_at,
      }
    : null

interface ParticipantPgRow {
  id: string
  workshop_id: string
  token_hash: string
  name: string
  table_id: string
  created_at: number
}

interface CoFacilitatorPgRow {
  workshop_id: string
  id: string
  key_hash: string
  label: string
  created_at: number
  revoked_at: number | null
}

const toCoFacilitator = (r: CoFacilitatorPgRow): CoFacilitatorRow => ({
  id: r.id,
  workshopId: r.workshop_id,
  keyHash: r.key_hash,
  label: r.label,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
})

const toParticipant = (r: ParticipantPgRow): ParticipantRow => ({
  id: r.id,
  workshopId: r.workshop_id,
  tokenHash: r.token_hash,
  name: r.name,
  tableId: r.table_id,
  createdAt: r.created_at,
})

interface SnapshotPgRow {
  workshop_id: string
  id: string
  label: string
  kind: SnapshotMeta['kind']
  created_at: number
  board_seq: number
  control_seq: number
}

const toSnapshotMeta = (r: SnapshotPgRow): SnapshotMeta => ({
  id: r.id,
  workshopId: r.workshop_id,
  label: r.label,
  kind: r.kind,
  createdAt: r.created_at,
  boardSeq: r.board_seq,
  controlSeq: r.control_seq,
})

const bytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength)

/** Runs `fn` in one transaction on a connection of the pool: committed, or rolled back on a throw. */
export async function inTransaction<T>(
  pool: pg.Pool,
  fn: (c: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const c = await pool.connect()
  let broken: Error | undefined
  // a checked-out client whose connection drops emits 'error'; unheard, it would end the process.
  // The query in flight fails with the same cause, which is what this transaction reports.
  const onError = () => {}
  c.on('error', onError)
  try {
    await c.query('BEGIN')
    const out = await fn(c)
    try {
      await c.query('COMMIT')
    } catch (err) {
      // a refusal at COMMIT (a serialization failure, a deferred constraint) is an answer: rolled
      // back. A connection that broke after COMMIT was sent is not: it may have committed.
      if (!isDatabaseFailure(err)) throw err
      broken = err as Error
      throw new CommitOutcomeUnknown(err)
    }
    return out
  } catch (err) {
    if (!broken) await c.query('ROLLBACK').catch(() => {})
    throw err
  } finally {
    c.off('error', onError)
    // a broken connection is dropped from the pool, never handed to the next transaction
    c.release(broken)
  }
}

/** Waits between attempts to read a commit's outcome back: 100 ms, doubling, at most 2 s. */
const settleDelay = (attempt: number) => Math.min(2_000, 100 * 2 ** attempt)

async function migrate(pool: pg.Pool): Promise<void> {
  const c = await pool.connect()
  try {
    await c.query('BEGIN')
    // one migrator at a time when several instances start together
    await c.query(`SELECT pg_advisory_xact_lock(hashtext('stip schema migration'))`)
    await c.query(`CREATE TABLE IF NOT EXISTS stip_schema (version INTEGER NOT NULL)`)
    const { rows } = await c.query<{ version: number }>(`SELECT version FROM stip_schema`)
    if (rows.length === 0) await c.query(`INSERT INTO stip_schema (version) VALUES (0)`)
    const current = rows[0]?.version ?? 0
    if (current > PG_SCHEMA_VERSION) {
      throw new Error(
        `the database has schema version ${current}, newer than this server (${PG_SCHEMA_VERSION}): run the newer Stip`,
      )
    }
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue
      await c.query(m.sql)
      await c.query(`UPDATE stip_schema SET version = $1`, [m.version])
    }
    await c.query('COMMIT')
  } catch (err) {
    await c.query('ROLLBACK').catch(() => {})
    throw err
  } finally {
    c.release()
  }
}

/** The store, and its pool for the modules that keep their own rows (the round ledger). */
export type PostgresStore = AsyncStore & { readonly pool: pg.Pool }

export async function openPostgresStore(opts: PostgresStoreOptions): Promise<PostgresStore> {
  const schema = opts.schema ?? 'public'
  if (!SCHEMA_NAME.test(schema)) throw new Error(`not a schema name: ${schema}`)
  const pool = new pg.Pool({
    connectionString: opts.connectionString,
    max: opts.max ?? 10,
    types,
    options: `-c search_path=${schema}`,
  })
  // an idle connection the server drops must not crash the process: the next query reconnects
  pool.on('error', (err) => console.error('stip: postgres pool error:', err.message))
  try {
    if (schema !== 'public') await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
    await migrate(pool)
  } catch (err) {
    await pool.end()
    throw err
  }

  const tx = <T>(fn: (c: pg.PoolClient) => Promise<T>) => inTransaction(pool, fn)
  /** Inside a write transaction: refuses it unless this instance holds the workshop's lease. */
  async function checkFence(c: pg.PoolClient, workshopId: string): Promise<void> {
    if (!opts.fence) return
    const held = opts.fence(workshopId)
    // FOR SHARE: a takeover's epoch bump waits for this commit, or this commit sees the new epoch
    const { rows } = await c.query<{ epoch: number }>(
      `SELECT epoch FROM workshop_owners WHERE workshop_id = $1 FOR SHARE`,
      [workshopId],
    )
    const current = rows[0]?.epoch ?? null
    if (held === null || current !== held) throw new NotOwnerError(workshopId, held, current)
  }

  /** Appends inside the caller's transaction; seq is read there, so a failure consumes none. */
  /** Appends inside the caller's transaction; `seqs`, if given, gets each update's number. */
  async function append(
    c: pg.PoolClient,
    batch: LoggedUpdate[],
    seqs?: number[],
  ): Promise<Map<string, number>> {
    const last = new Map<string, number>()
    for (const u of batch) {
      const key = logKey(u.workshopId, u.doc)
      let seq = last.get(key)
      if (seq === undefined) {
        const { rows } = await c.query<{ seq: number }>(
          `SELECT COALESCE(MAX(seq), 0) AS seq FROM updates WHERE workshop_id = $1 AND doc = $2`,
          [u.workshopId, u.doc],
        )
        seq = rows[0]!.seq
      }
      seq += 1
      await c.query(
        `INSERT INTO updates (workshop_id, doc, seq, time, participant_id, data) VALUES ($1, $2, $3, $4, $5, $6)`,
        [u.workshopId, u.doc, seq, u.time, u.participantId, Buffer.from(u.data)],
      )
      const clients = [...Y.parseUpdateMeta(u.data).to.keys()]
      if (clients.length)
        await c.query(
          `INSERT INTO client_owners (workshop_id, doc, client_id, owner)
           SELECT $1, $2, unnest($3::bigint[]), $4 ON CONFLICT DO NOTHING`,
          [u.workshopId, u.doc, clients, ownerOf(u.participantId)],
        )
      last.set(key, seq)
      seqs?.push(seq)
    }
    return last
  }

  const one = async <R extends pg.QueryResultRow>(sql: string, params: unknown[]) =>
    (await pool.query<R>(sql, params)).rows[0]
  const all = async <R extends pg.QueryResultRow>(sql: string, params: unknown[]) =>
    (await pool.query<R>(sql, params)).rows

  /** Appends in one transaction; `seqs` gets each update's number as it is written. */
  const appendInTx = (batch: LoggedUpdate[], seqs: number[]) =>
    tx(async (c) => {
      for (const id of new Set(batch.map((u) => u.workshopId))) await checkFence(c, id)
      return append(c, batch, seqs)
    })

  /**
   * The answer to a COMMIT was lost. A transaction is all or nothing, so its first update tells:
   * read back at its number with its bytes, the batch is in and its numbers stand; absent (or
   * another's bytes there), it is not, and the caller retries it as a failed commit. Until the
   * database answers, the caller waits, and its acks with it.
   */
  async function settleAppend(
    batch: LoggedUpdate[],
    seqs: number[],
    lost: CommitOutcomeUnknown,
  ): Promise<Map<string, number>> {
    const first = batch[0]!
    if (seqs.length !== batch.length) throw lost // COMMIT was never sent
    for (let attempt = 0; ; attempt++) {
      if (closed) throw lost
      try {
        const { rows } = await pool.query<{ data: Buffer }>(
          `SELECT data FROM updates WHERE workshop_id = $1 AND doc = $2 AND seq = $3`,
          [first.workshopId, first.doc, seqs[0]],
        )
        const mine = rows[0] !== undefined && Buffer.from(first.data).equals(rows[0].data)
        if (!mine) throw lost.cause
        const last = new Map<string, number>()
        batch.forEach((u, i) => last.set(logKey(u.workshopId, u.doc), seqs[i]!))
        return last
      } catch (err) {
        if (err === lost.cause || !isDatabaseFailure(err)) throw err
        await new Promise((resolve) => setTimeout(resolve, settleDelay(attempt)).unref())
      }
    }
  }
  let closed = false

  return {
    async putSnapshot(row) {
      await pool.query(
        `INSERT INTO snapshots (workshop_id, id, label, kind, created_at, board_seq, control_seq, board, control)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          row.workshopId,
          row.id,
          row.label,
          row.kind,
          row.createdAt,
          row.boardSeq,
          row.controlSeq,
          Buffer.from(row.board),
          Buffer.from(row.control),
        ],
      )
    },
    async snapshots(workshopId) {
      const rows = await all<SnapshotPgRow>(
        `SELECT workshop_id, id, label, kind, created_at, board_seq, control_seq FROM snapshots
         WHERE workshop_id = $1 ORDER BY created_at, ord`,
        [workshopId],
      )
      return rows.map(toSnapshotMeta)
    },
    async snapshot(workshopId, id) {
      const r = await one<SnapshotPgRow & { board: Buffer; control: Buffer }>(
        `SELECT * FROM snapshots WHERE workshop_id = $1 AND id = $2`,
        [workshopId, id],
      )
      return r ? { ...toSnapshotMeta(r), board: bytes(r.board), control: bytes(r.control) } : null
    },
    async log(workshopId, doc) {
      const rows = await all<{ seq: number; time: number; data: Buffer }>(
        `SELECT seq, time, data FROM updates WHERE workshop_id = $1 AND doc = $2 ORDER BY seq`,
        [workshopId, doc],
      )
      return rows.map((r) => ({ seq: r.seq, time: r.time, data: bytes(r.data) }))
    },
    async workshopsCreatedBefore(time) {
      const rows = await all<{ id: string }>(`SELECT id FROM workshops WHERE created_at < $1`, [
        time,
      ])
      return rows.map((r) => r.id)
    },
    async participants(workshopId) {
      const rows = await all<ParticipantPgRow>(
        `SELECT * FROM participants WHERE workshop_id = $1 ORDER BY created_at, id`,
        [workshopId],
      )
      return rows.map(toParticipant)
    },
    putBallot: (row: BallotRow) =>
      tx(async (c) => {
        await c.query(
          `INSERT INTO ballots (workshop_id, round_id, participant_id, table_id, ballot, cast_at)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (workshop_id, round_id, participant_id)
           DO UPDATE SET table_id = EXCLUDED.table_id, ballot = EXCLUDED.ballot, cast_at = EXCLUDED.cast_at`,
          [row.workshopId, row.roundId, row.participantId, row.tableId, row.ballot, row.castAt],
        )
        const { rows } = await c.query<{ n: number }>(
          `SELECT COUNT(*)::int AS n FROM ballots WHERE workshop_id = $1 AND round_id = $2`,
          [row.workshopId, row.roundId],
        )
        return rows[0]?.n ?? 0
      }),
    async ballots(workshopId, roundId) {
      const rows = await all<{
        workshop_id: string
        round_id: string
        participant_id: string
        table_id: string
        ballot: string
        cast_at: number
      }>(`SELECT * FROM ballots WHERE workshop_id = $1 AND round_id = $2 ORDER BY participant_id`, [
        workshopId,
        roundId,
      ])
      return rows.map((r) => ({
        workshopId: r.workshop_id,
        roundId: r.round_id,
        participantId: r.participant_id,
        tableId: r.table_id,
        ballot: r.ballot,
        castAt: r.cast_at,
      }))
    },
    async deleteBallots(workshopId, roundId) {
      await pool.query(`DELETE FROM ballots WHERE workshop_id = $1 AND round_id = $2`, [
        workshopId,
        roundId,
      ])
    },
    createWorkshop: (row, first = []) =>
      // a new workshop has no owner yet: its first entries are written without the fence
      tx(async (c) => {
        await c.query(
          `INSERT INTO workshops (id, join_code, facilitator_key_hash, title, language, anonymity, card_scope, shared_text_open, min_table_voters, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [
            row.id,
            row.joinCode,
            row.facilitatorKeyHash,
            row.title,
            row.language,
            row.anonymity,
            row.cardScope,
            row.sharedTextOpen,
            row.minTableVoters,
            row.createdAt,
          ],
        )
        await append(c, first)
      }),
    workshop: async (id) =>
      toWorkshop(await one<WorkshopPgRow>(`SELECT * FROM workshops WHERE id = $1`, [id])),
    workshopByCode: async (code) =>
      toWorkshop(await one<WorkshopPgRow>(`SELECT * FROM workshops WHERE join_code = $1`, [code])),
    async updateWorkshopSettings(id, s) {
      const r = await one<WorkshopPgRow>(
        `UPDATE workshops SET title = COALESCE($2, title), language = COALESCE($3, language),
         anonymity = COALESCE($4, anonymity), card_scope = COALESCE($5, card_scope),
         shared_text_open = COALESCE($6, shared_text_open),
         min_table_voters = COALESCE($7, min_table_voters) WHERE id = $1 RETURNING *`,
        [
          id,
          s.title ?? null,
          s.language ?? null,
          s.anonymity ?? null,
          s.cardScope ?? null,
          s.sharedTextOpen ?? null,
          s.minTableVoters ?? null,
        ],
      )
      return toWorkshop(r)
    },
    async addCoFacilitator(row) {
      await pool.query(
        `INSERT INTO co_facilitators (workshop_id, id, key_hash, label, created_at, revoked_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [row.workshopId, row.id, row.keyHash, row.label, row.createdAt, row.revokedAt],
      )
    },
    async coFacilitatorByKey(workshopId, keyHash) {
      const r = await one<CoFacilitatorPgRow>(
        `SELECT * FROM co_facilitators WHERE workshop_id = $1 AND key_hash = $2`,
        [workshopId, keyHash],
      )
      return r ? toCoFacilitator(r) : null
    },
    async coFacilitators(workshopId) {
      const rows = await all<CoFacilitatorPgRow>(
        `SELECT * FROM co_facilitators WHERE workshop_id = $1 ORDER BY created_at, ord`,
        [workshopId],
      )
      return rows.map(toCoFacilitator)
    },
    async revokeCoFacilitator(workshopId, id, time) {
      const r = await pool.query(
        `UPDATE co_facilitators SET revoked_at = $1
         WHERE workshop_id = $2 AND id = $3 AND revoked_at IS NULL`,
        [time, workshopId, id],
      )
      return (r.rowCount ?? 0) > 0
    },
    async addParticipant(row) {
      await pool.query(
        `INSERT INTO participants (id, workshop_id, token_hash, name, table_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [row.id, row.workshopId, row.tokenHash, row.name, row.tableId, row.createdAt],
      )
    },
    async participantByToken(workshopId, tokenHash) {
      const r = await one<ParticipantPgRow>(
        `SELECT * FROM participants WHERE workshop_id = $1 AND token_hash = $2`,
        [workshopId, tokenHash],
      )
      return r ? toParticipant(r) : null
    },
    async participantCountByTable(workshopId) {
      const rows = await all<{ table_id: string; n: number }>(
        `SELECT table_id, COUNT(*)::int AS n FROM participants WHERE workshop_id = $1 GROUP BY table_id`,
        [workshopId],
      )
      return new Map(rows.map((r) => [r.table_id, r.n]))
    },
    appendUpdates: async (batch) => {
      const seqs: number[] = []
      try {
        return await appendInTx(batch, seqs)
      } catch (err) {
        if (!(err instanceof CommitOutcomeUnknown) || !batch.length) throw err
        return settleAppend(batch, seqs, err)
      }
    },
    loadDoc: (workshopId, doc) =>
      // one snapshot of the database for both reads: no update can slip between them
      tx(async (c): Promise<StoredDoc> => {
        await c.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ')
        const cp = (
          await c.query<{ seq: number; state: Buffer }>(
            `SELECT seq, state FROM checkpoints WHERE workshop_id = $1 AND doc = $2 ORDER BY seq DESC LIMIT 1`,
            [workshopId, doc],
          )
        ).rows[0]
        const after = cp?.seq ?? 0
        const { rows } = await c.query<{ seq: number; data: Buffer }>(
          `SELECT seq, data FROM updates WHERE workshop_id = $1 AND doc = $2 AND seq > $3 ORDER BY seq`,
          [workshopId, doc, after],
        )
        return {
          checkpoint: cp ? bytes(cp.state) : null,
          checkpointSeq: after,
          updates: rows.map((r) => bytes(r.data)),
          lastSeq: rows.length ? rows[rows.length - 1]!.seq : after,
        }
      }),
    async clientOwners(workshopId, doc: DocName) {
      const rows = await all<{ client_id: number; owner: string }>(
        `SELECT client_id, owner FROM client_owners WHERE workshop_id = $1 AND doc = $2`,
        [workshopId, doc],
      )
      return new Map(rows.map((r) => [r.client_id, r.owner]))
    },
    async logBytes(workshopId) {
      const r = await one<{ n: number }>(
        `SELECT COALESCE(SUM(octet_length(data)), 0)::bigint AS n FROM updates WHERE workshop_id = $1`,
        [workshopId],
      )
      return r?.n ?? 0
    },
    writeCheckpoint: (workshopId, doc, seq, time, state) =>
      tx(async (c) => {
        await checkFence(c, workshopId)
        await c.query(
          `INSERT INTO checkpoints (workshop_id, doc, seq, time, state) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (workshop_id, doc, seq) DO UPDATE SET time = EXCLUDED.time, state = EXCLUDED.state`,
          [workshopId, doc, seq, time, Buffer.from(state)],
        )
      }),
    deleteWorkshop: (id) =>
      tx(async (c) => {
        for (const [table, column] of Object.entries(WORKSHOP_TABLES))
          await c.query(`DELETE FROM ${table} WHERE ${column} = $1`, [id])
      }),
    async rowsForWorkshop(id) {
      const out: Record<string, number> = {}
      for (const [table, column] of Object.entries(WORKSHOP_TABLES)) {
        const r = await one<{ n: number }>(
          `SELECT COUNT(*)::int AS n FROM ${table} WHERE ${column} = $1`,
          [id],
        )
        out[table] = r?.n ?? 0
      }
      return out
    },
    file: null,
    pool,
    close: () => {
      closed = true
      return pool.end()
    },
  }
}
