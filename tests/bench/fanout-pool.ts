/**
 * The fan-out load generator as several processes (tests/bench/fanout-worker.ts), each with a
 * share of the clients, so no single event loop nears a full core and the latencies measured are
 * the server's, not the generator's queueing. The processes inherit this one's core pinning.
 */
import { fork, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { CORES } from './env.ts'

/** Processes the generator is split over (BENCH_LOADGEN_PROCS); four keep each well under a core. */
export const LOADGEN_PROCS = Number(
  process.env.BENCH_LOADGEN_PROCS ?? Math.max(2, Math.min(4, CORES * 2)),
)

export interface WorkerClient {
  /** Global client index: senders stamp it in their marker, receivers skip their own. */
  index: number
  /** The client's own room, when the clients are spread over several (the region workload). */
  url?: string
  hello: Uint8Array | null
  sender: { slot: number; cardId: string; author: string; tableId: string | null } | null
}

export type ToWorker =
  | {
      type: 'setup'
      url: string
      docName: string
      hz: number
      senders: number
      clients: WorkerClient[]
    }
  | { type: 'start' | 'measure' | 'stop' | 'report' }

export type FromWorker =
  | { type: 'ready' | 'started' | 'measuring' }
  | { type: 'stopped'; sent: number; cpuMs: number; wallMs: number }
  | { type: 'result'; latencies: Float64Array }
  | { type: 'error'; message: string }

class WorkerHandle {
  private readonly replies: FromWorker[] = []
  private waiter: ((m: FromWorker) => void) | null = null
  private failure: Error | null = null

  constructor(readonly child: ChildProcess) {
    child.on('message', (m: FromWorker) => {
      if (m.type === 'error') this.failure = new Error(`load generator: ${m.message}`)
      if (this.waiter) {
        const w = this.waiter
        this.waiter = null
        w(m)
      } else this.replies.push(m)
    })
    child.once('exit', (code) => {
      this.failure ??= new Error(`load generator exited (${code})`)
      this.waiter?.({ type: 'error', message: this.failure.message })
    })
  }

  async ask<T extends FromWorker['type']>(
    msg: ToWorker,
    want: T,
  ): Promise<Extract<FromWorker, { type: T }>> {
    if (this.failure) throw this.failure
    this.child.send(msg)
    const m =
      this.replies.shift() ?? (await new Promise<FromWorker>((resolve) => (this.waiter = resolve)))
    if (m.type === 'error') throw new Error(`load generator: ${m.message}`)
    if (m.type !== want) throw new Error(`load generator: expected ${want}, got ${m.type}`)
    return m as Extract<FromWorker, { type: T }>
  }
}

export interface PoolRun {
  url: string
  docName: string
  hz: number
  senders: number
  clients: WorkerClient[]
  /** Called between the phases, to read the server's usage over exactly the measured window. */
  onMeasure(): void
  onStop(): void
  warmupMs: number
  measureMs: number
  /** Time for in-flight deliveries to land after the senders stopped (they count). */
  drainMs: number
}

export interface PoolResult {
  latencies: Float64Array[]
  sent: number
  /** Each generator process's CPU over the measured window, % of one core. */
  procCpuPct: number[]
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export async function runFanOutPool(run: PoolRun, procs = LOADGEN_PROCS): Promise<PoolResult> {
  const n = Math.max(1, Math.min(procs, run.clients.length))
  const workers = Array.from(
    { length: n },
    () =>
      new WorkerHandle(
        fork(path.join(import.meta.dirname, 'fanout-worker.ts'), [], {
          execArgv: ['--import', 'tsx'],
          serialization: 'advanced',
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        }),
      ),
  )
  try {
    const all = (msg: ToWorker, want: FromWorker['type']) =>
      Promise.all(workers.map((w) => w.ask(msg, want)))
    // clients round-robin over the processes: senders and receivers spread evenly
    await Promise.all(
      workers.map((w, k) =>
        w.ask(
          {
            type: 'setup',
            url: run.url,
            docName: run.docName,
            hz: run.hz,
            senders: run.senders,
            clients: run.clients.filter((_, i) => i % n === k),
          },
          'ready',
        ),
      ),
    )
    await all({ type: 'start' }, 'started')
    await sleep(run.warmupMs)
    run.onMeasure()
    await all({ type: 'measure' }, 'measuring')
    await sleep(run.measureMs)
    const stopped = await Promise.all(workers.map((w) => w.ask({ type: 'stop' }, 'stopped')))
    run.onStop()
    await sleep(run.drainMs)
    const results = await Promise.all(workers.map((w) => w.ask({ type: 'report' }, 'result')))
    return {
      latencies: results.map((r) => r.latencies),
      sent: stopped.reduce((s, x) => s + x.sent, 0),
      procCpuPct: stopped.map((x) => (x.cpuMs / x.wallMs) * 100),
    }
  } finally {
    for (const w of workers) w.child.kill('SIGKILL')
  }
}
