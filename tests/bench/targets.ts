/**
 * The relay servers under test: ours (server/main.ts: SQLite, synchronous=FULL, durable acks), the
 * stock @y/websocket-server 0.1.1 and Hocuspocus 3.4.4, each a child process pinned to core 0.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { encodeHello } from '../../shared/wire.ts'
import { API, type JoinResponse, type WorkshopInfo } from '../../shared/api.ts'
import { PIN, REPO } from './env.ts'

export type TargetName = 'ours' | 'y-websocket' | 'hocuspocus'

export interface Target {
  name: TargetName
  pid: number
  /** Every server process of the target (several instances), for CPU and memory; default [pid]. */
  pids?: number[]
  port: number
  child: ChildProcess
  /** A fresh room; for ours a new workshop (its board doc) and a facilitator key. */
  newRoom(): Promise<Room>
}
export interface Room {
  url: string
  docName: string
  /** Bytes our server wants first (Hello); empty for the peers. */
  hello: Uint8Array | null
  /** Ours only: the workshop behind the room, for its HTTP routes. */
  workshop?: { id: string; facilitatorKey: string; joinCode: string; httpBase: string }
  /**
   * Ours only: `n` participants joined through the REST API, so their writes pass the participant
   * write guard as every real participant's do. If the server rate-limits joins, the tokens already
   * issued are shared round-robin (one token may hold several sockets, as one person's tabs do).
   */
  participants?(n: number): Promise<Participant[]>
}
export interface Participant {
  hello: Uint8Array
  participantId: string
  tableId: string
}

export async function joinParticipants(
  httpBase: string,
  joinCode: string,
  n: number,
): Promise<Participant[]> {
  const info = (await (await fetch(`${httpBase}${API.lookup(joinCode)}`)).json()) as WorkshopInfo
  const joined: Participant[] = []
  for (let i = 0; i < n; i++) {
    const tableId = info.tables[i % info.tables.length]!.id
    const res = await fetch(`${httpBase}${API.join}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: joinCode, name: `Deelnemer ${i + 1}`, tableId }),
    })
    if (res.status === 429 && joined.length > 0) break
    if (!res.ok) throw new Error(`join: ${res.status} ${await res.text()}`)
    const p = (await res.json()) as JoinResponse
    joined.push({
      hello: encodeHello({ kind: 'participant', token: p.token }),
      participantId: p.participantId,
      tableId: p.tableId,
    })
  }
  return Array.from({ length: n }, (_, i) => joined[i % joined.length]!)
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port
      s.close(() => resolve(port))
    })
  })
}

export function spawnServer(
  cmd: string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const argv = PIN ? ['taskset', '-c', '0', ...cmd] : cmd
  const child = spawn(argv[0]!, argv.slice(1), {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let err = ''
  child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)))
  return new Promise((resolve, reject) => {
    let out = ''
    const onData = (d: Buffer) => {
      out += d.toString()
      const m = ready.exec(out)
      if (!m) return
      child.stdout!.off('data', onData)
      child.stdout!.resume() // keep draining logs so the server never blocks on a full pipe
      resolve({ child, match: m })
    }
    child.stdout!.on('data', onData)
    child.once('exit', (code) => reject(new Error(`${cmd.join(' ')} exited (${code}): ${err}`)))
  })
}

/** `staticDir`: serve the built client too (the Chromium workload); the relay workloads do not. */
export async function startOurs(
  staticDir = '/nonexistent',
  env: Record<string, string> = {},
): Promise<Target> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stip-bench-'))
  const { child, match } = await spawnServer(
    [process.execPath, ...ourProfileArgs(), '--import', 'tsx', path.join(REPO, 'server/main.ts')],
    {
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: dataDir,
      STATIC_DIR: staticDir,
      SQLITE_SYNC: 'FULL',
      ...env,
    },
    /STIP_LISTENING (\d+)/,
  )
  const port = Number(match[1])
  child.once('exit', () => fs.rmSync(dataDir, { recursive: true, force: true }))
  return {
    name: 'ours',
    pid: child.pid!,
    port,
    child,
    async newRoom() {
      const res = await fetch(`http://127.0.0.1:${port}/api/workshops`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Bench' }),
      })
      if (!res.ok) throw new Error(`create workshop: ${res.status}`)
      const w = (await res.json()) as { id: string; facilitatorKey: string; joinCode: string }
      const httpBase = `http://127.0.0.1:${port}`
      return {
        url: `ws://127.0.0.1:${port}/ws/${w.id}/board`,
        docName: '',
        hello: encodeHello({ kind: 'facilitator', key: w.facilitatorKey }),
        workshop: { id: w.id, facilitatorKey: w.facilitatorKey, joinCode: w.joinCode, httpBase },
        participants: (n) => joinParticipants(httpBase, w.joinCode, n),
      }
    },
  }
}

export let roomSeq = 0

export async function startYws(): Promise<Target> {
  const port = await freePort()
  const bin = path.join(REPO, 'node_modules/@y/websocket-server/src/server.js')
  const { child } = await spawnServer(
    [process.execPath, bin],
    { HOST: '127.0.0.1', PORT: String(port) },
    /running at/,
  )
  return {
    name: 'y-websocket',
    pid: child.pid!,
    port,
    child,
    newRoom: async () => ({
      url: `ws://127.0.0.1:${port}/bench-${++roomSeq}`,
      docName: '',
      hello: null,
    }),
  }
}

export async function startHocuspocus(): Promise<Target> {
  const port = await freePort()
  const { child } = await spawnServer(
    [process.execPath, '--import', 'tsx', path.join(REPO, 'tests/bench/peer-hocuspocus.ts')],
    { PORT: String(port), NODE_ENV: 'production' },
    /HOCUSPOCUS_LISTENING/,
  )
  return {
    name: 'hocuspocus',
    pid: child.pid!,
    port,
    child,
    newRoom: async () => ({
      url: `ws://127.0.0.1:${port}`,
      docName: `bench-${++roomSeq}`,
      hello: null,
    }),
  }
}

/**
 * BENCH_OURS_PROF_DIR: each of our server processes writes a V8 CPU profile there as it stops.
 * BENCH_OURS_NODE_ARGS: further node flags for our servers, e.g. --perf-basic-prof for `perf`.
 */
export function ourProfileArgs(): string[] {
  const dir = process.env.BENCH_OURS_PROF_DIR
  const extra = process.env.BENCH_OURS_NODE_ARGS?.split(' ').filter(Boolean) ?? []
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`, ...extra] : extra
}

/** Stops a server process; with BENCH_OURS_PROF_DIR by SIGTERM, so ours writes its profile. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill(process.env.BENCH_OURS_PROF_DIR ? 'SIGTERM' : 'SIGKILL')
  })
}

export function stopTarget(t: Target): Promise<void> {
  return stopChild(t.child)
}
