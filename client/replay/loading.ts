/**
 * The rest of a replay, once its screen shows: the segments are fetched one at a time (what the
 * screen last asked for first, so a scrub into a part not in yet brings that part next) and built
 * in short slices between frames, so scrubbing stays responsive while the timeline fills in.
 */
import type { Segment } from '../../shared/replay-segments.ts'
import type { ApiResult } from '../lib/api.ts'
import type { ClientErrorCode } from '../i18n/index.ts'
import type { ReplaySession, SegmentRef } from './session.ts'

/** Work between two yields: well under a frame, so a scrub waits little for the build. */
const SLICE_MS = 12
/** Entries built before the clock is read again (~2 ms of work). */
const ENTRIES_PER_STEP = 60

export interface LoadState {
  /** Shares of both logs fetched and built, 0..1. */
  loaded: number
  built: number
  complete: boolean
  error: ClientErrorCode | null
}

/** Lets the browser paint and handle input: a message is not clamped the way a nested timer is. */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel()
    channel.port1.onmessage = () => {
      channel.port1.close()
      resolve()
    }
    channel.port2.postMessage(null)
  })
}

/** Performance marks of a replay's load, read by the bench (tests/bench/replay-ui.ts). */
export const REPLAY_MARK = {
  head: 'replay:head',
  session: 'replay:session',
  painted: 'replay:painted',
} as const

/** After the next frame has been painted: rAF runs before a paint, a task queued there after it. */
export const afterPaint = (): Promise<void> =>
  new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))

export type FetchSegment = (ref: SegmentRef) => Promise<ApiResult<Segment>>

export class ReplayLoading {
  private state: LoadState
  private readonly listeners = new Set<() => void>()
  private readonly arrivals = new Set<() => void>()
  private wake: (() => void) | null = null
  private stopped = false
  private started = false

  constructor(
    private readonly session: ReplaySession,
    private readonly fetchSegment: FetchSegment,
  ) {
    this.state = this.read(null)
  }

  private read(error: ClientErrorCode | null): LoadState {
    const s = this.session
    return { loaded: s.loaded, built: s.progress, complete: s.complete, error }
  }

  private publish(error: ClientErrorCode | null = this.state.error): void {
    const next = this.read(error)
    const prev = this.state
    const pct = (x: number) => Math.floor(x * 100)
    if (
      pct(next.loaded) === pct(prev.loaded) &&
      pct(next.built) === pct(prev.built) &&
      next.complete === prev.complete &&
      next.error === prev.error
    )
      return
    this.state = next
    for (const fn of this.listeners) fn()
  }

  /**
   * Called once the screen is on: the first frame is painted before any segment is fetched or
   * built, so neither a segment's decoding nor its building delays it.
   */
  start(): void {
    if (this.started) return
    this.started = true
    void afterPaint().then(() => {
      if (this.stopped) return
      performance.mark(REPLAY_MARK.painted)
      void this.fetchAll()
      void this.buildAll()
    })
  }

  /** For useSyncExternalStore. */
  readonly subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  readonly getState = (): LoadState => this.state

  /** Called after each segment comes in (a pending frame can be shown now). */
  onSegment(fn: () => void): () => void {
    this.arrivals.add(fn)
    return () => this.arrivals.delete(fn)
  }

  private async fetchAll(): Promise<void> {
    for (let ref = this.session.nextMissing(); ref; ref = this.session.nextMissing()) {
      const r = await this.fetchSegment(ref)
      if (this.stopped) return
      if (!r.ok) {
        this.publish(r.error)
        return
      }
      this.session.add(ref, r.data)
      this.wake?.()
      for (const fn of this.arrivals) fn()
      this.publish()
    }
  }

  private async buildAll(): Promise<void> {
    while (!this.stopped && !this.session.complete) {
      const until = performance.now() + SLICE_MS
      let worked = false
      while (performance.now() < until && this.session.buildSome(ENTRIES_PER_STEP)) worked = true
      this.publish()
      if (worked) await nextTask()
      else await new Promise<void>((resolve) => (this.wake = resolve))
      this.wake = null
    }
    this.publish()
  }

  stop(): void {
    this.stopped = true
    this.wake?.()
    this.listeners.clear()
    this.arrivals.clear()
  }
}
