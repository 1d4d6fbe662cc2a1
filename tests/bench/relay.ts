/** Relay workloads: fan-out latency, cold join of a big board, durable-ack latency. */
import { performance } from 'node:perf_hooks'
import * as Y from 'yjs'
import * as decoding from 'lib0/decoding'
import { encodeSaveBarrier } from '../../shared/wire.ts'
import { MessageType } from '../../shared/protocol.ts'
import { addCard, boardRoot } from '../../shared/schema.ts'
import { procUsage, quantile, sortNum } from './env.ts'
import { roomSeq, type Target } from './targets.ts'
import { closeAll, connect, connectSynced, fullSync, sendUpdate, type Client } from './wire.ts'

/** Seconds each fan-out workload is measured, after a warm-up. */
export const MEASURE_S = Number(process.env.BENCH_SECONDS ?? 8)
export const WARMUP_S = 1

export interface FanOutResult {
  p50: number
  p99: number
  deliveries: number
  expectedDeliveries: number
  /** Share of expected deliveries that arrived within the window + 0.5 s (backlog shows here). */
  deliveredPct: number
  serverCpuPct: number
  serverRssMiB: number
  loadGenCpuPct: number
}

/**
 * `clients` connect to one room; `senders` of them move their own card at `hz`. Each update
 * carries "@@T<sender>:<ms>@@" as the value of `t`, which Yjs keeps as plain UTF-8, so receivers
 * read the send time straight from the bytes without applying the update.
 */
export async function fanOut(t: Target, clients: number, senders: number, hz: number): Promise<FanOutResult> {
  const room = await t.newRoom()
  const conns: Client[] = []
  for (let i = 0; i < clients; i++) conns.push(await connectSynced(room))
  const latencies: number[] = []
  let measuring = false
  const MARK = Buffer.from('@@T')
  for (const [i, c] of conns.entries()) {
    c.onRaw = (data) => {
      if (!measuring) return
      const now = performance.now()
      let at = data.indexOf(MARK)
      while (at >= 0) {
        const end = data.indexOf('@@', at + 3)
        if (end < 0) break
        const [sender, ms] = data.toString('latin1', at + 3, end).split(':')
        if (Number(sender) !== i) latencies.push(now - Number(ms))
        at = data.indexOf(MARK, end + 2)
      }
    }
  }
  const docs = Array.from({ length: senders }, () => new Y.Doc())
  const maps = docs.map((d, i) => {
    const m = boardRoot(d).cards
    const card = new Y.Map<unknown>()
    m.set(`bench-${i}-${roomSeq}`, card)
    return card
  })
  // the initial card insert goes out once, before timing
  for (const [i, d] of docs.entries()) sendUpdate(conns[i]!, Y.encodeStateAsUpdate(d))
  let sent = 0
  const timers: NodeJS.Timeout[] = []
  for (let i = 0; i < senders; i++) {
    const doc = docs[i]!
    const card = maps[i]!
    const c = conns[i]!
    const pending: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => pending.push(u))
    const tick = () => {
      doc.transact(() => {
        card.set('x', Math.random() * 2000)
        card.set('y', Math.random() * 1500)
        card.set('t', `@@T${i}:${performance.now().toFixed(3)}@@`)
      })
      for (const u of pending.splice(0)) sendUpdate(c, u)
      if (measuring) sent++
    }
    // stagger senders over the period so the load is smooth, as real drags are
    timers.push(
      setTimeout(() => {
        timers.push(setInterval(tick, 1000 / hz))
      }, (1000 / hz) * (i / senders)),
    )
  }
  await new Promise((r) => setTimeout(r, WARMUP_S * 1000))
  const u0 = procUsage(t.pid)
  const g0 = process.cpuUsage()
  const w0 = performance.now()
  let maxRss = u0.rss
  measuring = true
  const rssTimer = setInterval(() => (maxRss = Math.max(maxRss, procUsage(t.pid).rss)), 250)
  await new Promise((r) => setTimeout(r, MEASURE_S * 1000))
  for (const tm of timers) clearInterval(tm)
  clearInterval(rssTimer)
  const wall = performance.now() - w0
  const u1 = procUsage(t.pid)
  const g1 = process.cpuUsage(g0)
  // let in-flight deliveries land (they count: their latency is real), then stop listening
  await new Promise((r) => setTimeout(r, 500))
  measuring = false
  closeAll(conns)
  const sorted = sortNum(latencies)
  return {
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    deliveries: latencies.length,
    expectedDeliveries: sent * (clients - 1),
    deliveredPct: (latencies.length / Math.max(1, sent * (clients - 1))) * 100,
    serverCpuPct: ((u1.cpuMs - u0.cpuMs) / wall) * 100,
    serverRssMiB: Math.max(maxRss, u1.rss) / 1024 / 1024,
    loadGenCpuPct: ((g1.user + g1.system) / 1000 / wall) * 100,
  }
}

/** A board with `cards` cards (with a line of text each), as one update. */
export function boardUpdate(cards: number): Uint8Array {
  const doc = new Y.Doc()
  for (let i = 0; i < cards; i++) {
    addCard(doc, {
      id: `c${i}`, kind: 'need', table: null, x: (i % 40) * 240, y: Math.floor(i / 40) * 160, w: 220, h: 140,
      author: `p${i % 30}`, created: i, text: `Kaart ${i}: over vijf jaar één loket voor inwoners van de wijk`,
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
  return { one: quantile(sortNum(singles), 0.5), thirtyP50: quantile(thirty, 0.5), thirtyMax: thirty[thirty.length - 1]! }
}

/** Ours only: edit + save barrier -> durable ack (committed with synchronous=FULL), one at a time. */
export async function durableAck(t: Target, samples: number): Promise<{ p50: number; p99: number }> {
  const room = await t.newRoom()
  const c = await connectSynced(room)
  const doc = new Y.Doc()
  const card = new Y.Map<unknown>()
  boardRoot(doc).cards.set('ack-bench', card)
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
