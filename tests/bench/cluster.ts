/**
 * Several instances on PostgreSQL (issue #12), beside the single SQLite process, in one run:
 * ours on SQLite (synchronous=FULL), ours on PostgreSQL (synchronous_commit on) as one instance,
 * and as two instances behind haproxy (round robin, so half the sockets are forwarded to the
 * workshop's owner). Workloads: fan-out (30 clients, 10 dragging at 10 Hz), cold join of a
 * 1,000-card board, durable ack, and a simulated region: many workshops of 30 people at once,
 * each with a few people dragging, spread over the instances, with durable acks timed meanwhile.
 */
import type { ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { API, type JoinResponse, type WorkshopInfo } from '../../shared/api.ts'
import { encodeHello } from '../../shared/wire.ts'
import { startLoadBalancer } from '../helpers/haproxy.ts'
import { startPostgres } from '../helpers/postgres.ts'
import { REPO } from './env.ts'
import type { WorkerClient } from './fanout-pool.ts'
import {
  type FanOutResult,
  boardUpdate,
  coldJoin,
  durableAck,
  fanOut,
  measureFanOut,
  SERVER_WARMUP_S,
} from './relay.ts'
import type { Row, Section } from './report.ts'
import {
  type Room,
  type Target,
  ourProfileArgs,
  spawnServer,
  startOurs,
  stopChild,
  stopTarget,
} from './targets.ts'

export type ClusterConfig = 'sqlite' | 'pg-1' | 'pg-2'
const ALL_CONFIGS: readonly ClusterConfig[] = ['sqlite', 'pg-1', 'pg-2']
/** BENCH_CLUSTER_CONFIGS (e.g. "pg-2") runs some of them only, for profiling. */
const ONLY_CONFIGS = process.env.BENCH_CLUSTER_CONFIGS?.split(',')
export const CLUSTER_CONFIGS: ClusterConfig[] = ALL_CONFIGS.filter(
  (c) => !ONLY_CONFIGS || ONLY_CONFIGS.includes(c),
)

export interface RegionResult {
  workshops: number
  perWorkshop: number
  fanOut: FanOutResult
  ack: { p50: number; p99: number }
}

export interface ClusterFigures {
  fanout30: FanOutResult
  join: { one: number; thirtyP50: number; thirtyMax: number }
  ack: { p50: number; p99: number }
  region: RegionResult
}

export type ClusterResult = Partial<Record<ClusterConfig, ClusterFigures | { error: string }>>

/** The region: workshops × people, `dragging` of each moving a card at `hz`. */
export const REGION = {
  workshops: Number(process.env.BENCH_REGION_WORKSHOPS ?? 100),
  perWorkshop: 30,
  dragging: 2,
  hz: 2,
}

const SECRET = 'bench-cluster-secret-0123456789abcdef'

/**
 * Each workshop is created and joined from an address of its own (X-Forwarded-For, believed with
 * TRUST_PROXY=1), as a region's organisers and participants are: the per-address limits stay
 * those of one meeting.
 */
const fromAddress = (n: number) => ({
  'x-forwarded-for': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
})

let addressSeq = 0

/**
 * `ownerVia`: where each new workshop's first request that names it goes (its lookup), so that
 * instance takes its lease. Through the load balancer that request fell on the same instance for
 * every workshop (each workshop makes the same even number of requests, and round robin
 * alternates), and one instance owned the whole region while the other only forwarded (seen in
 * their CPU profiles). A region's organisers reach the instances in turn.
 */
function newRoomVia(httpBase: string, ownerVia?: (seq: number) => string): () => Promise<Room> {
  const wsBase = httpBase.replace(/^http/, 'ws')
  return async () => {
    const seq = ++addressSeq
    const from = fromAddress(seq)
    const lookupBase = ownerVia?.(seq) ?? httpBase
    const res = await fetch(`${httpBase}${API.workshops}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...from },
      body: JSON.stringify({ title: 'Bench' }),
    })
    if (!res.ok) throw new Error(`create workshop: ${res.status} ${await res.text()}`)
    const w = (await res.json()) as { id: string; facilitatorKey: string; joinCode: string }
    return {
      url: `${wsBase}/ws/${w.id}/board`,
      docName: '',
      hello: encodeHello({ kind: 'facilitator', key: w.facilitatorKey }),
      workshop: { id: w.id, facilitatorKey: w.facilitatorKey, joinCode: w.joinCode, httpBase },
      async participants(n) {
        const info = (await (
          await fetch(`${lookupBase}${API.lookup(w.joinCode)}`, { headers: from })
        ).json()) as WorkshopInfo
        const out = []
        for (let i = 0; i < n; i++) {
          const tableId = info.tables[i % info.tables.length]!.id
          const joined = await fetch(`${httpBase}${API.join}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...from },
            body: JSON.stringify({ code: w.joinCode, name: `Deelnemer ${i + 1}`, tableId }),
          })
          if (!joined.ok) throw new Error(`join: ${joined.status} ${await joined.text()}`)
          const p = (await joined.json()) as JoinResponse
          out.push({
            hello: encodeHello({ kind: 'participant', token: p.token }),
            participantId: p.participantId,
            tableId: p.tableId,
          })
        }
        return out
      },
    }
  }
}

