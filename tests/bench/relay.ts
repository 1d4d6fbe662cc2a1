/** Relay workloads: fan-out latency, cold join of a big board, durable-ack latency. */
import { performance } from 'node:perf_hooks'
import * as Y from 'yjs'
import * as decoding from 'lib0/decoding'
import { encodeSaveBarrier } from '../../shared/wire.ts'
import { MessageType } from '../../shared/protocol.ts'
import { addCard, boardRoot, cardMap } from '../../shared/schema.ts'
import { procUsage, quantile, sortNum } from './env.ts'
import type { Room, Target } from './targets.ts'
import { connect, connectSynced, fullSync, sendUpdate } from './wire.ts'
import { runFanOutPool, type WorkerClient } from './fanout-pool.ts'

/** CPU and memory of all the target's server processes together. */
function usageOf(t: Target): { cpuMs: number; rss: number } {
  return (t.pids ?? [t.pid]).map(procUsage).reduce((a, b) => ({
    cpuMs: a.cpuMs + b.cpuMs,
    rss: a.rss + b.rss,
  }))
}

/** Seconds each fan-out workload is measured, after a warm-up. */
export const MEASURE_S = Number(process.env.BENCH_SECONDS ?? 8)
export const WARMUP_S = 1
/**
 * Seconds of the 30-client workload each server runs, in a room of its own and not measured,
 * before its first measured row: a server that has just started compiles its hot paths (ours:
 * tsx and the SQLite worker too) inside the first window otherwise, and the servers do not pay
 * that alike.
 */
export const SERVER_WARMUP_S = 4

export interface FanOutResult {
  p50: number
  p99: number
  deliveries: number
  expectedDeliveries: number
  /** Share of expected deliveries that arrived within the window + 0.5 s (backlog shows here). */
  deliveredPct: number
  serverCpuPct: number
  serverRssMiB: number
  /** The load generator's CPU summed over its processes, % of one core. */
  loadGenCpuPct: number
  /** Its busiest process, % of one core: near 100 would mean its own queueing is in the latencies. */
  loadGenMaxProcCpuPct: number
  loadGenProcs: number
}

/**
 * `clients` connect to one room; `senders` of them move their own card at `hz`. Each update
 * carries "@@T<sender>:<ms>@@" as the value of `t`, which Yjs keeps as plain UTF-8, so receivers
 * read the send time straight from the bytes without applying the update. The clients are spread
 * over several load-generator processes (fanout-pool.ts).
 */
export async function fanOut(
  t: Target,
  clients: number,
  senders: number,
  hz: number,
  measureS = MEASURE_S,
): Promise<FanOutResult> {
  const room = await t.newRoom()
  // ours: every client joins as a participant through the REST API; the peers have no roles
  const people = room.participants ? await room.participants(clients) : null
  const plans: WorkerClient[] = Array.from({ length: clients }, (_, i) => ({
    index: i,
    hello: people ? people[i]!.hello : room.hello,
    sender:
      i < senders
        ? {
            slot: i,
            cardId: `bench-${i}`,
            author: people?.[i]!.participantId ?? 'bench',
            tableId: people?.[i]!.tableId ?? null,
          }
        : null,
  }))
  return measureFanOut(t, room, plans, senders, hz, clients, measureS)
}

/**
 * Runs prepared clients (each in `room` unless it names its own) and times every delivery;
 * `roomSize` clients share each room, so each send is expected at roomSize − 1 receivers.
 */
export async function measureFanOut(
  t: Target,
  room: Room,
  plans: WorkerClient[],
  senders: number,
  hz: number,
  roomSize: number,
  measureS = MEASURE_S,
): Promise<FanOutResult> {
  let u0 = usageOf(t)
  let u1 = u0
  let w0 = 0
  let wall = 0
  let maxRss = u0.rss
  const rssTimer = setInterval(() => (maxRss = Math.max(maxRss, usageOf(t).rss)), 250)
  const pool = await runFanOutPool({
    url: room.url,
    docName: room.docName,
    hz,
    senders,
    clients: plans,
    warmupMs: WARMUP_S * 1000,
    measureMs: measureS * 1000,
    drainMs: 500,
    onMeasure: () => {
      u0 = usageOf(t)
      maxRss = u0.rss
      w0 = performance.now()
    },
    onStop: () => {
      u1 = usageOf(t)
      wall = performance.now() - w0
    },
  }).finally(() => clearInterval(rssTimer))
  const all = new Float64Array(pool.latencies.reduce((n, l) => n + l.length, 0))
  let at = 0
  for (const l of pool.latencies) {
    all.set(l, at)
    at += l.length
  }
  all.sort()
  const sorted = Array.from(all)
  const expected = pool.sent * (roomSize - 1)
  return {
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    deliveries: sorted.length,
    expectedDeliveries: expected,
    deliveredPct: (sorted.length / Math.max(1, expected)) * 100,
    serverCpuPct: ((u1.cpuMs - u0.cpuMs) / wall) * 100,
    serverRssMiB: Math.max(maxRss, u1.rss) / 1024 / 1024,
    loadGenCpuPct: pool.procCpuPct.reduce((a, b) => a + b, 0),
    loadGenMaxProcCpuPct: Math.max(...pool.procCpuPct),
    loadGenProcs: pool.procCpuPct.length,
  }
}

