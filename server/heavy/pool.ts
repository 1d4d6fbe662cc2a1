/**
 * Where heavy jobs run, so they never block the relay's event loop: a small pool of worker
 * threads, jobs queued first in first out, each with a deadline; at most a few in flight per
 * workshop and a bounded queue, refused beyond that with a Retry-After.
 */
import os from 'node:os'
import type { Worker } from 'node:worker_threads'
import { ObservableV2 } from 'lib0/observable'
import {
  HEAVY_JOBS_PER_WORKSHOP,
  HEAVY_JOB_DEADLINE_MS,
  HEAVY_QUEUE_MAX,
  HEAVY_RETRY_AFTER_S,
} from '../../shared/limits.ts'
import type { Logger } from '../deps.ts'
import { startModuleWorker } from '../worker-boot.ts'
import type { AsyncStore } from '../store/async-store.ts'
import { type HeavyJob, type JobOutcome, runJob } from './jobs.ts'
import { JobReply, type JobRequest, type WorkerData } from './messages.ts'
import { type HeavyReader, storeReader } from './reader.ts'

/** Refused before any work: too many in flight for the workshop, or the queue is full (429). */
export class HeavyRefused extends Error {
  readonly retryAfterS = HEAVY_RETRY_AFTER_S
}
/** The worker running the job stopped (crashed, or passed the deadline and was stopped): 503. */
export class HeavyStopped extends Error {}

/** Test hook: awaited before a job is handed to its worker; `stopWorker` stops that worker (a crash). */
export type HeavyHold = (job: HeavyJob, stopWorker: () => void) => Promise<void>

export interface HeavyRunner {
  /** Jobs admitted and waiting for a worker. */
  readonly waiting: number
  /** 'change' whenever `waiting` changes (tests wait on it). */
  on(event: 'change', fn: () => void): void
  off(event: 'change', fn: () => void): void
  /**
   * Runs the job `prepare` returns. `prepare` runs on the main thread only once the job is
   * admitted, so a refused request costs nothing (it commits live rooms and fixes log positions).
   */
  run(workshopId: string, prepare: () => Promise<HeavyJob>): Promise<JobOutcome>
  /** Starts the workers not running yet, so a job soon to come does not wait for one to boot. */
  warm(): void
  close(): Promise<void>
}

export interface HeavyOptions {
  store: AsyncStore
  log: Logger
  /** Worker threads; 0 runs jobs on the main thread. Clamped to 1 … cores − 1. */
  workers: number
  deadlineMs?: number
  hold?: HeavyHold
}

/** One worker per core the relay does not use, at least one. */
export const maxHeavyWorkers = () =>
  Math.max(1, (os.availableParallelism?.() ?? os.cpus().length) - 1)

export function createHeavyRunner(opts: HeavyOptions): HeavyRunner {
  // An in-memory database lives in this thread's connection only, and PostgreSQL has no file: no
  // worker can open either, so their jobs run here, between their reads.
  if (opts.workers <= 0 || opts.store.file === null) return new InThreadRunner(opts.store)
  return new WorkerPool({
    ...opts,
    file: opts.store.file,
    workers: Math.min(opts.workers, maxHeavyWorkers()),
  })
}

/**
 * Jobs on the main thread, synchronously (in-memory stores, and the bench's "before"). Nothing can
 * be in flight concurrently here, so there is nothing to cap.
 */
class InThreadRunner extends ObservableV2<{ change: () => void }> implements HeavyRunner {
  readonly waiting = 0
  private readonly reader: HeavyReader

  constructor(store: AsyncStore) {
    super()
    this.reader = storeReader(store)
  }

  async run(_workshopId: string, prepare: () => Promise<HeavyJob>): Promise<JobOutcome> {
    return runJob(this.reader, await prepare())
  }

  warm(): void {}

  async close(): Promise<void> {}
}

interface Pending {
  id: number
  workshopId: string
  job: HeavyJob
  resolve(outcome: JobOutcome): void
  reject(err: Error): void
}

interface Slot {
  worker: Worker | null
  running: Pending | null
  deadline: ReturnType<typeof setTimeout> | null
}

const WORKER_URL = new URL('./worker.ts', import.meta.url)

const startWorker = (data: WorkerData): Worker =>
  startModuleWorker(WORKER_URL, { workerData: data })

class WorkerPool extends ObservableV2<{ change: () => void }> implements HeavyRunner {
  private readonly slots: Slot[]
  private readonly queue: Pending[] = []
  private readonly inFlight = new Map<string, number>()
  private nextId = 1
  private closed = false