/** `count` instances of server/main.ts on one PostgreSQL, behind haproxy when more than one. */
async function startPgTarget(count: number): Promise<Target & { stopAll(): Promise<void> }> {
  const postgres = await startPostgres({ durableCommits: true })
  const schema = postgres.schema('bench')
  const children: { child: ChildProcess; port: number }[] = []
  for (let i = 0; i < count; i++) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stip-bench-pg-'))
    const { child, match } = await spawnServer(
      [process.execPath, ...ourProfileArgs(), '--import', 'tsx', path.join(REPO, 'server/main.ts')],
      {
        HOST: '127.0.0.1',
        PORT: '0',
        DATA_DIR: dataDir,
        STATIC_DIR: '/nonexistent',
        STORE: 'postgres',
        DATABASE_URL: postgres.url,
        DATABASE_SCHEMA: schema,
        INSTANCE_ID: `bench-${i}`,
        CLUSTER_SECRET: SECRET,
        TRUST_PROXY: '1',
      },
      /STIP_LISTENING (\d+)/,
    )
    child.once('exit', () => fs.rmSync(dataDir, { recursive: true, force: true }))
    children.push({ child, port: Number(match[1]) })
  }
  const lb =
    count > 1
      ? await startLoadBalancer(
          children.map((c, i) => ({ name: `i${i}`, address: `127.0.0.1:${c.port}` })),
        )
      : null
  const httpBase = lb?.url ?? `http://127.0.0.1:${children[0]!.port}`
  const first = children[0]!
  return {
    name: 'ours',
    pid: first.child.pid!,
    pids: children.map((c) => c.child.pid!),
    port: Number(new URL(httpBase).port),
    child: first.child,
    newRoom: newRoomVia(httpBase, (seq) => {
      const owner = children[seq % children.length]!
      return `http://127.0.0.1:${owner.port}`
    }),
    async stopAll() {
      lb?.stop()
      await Promise.all(children.map((c) => stopChild(c.child)))
      await postgres.stop()
    },
  }
}

/** The region: REGION.workshops rooms of REGION.perWorkshop clients, spread by the target. */
async function region(t: Target): Promise<RegionResult> {
  const { workshops, perWorkshop, dragging, hz } = REGION
  const plans: WorkerClient[] = []
  let first: Room | null = null
  for (let w = 0; w < workshops; w++) {
    const room = await t.newRoom()
    first ??= room
    const people = await room.participants!(dragging)
    for (let k = 0; k < perWorkshop; k++) {
      const person = people[k]
      plans.push({
        index: plans.length,
        url: room.url,
        // the others watch with the facilitator's credential: joins are the join bench's subject
        hello: person?.hello ?? room.hello,
        sender: person
          ? {
              slot: w * dragging + k,
              cardId: `region-${w}-${k}`,
              author: person.participantId,
              tableId: person.tableId,
            }
          : null,
      })
    }
  }
  const senders = workshops * dragging
  const [fan, ack] = await Promise.all([
    measureFanOut(t, first!, plans, senders, hz, perWorkshop),
    durableAck(t, 150),
  ])
  return { workshops, perWorkshop, fanOut: fan, ack }
}