/** A board with `cards` cards (with a line of text each), as one update. */
export function boardUpdate(cards: number): Uint8Array {
  const doc = new Y.Doc()
  for (let i = 0; i < cards; i++) {
    addCard(doc, {
      id: `c${i}`,
      kind: 'need',
      table: null,
      x: (i % 40) * 240,
      y: Math.floor(i / 40) * 160,
      w: 220,
      h: 140,
      author: `p${i % 30}`,
      created: i,
      text: `Kaart ${i}: over vijf jaar één loket voor inwoners van de wijk`,
    })
  }
  return Y.encodeStateAsUpdate(doc)
}

export interface JoinResult {
  one: number
  thirtyP50: number
  thirtyMax: number
}

export async function coldJoin(t: Target, update: Uint8Array, cards: number): Promise<JoinResult> {
  const room = await t.newRoom()
  const seeder = await connectSynced(room)
  sendUpdate(seeder, update)
  await fullSync(seeder) // answered after the update was applied
  // timed until the whole state has arrived; applying it is client work, which 30 joiners in one
  // load-generator process would serialise, so states are checked after all clocks stopped
  const received: Uint8Array[] = []
  const joinOnce = async (): Promise<number> => {
    const t0 = performance.now()
    const c = await connect(room)
    const state = await fullSync(c)
    const dt = performance.now() - t0
    c.ws.terminate()
    received.push(state)
    return dt
  }
  const verify = () => {
    for (const state of received.splice(0)) {
      const doc = new Y.Doc()
      Y.applyUpdate(doc, state)
      const n = boardRoot(doc).cards.size
      doc.destroy()
      if (n < cards) throw new Error(`${t.name}: joiner saw ${n} of ${cards} cards`)
    }
  }
  // the seeder keeps the room loaded; the first join also warms the join cache where there is one
  await joinOnce()
  verify()
  const singles: number[] = []
  for (let i = 0; i < 5; i++) singles.push(await joinOnce())
  verify()
  const thirty = sortNum(await Promise.all(Array.from({ length: 30 }, joinOnce)))
  verify()
  seeder.ws.terminate()
  return {
    one: quantile(sortNum(singles), 0.5),
    thirtyP50: quantile(thirty, 0.5),
    thirtyMax: thirty[thirty.length - 1]!,
  }
}

/**
 * Ours only: edit + save barrier -> durable ack (committed with synchronous=FULL), one at a time,
 * written by a participant, so the write guard is on the path as in a workshop.
 */
export async function durableAck(
  t: Target,
  samples: number,
): Promise<{ p50: number; p99: number }> {
  const room = await t.newRoom()
  const [writer] = room.participants ? await room.participants(1) : [null]
  const c = await connectSynced({ ...room, hello: writer?.hello ?? room.hello })
  const doc = new Y.Doc()
  addCard(doc, {
    id: 'ack-bench',
    kind: 'need',
    table: writer?.tableId ?? null,
    x: 0,
    y: 0,
    w: 220,
    h: 140,
    author: writer?.participantId ?? 'bench',
    created: 1,
  })
  sendUpdate(c, Y.encodeStateAsUpdate(doc))
  const card = cardMap(doc, 'ack-bench')!
  const pending: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => pending.push(u))
  let waiting: ((barrier: number) => void) | null = null
  c.onOther = (type, d) => {
    if (type === MessageType.DurableAck) waiting?.(decoding.readVarUint(d))
  }
  const times: number[] = []
  for (let i = 1; i <= samples; i++) {
    card.set('x', i)
    const t0 = performance.now()
    for (const u of pending.splice(0)) sendUpdate(c, u)
    const acked = new Promise<number>((resolve) => (waiting = resolve))
    c.ws.send(encodeSaveBarrier(i))
    while ((await acked) < i) {
      /* an older ack; the next one covers i */
    }
    times.push(performance.now() - t0)
  }
  c.ws.terminate()
  const sorted = sortNum(times)
  return { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99) }
}
