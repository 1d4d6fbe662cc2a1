/** The only place that reads the environment. Builds a Config and starts the server. */
import path from 'node:path'
import fs from 'node:fs'
import os from 'node:os'
import { fileURLToPath } from 'node:url'
import { createServer } from './app.ts'
import { openSqliteWorkerStore } from './store/sqlite-worker.ts'
import { type PostgresStore, openPostgresStore } from './store/postgres.ts'
import { postgresLedger } from './voting/ledger-postgres.ts'
import type { AsyncStore } from './store/async-store.ts'
import { jsonLogger, systemAfter, systemClock } from './deps.ts'
import { Cluster } from './cluster/cluster.ts'
import { Leases } from './cluster/lease.ts'
import { systemRandom } from './identity.ts'
import { MIN_CREATE_KEY_CHARS } from '../shared/limits.ts'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const env = process.env
const log = jsonLogger()

const port = Number(env.PORT ?? 8080)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  log.error('config.bad_port', { value: env.PORT ?? null })
  process.exit(2)
}
const dataDir = path.resolve(env.DATA_DIR ?? path.join(repo, 'data'))
const staticDir = path.resolve(env.STATIC_DIR ?? path.join(repo, 'dist'))
const synchronous = env.SQLITE_SYNC === 'NORMAL' ? 'NORMAL' : 'FULL'
const retentionDays = env.RETENTION_DAYS ? Number(env.RETENTION_DAYS) : null
if (retentionDays !== null && !(retentionDays > 0)) {
  log.error('config.bad_retention', { value: env.RETENTION_DAYS ?? null })
  process.exit(2)
}

const quotaMb = env.WORKSHOP_QUOTA_MB ? Number(env.WORKSHOP_QUOTA_MB) : null
if (quotaMb !== null && !(quotaMb > 0)) {
  log.error('config.bad_quota', { value: env.WORKSHOP_QUOTA_MB ?? null })
  process.exit(2)
}
const createKey = env.CREATE_KEY?.trim() || null
// the key is all that stands between the internet and workshop creation: not a short word
if (createKey !== null && createKey.length < MIN_CREATE_KEY_CHARS) {
  log.error('config.short_create_key', { minChars: MIN_CREATE_KEY_CHARS })
  process.exit(2)
}
const trustProxy = env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true'

// STORE=sqlite (the default: one file under DATA_DIR, on a thread of its own so no socket waits on
// an fsync) or STORE=postgres with DATABASE_URL (and DATABASE_SCHEMA, default public)
const storeKind = env.STORE ?? 'sqlite'
if (storeKind !== 'sqlite' && storeKind !== 'postgres') {
  log.error('config.bad_store', { value: storeKind })
  process.exit(2)
}
if (storeKind === 'postgres' && !env.DATABASE_URL) {
  log.error('config.missing_database_url', {})
  process.exit(2)
}
// Several instances on one PostgreSQL (docs/DEPLOY.md): CLUSTER_SECRET turns it on
const clusterSecret = env.CLUSTER_SECRET?.trim() || null
if (clusterSecret && storeKind !== 'postgres') {
  log.error('config.cluster_needs_postgres', {})
  process.exit(2)
}
if (clusterSecret !== null && clusterSecret.length < MIN_CREATE_KEY_CHARS) {
  log.error('config.cluster_secret_too_short', { min: MIN_CREATE_KEY_CHARS })
  process.exit(2)
}
const instanceId = env.INSTANCE_ID?.trim() || `${os.hostname()}-${process.pid}`
/** Where the others reach this instance; by default its own listening address, known once it listens. */
let internalUrl = env.INTERNAL_URL?.trim() || null
const cluster = clusterSecret
  ? new Cluster({
      openSession: () =>
        Leases.open({
          connectionString: env.DATABASE_URL!,
          ...(env.DATABASE_SCHEMA && { schema: env.DATABASE_SCHEMA }),
          instanceId,
          internalUrl: internalUrl!,
        }),
      secret: clusterSecret,
      instanceId,
      after: systemAfter,
      log,
    })
  : null

const openStore = (): Promise<AsyncStore | PostgresStore> =>
  storeKind === 'postgres'
    ? openPostgresStore({
        connectionString: env.DATABASE_URL!,
        ...(env.DATABASE_SCHEMA && { schema: env.DATABASE_SCHEMA }),
        // every commit checks this instance still owns the workshop
        ...(cluster && { fence: cluster.epoch }),
      })
    : openSqliteWorkerStore({ dataDir, synchronous })
let store: AsyncStore | PostgresStore
try {
  store = await openStore()
} catch (err) {
  // the reason, without the connection string (it may hold a password)
  log.error('store.open_failed', {
    store: storeKind,
    name: err instanceof Error ? err.name : typeof err,
    code: String((err as { code?: unknown }).code ?? ''),
  })
  process.exit(1)
}

const server = await createServer({
  host: env.HOST ?? '0.0.0.0',
  port,
  store,
  staticDir: fs.existsSync(path.join(staticDir, 'index.html')) ? staticDir : null,
  allowedOrigins: (env.ALLOWED_ORIGINS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
  publicUrl: env.PUBLIC_URL ?? null,
  clock: systemClock,
  random: systemRandom,
  log,
  retentionDays,
  ...(quotaMb !== null && { workshopQuotaBytes: quotaMb * 1024 * 1024 }),
  createKey,
  trustProxy,
  ...(cluster && { cluster }),
  // on PostgreSQL its rows decide voting rounds, whichever instance serves the request
  ...('pool' in store && { ledger: postgresLedger(store.pool) }),
})
internalUrl ??= server.url
// the first replay, report or export of the day should not wait for a worker to boot (a second or
// more on a busy machine): the workers start with the server, and idle they keep nothing alive
server.heavy.warm()
log.info('server.listening', {
  url: server.url,
  store: storeKind,
  ...(cluster && { instance: instanceId }),
  ...(storeKind === 'sqlite' && { dataDir }),
})
// Test harnesses wait for this exact line on stdout.
process.stdout.write(`STIP_LISTENING ${server.port}\n`)

let stopping = false
const stop = (signal: string) => {
  if (stopping) return
  stopping = true
  log.info('server.stopping', { signal })
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  )
}
process.on('SIGTERM', () => stop('SIGTERM'))
process.on('SIGINT', () => stop('SIGINT'))
// A fault nobody caught leaves the process in a state nobody knows: log it and exit, so a
// supervisor (systemd Restart=always, see README) starts a clean one. Committed work is on disk;
// clients reconnect and resend what was not acked. Socket-level faults are caught in the relay
// (1011) and never get here. The message may hold user content, so only the error's name is logged.
const die = (event: string, err: unknown) => {
  log.error(event, { name: err instanceof Error ? err.name : typeof err })
  process.exit(1)
}
process.on('uncaughtException', (err) => die('process.uncaught', err))
process.on('unhandledRejection', (err) => die('process.unhandled', err))
