/** Real servers for tests: in-process on port 0, or as a child process that can be kill -9'd. */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { spawn, type ChildProcess } from 'node:child_process'
import { afterAll } from 'vitest'
import { createServer, type StipServer } from '../../server/app.ts'
import { openSqliteStore, type SqliteStoreOptions } from '../../server/store/sqlite.ts'
import { silentLogger, type Clock, type Logger } from '../../server/deps.ts'
import { systemRandom } from '../../server/identity.ts'
import type { Config } from '../../server/config.ts'
import type { Store } from '../../server/store/store.ts'
import { type AsyncStore, asAsyncStore } from '../../server/store/async-store.ts'
import { openSqliteWorkerStore } from '../../server/store/sqlite-worker.ts'
import {
  API,
  type CreateWorkshopResponse,
  type JoinResponse,
  type WorkshopInfo,
} from '../../shared/api.ts'
import type { Anonymity, CardEditScope } from '../../shared/schema.ts'

export const REPO = path.resolve(import.meta.dirname, '../..')

const made = new Set<string>()

/** A fresh directory under the OS temp dir, removed when the test process exits. */
export function tempDir(prefix = 'stip-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  made.add(dir)
  return dir
}
/** Removes every directory tempDir made; tools outside vitest (npm run shots) call it themselves. */
export function removeTempDirs(): void {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true })
  made.clear()
}
// Registered while the importing test file is collected, so it runs after that file's tests.
if (process.env.VITEST) afterAll(removeTempDirs)

export interface TestServerOptions extends Partial<Omit<Config, 'store'>> {
  dataDir?: string
  store?: Partial<SqliteStoreOptions>
  /** Wraps the real (synchronous SQLite) store, e.g. to inject a fault into one method. */
  wrapStore?: (store: Store) => Store
  /** Wraps the store as the server sees it, e.g. to hold its answers back (tests/helpers/gate.ts). */
  wrapAsyncStore?: (store: AsyncStore) => AsyncStore
  /**
   * 'thread': SQLite on a thread of its own, as npm start runs it. Default: in this thread behind
   * asAsyncStore, or what STIP_TEST_STORE says (run a suite with STIP_TEST_STORE=thread).
   */
  storeKind?: 'inline' | 'thread'
  /** A store the test opened itself (PostgreSQL); dataDir, store and wrapStore are not used. */
  asyncStore?: AsyncStore
  clock?: Clock
  log?: Logger
}

async function openTestStore(dataDir: string, opts: TestServerOptions): Promise<AsyncStore> {
  if (opts.asyncStore) return opts.asyncStore
  const sqlite = { dataDir, synchronous: 'NORMAL' as const, ...opts.store }
  const kind = opts.storeKind ?? (process.env.STIP_TEST_STORE === 'thread' ? 'thread' : 'inline')
  // a fault injected into the synchronous store needs that store in this thread
  if (kind === 'thread' && !opts.wrapStore) return openSqliteWorkerStore(sqlite)
  return asAsyncStore((opts.wrapStore ?? ((s: Store) => s))(openSqliteStore(sqlite)))
}

export async function startTestServer(
  opts: TestServerOptions = {},
): Promise<StipServer & { dataDir: string }> {
  const dataDir = opts.dataDir ?? tempDir()
  const {
    store: _storeOpts,
    wrapStore: _wrap,
    wrapAsyncStore = (s: AsyncStore) => s,
    storeKind: _kind,
    asyncStore: _own,
    ...rest
  } = opts
  const store = wrapAsyncStore(await openTestStore(dataDir, opts))
  const server = await createServer({
    host: '127.0.0.1',
    port: 0,
    staticDir: null,
    allowedOrigins: [],
    publicUrl: null,
    clock: { now: () => Date.now() },
    random: systemRandom,
    log: silentLogger,
    ...rest,
    store,
  })
  return Object.assign(server, { dataDir })
}

/** The server as its own process (tsx server/main.ts), so tests can SIGKILL it. */
export interface ChildServer {
  port: number
  url: string
  wsUrl: string
  child: ChildProcess
  kill(signal?: NodeJS.Signals): Promise<void>
}

export async function startChildServer(
  dataDir: string,
  port = 0,
  env: Record<string, string> = {},
): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO, 'server/main.ts')], {
    cwd: REPO,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      STATIC_DIR: '/nonexistent',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  const actualPort = await new Promise<number>((resolve, reject) => {
    let out = ''
    const onData = (d: Buffer) => {
      out += d.toString()
      const m = /STIP_LISTENING (\d+)/.exec(out)
      if (m) {
        child.stdout!.off('data', onData)
        resolve(Number(m[1]))
      }
    }
    child.stdout!.on('data', onData)
    child.once('exit', (code) =>
      reject(new Error(`server exited early (${code}): ${stderr.slice(-2000)}`)),
    )
  })
  const url = `http://127.0.0.1:${actualPort}`
  return {
    port: actualPort,
    url,
    wsUrl: `ws://127.0.0.1:${actualPort}/ws`,
    child,
    kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
      return new Promise((resolve) => {
        child.once('exit', () => resolve())
        child.kill(signal)
      })
    },
  }
}

async function postJson<T>(url: string, body: unknown): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`)
  return (await res.json()) as T
}

export const createWorkshop = (
  base: string,
  title = 'Leertuin Participatie',
  anonymity?: Anonymity,
) =>
  postJson<CreateWorkshopResponse>(base + API.workshops, {
    title,
    ...(anonymity ? { anonymity } : {}),
  })

export async function lookup(base: string, code: string): Promise<WorkshopInfo> {
  const res = await fetch(base + API.lookup(code))
  if (!res.ok) throw new Error(`lookup ${res.status}`)
  return (await res.json()) as WorkshopInfo
}

export const joinTable = (base: string, code: string, name: string, tableId: string) =>
  postJson<JoinResponse>(base + API.join, { code, name, tableId })

/**
 * Sets the workshop's board policy through the settings route (issue #14: who may change cards,
 * statement and principles open). Tests about something else that need participants to change
 * each other's cards open the board with `{ cardScope: 'everyone' }`.
 */
export async function setBoardPolicy(
  base: string,
  ws: { id: string; facilitatorKey: string },
  policy: { cardScope?: CardEditScope; sharedTextOpen?: boolean },
): Promise<void> {
  const res = await fetch(base + API.settings(ws.id), {
    method: 'PATCH',
    headers: { authorization: `Bearer ${ws.facilitatorKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(policy),
  })
  if (!res.ok) throw new Error(`settings: ${res.status} ${await res.text()}`)
}