  constructor(private readonly opts: HeavyOptions & { file: string }) {
    super()
    this.slots = Array.from({ length: opts.workers }, () => ({
      worker: null,
      running: null,
      deadline: null,
    }))
  }

  get waiting(): number {
    return this.queue.length
  }

  async run(workshopId: string, prepare: () => Promise<HeavyJob>): Promise<JobOutcome> {
    if (this.closed) throw new HeavyStopped('the server is stopping')
    const mine = this.inFlight.get(workshopId) ?? 0
    if (mine >= HEAVY_JOBS_PER_WORKSHOP) {
      throw new HeavyRefused(
        `at most ${HEAVY_JOBS_PER_WORKSHOP} reports, comparisons or exports at a time per workshop`,
      )
    }
    if (this.queue.length >= HEAVY_QUEUE_MAX)
      throw new HeavyRefused('the server is busy with other reports')
    this.inFlight.set(workshopId, mine + 1)
    try {
      const job = await prepare()
      return await new Promise<JobOutcome>((resolve, reject) => {
        this.queue.push({ id: this.nextId++, workshopId, job, resolve, reject })
        this.emit('change', [])
        this.pump()
      })
    } finally {
      const left = (this.inFlight.get(workshopId) ?? 1) - 1
      if (left > 0) this.inFlight.set(workshopId, left)
      else this.inFlight.delete(workshopId)
    }
  }

  warm(): void {
    if (this.closed) return
    for (const slot of this.slots) slot.worker ??= this.spawn(slot)
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (this.closed || !this.queue.length) return
      if (slot.running) continue
      const next = this.queue.shift()!
      slot.running = next
      this.emit('change', [])
      this.dispatch(slot, next).catch((err: Error) => {
        // the worker could not be started (or the hold threw): fail this job, keep the pool going
        if (slot.running === next) this.finish(slot)
        next.reject(err)
        this.pump()
      })
    }
  }

  private async dispatch(slot: Slot, pending: Pending): Promise<void> {
    const worker = (slot.worker ??= this.spawn(slot))
    if (this.opts.hold) await this.opts.hold(pending.job, () => void worker.terminate())
    if (slot.running !== pending || slot.worker !== worker) return // stopped while held
    worker.postMessage({ id: pending.id, job: pending.job } satisfies JobRequest)
    const deadline = this.opts.deadlineMs ?? HEAVY_JOB_DEADLINE_MS
    slot.deadline = setTimeout(() => {
      this.opts.log.warn('heavy.deadline', {
        kind: pending.job.kind,
        workshop: pending.workshopId,
        ms: deadline,
      })
      void worker.terminate()
    }, deadline)
    slot.deadline.unref()
  }

  private spawn(slot: Slot): Worker {
    const worker = startWorker({ file: this.opts.file })
    worker.unref() // an idle worker must not keep the process alive
    worker.on('message', (message: unknown) => this.settle(slot, worker, message))
    worker.on('error', (err) =>
      this.opts.log.error('heavy.worker_error', { name: err.name, message: err.message }),
    )
    worker.on('exit', (code) => {
      if (slot.worker !== worker) return
      slot.worker = null
      const lost = this.finish(slot)
      if (!this.closed) this.opts.log.warn('heavy.worker_exit', { code, lostJob: lost !== null })
      lost?.reject(new HeavyStopped('the report worker stopped'))
      this.pump() // the next job starts a fresh worker
    })
    return worker
  }

  private settle(slot: Slot, worker: Worker, message: unknown): void {
    const reply = JobReply.safeParse(message)
    const pending = slot.running
    if (slot.worker !== worker || !pending || !reply.success || reply.data.id !== pending.id) {
      this.opts.log.error('heavy.bad_reply', { parsed: reply.success })
      void worker.terminate() // out of step with us: its exit fails the running job, if any
      return
    }
    this.finish(slot)
    if ('failed' in reply.data)
      pending.reject(new Error(`heavy ${pending.job.kind} failed: ${reply.data.failed}`))
    else pending.resolve(reply.data.outcome)
    this.pump()
  }

  /** Frees the slot; returns the job that was running in it. */
  private finish(slot: Slot): Pending | null {
    const pending = slot.running
    slot.running = null
    if (slot.deadline) clearTimeout(slot.deadline)
    slot.deadline = null
    return pending
  }

  async close(): Promise<void> {
    this.closed = true
    for (const p of this.queue.splice(0)) p.reject(new HeavyStopped('the server is stopping'))
    await Promise.all(this.slots.map((s) => s.worker?.terminate()))
  }
}
