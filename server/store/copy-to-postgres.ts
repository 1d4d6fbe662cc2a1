/**
 * Copies every workshop of a SQLite data directory into PostgreSQL (issue #12, `npm run migrate`),
 * row for row: the full update log with its writers, checkpoints, snapshots, ballots, participants
 * and client-id owners. One transaction per workshop, so a copy that stops halfway leaves whole
 * workshops; a workshop already in the target is left alone and reported, so a rerun continues.
 */
import Database from 'better-sqlite3'
import path from 'node:path'
import type pg from 'pg'
import type { PostgresStore } from './postgres.ts'
import { SCHEMA_VERSION } from './sqlite.ts'

export interface CopyReport {
  copied: string[]
  skipped: string[]
  rows: Record<string, number>
}

/** Tables in the order rows are copied; each names its workshop column and a stable order. */
const TABLES = [
  { name: 'workshops', key: 'id', order: 'id' },
  { name: 'participants', key: 'workshop_id', order: 'created_at, id' },
  { name: 'updates', key: 'workshop_id', order: 'doc, seq' },
  { name: 'checkpoints', key: 'workshop_id', order: 'doc, seq' },
  { name: 'ballots', key: 'workshop_id', order: 'round_id, participant_id' },
  // insertion order becomes the target's `ord`, which breaks ties of equal created_at
  { name: 'snapshots', key: 'workshop_id', order: 'created_at, rowid' },
  { name: 'client_owners', key: 'workshop_id', order: 'doc, client_id' },
  { name: 'co_facilitators', key: 'workshop_id', order: 'created_at, rowid' },
] as const

/** SQLite stores booleans as 0/1; PostgreSQL's columns are BOOLEAN. */
const BOOLEAN_COLUMNS = new Set(['shared_text_open'])

export async function copySqliteToPostgres(
  dataDir: string,
  target: PostgresStore,
  onWorkshop: (id: string, done: number, total: number) => void = () => {},
): Promise<CopyReport> {
  const db = new Database(path.join(dataDir, 'stip.db'), { readonly: true, fileMustExist: true })
  try {
    const version = db.pragma('user_version', { simple: true }) as number
    if (version !== SCHEMA_VERSION)
      throw new Error(
        `stip.db has schema version ${version}, this build copies version ${SCHEMA_VERSION}: open it once with this build's server first`,
      )
    const ids = db
      .prepare<[], { id: string }>(`SELECT id FROM workshops ORDER BY created_at, id`)
      .all()
      .map((r) => r.id)
    const report: CopyReport = { copied: [], skipped: [], rows: {} }
    for (const [i, id] of ids.entries()) {
      if (await target.workshop(id)) report.skipped.push(id)
      else {
        await copyOne(db, target.pool, id, report.rows)
        report.copied.push(id)
      }
      onWorkshop(id, i + 1, ids.length)
    }
    return report
  } finally {
    db.close()
  }
}

async function copyOne(
  db: Database.Database,
  pool: pg.Pool,
  id: string,
  counts: Record<string, number>,
): Promise<void> {
  const c = await pool.connect()
  try {
    await c.query('BEGIN')
    for (const t of TABLES) {
      const rows = db
        .prepare<[string], Record<string, unknown>>(
          `SELECT * FROM ${t.name} WHERE ${t.key} = ? ORDER BY ${t.order}`,
        )
        .all(id)
      for (const row of rows) {
        const columns = Object.keys(row)
        const values = columns.map((k) => (BOOLEAN_COLUMNS.has(k) ? row[k] === 1 : row[k]))
        await c.query(
          `INSERT INTO ${t.name} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
          values,
        )
      }
      counts[t.name] = (counts[t.name] ?? 0) + rows.length
    }
    await c.query('COMMIT')
  } catch (err) {
    await c.query('ROLLBACK').catch(() => {})
    throw err
  } finally {
    c.release()
  }
}