async function figures(t: Target): Promise<ClusterFigures> {
  // not measured: every configuration starts its rows warm, as the relay table's servers do
  await fanOut(t, 30, 10, 10, SERVER_WARMUP_S)
  return {
    fanout30: await fanOut(t, 30, 10, 10),
    join: await coldJoin(t, boardUpdate(1000), 1000),
    ack: await durableAck(t, 300),
    region: await region(t),
  }
}

export async function clusterWorkload(): Promise<ClusterResult> {
  const out: ClusterResult = {}
  for (const config of CLUSTER_CONFIGS) {
    console.log(`[bench] cluster: ${config}`)
    let target: (Target & { stopAll?: () => Promise<void> }) | null = null
    try {
      target =
        config === 'sqlite'
          ? await startOurs('/nonexistent', { TRUST_PROXY: '1' })
          : await startPgTarget(config === 'pg-1' ? 1 : 2)
      if (config === 'sqlite') target.newRoom = newRoomVia(`http://127.0.0.1:${target.port}`)
      out[config] = await figures(target)
    } catch (err) {
      out[config] = { error: err instanceof Error ? err.message : String(err) }
      console.log(`[bench] cluster ${config} failed: ${String(err)}`)
    } finally {
      if (target?.stopAll) await target.stopAll()
      else if (target) await stopTarget(target)
    }
  }
  return out
}

const ok = (r: ClusterFigures | { error: string } | undefined): ClusterFigures | null =>
  r && !('error' in r) ? r : null

export function clusterSection(r: ClusterResult): Section {
  const [s, p1, p2] = ALL_CONFIGS.map((c) => ok(r[c]))
  const row = (workload: string, unit: string, pick: (f: ClusterFigures) => number): Row => ({
    workload,
    unit,
    ours: p2 ? pick(p2) : null,
    peers: {
      'PostgreSQL, 1 instance': p1 ? pick(p1) : null,
      'SQLite, 1 process': s ? pick(s) : null,
    },
  })
  const region = `region: ${REGION.workshops} workshops × ${REGION.perWorkshop} people, ${REGION.dragging} dragging each at ${REGION.hz} Hz`
  return {
    title:
      'Several instances: two instances on PostgreSQL behind haproxy (ours) beside one PostgreSQL instance and the single SQLite process',
    peers: ['PostgreSQL, 1 instance', 'SQLite, 1 process'],
    rows: [
      row('fan-out 30 clients, 10 dragging at 10 Hz: p50', 'ms', (f) => f.fanout30.p50),
      row('fan-out 30 clients, 10 dragging at 10 Hz: p99', 'ms', (f) => f.fanout30.p99),
      row('fan-out 30 clients: delivered in time', '%', (f) => f.fanout30.deliveredPct),
      row('fan-out 30 clients: server CPU (all instances)', '%', (f) => f.fanout30.serverCpuPct),
      row('cold join, 1,000-card board: one joiner', 'ms', (f) => f.join.one),
      row('cold join: 30 at once, p50', 'ms', (f) => f.join.thirtyP50),
      row('durable ack: p50', 'ms', (f) => f.ack.p50),
      row('durable ack: p99 (goal <= 20 on PostgreSQL)', 'ms', (f) => f.ack.p99),
      row(`${region}: fan-out p50`, 'ms', (f) => f.region.fanOut.p50),
      row(`${region}: fan-out p99`, 'ms', (f) => f.region.fanOut.p99),
      row(`${region}: delivered in time`, '%', (f) => f.region.fanOut.deliveredPct),
      row(`${region}: durable ack p99 meanwhile`, 'ms', (f) => f.region.ack.p99),
      row(`${region}: server CPU (all instances)`, '%', (f) => f.region.fanOut.serverCpuPct),
    ],
  }
}
