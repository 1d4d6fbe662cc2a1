/**
 * Replay in Chromium, end to end (ours only: neither peer has a replay screen). The simulated
 * 3-hour meeting's log (history.ts) is written through the relay into a real workshop, then the
 * organiser's replay screen is opened and scrubbed:
 *   load      navigation until the scrubber and the board are there: the outline and the segments
 *             of the moment it opens on (the end) fetched and built; the rest still loading
 *   complete  navigation until every segment is fetched and built (the screen says so)
 *   seek      after that, one scrubber input event until the next frame has been painted, at
 *             random positions: what someone dragging the scrubber waits for
 * The log's times are the server's, so the "meeting" spans the seconds the upload took; seek work
 * depends on log positions, not on the clock.
 */
import type { Browser } from 'playwright-core'
import { ROUTES } from '../../shared/api.ts'
import { mulberry32 } from '../fault/rng.ts'
import { quantile, sortNum } from './env.ts'
import type { MeetingLog } from './history.ts'
import type { Target } from './targets.ts'
import * as decoding from 'lib0/decoding'
import { MessageType } from '../../shared/protocol.ts'
import { encodeSaveBarrier } from '../../shared/wire.ts'
import { connectSynced, sendUpdate } from './wire.ts'

const SEEKS = 100
/** Messages in flight before waiting for the relay to catch up, so its queue stays bounded. */
const UPLOAD_WINDOW = 2000

export interface ReplayUiResult {
  entries: number
  uploadS: number
  loadMs: number
  /** Navigation until the outline request starts (the page and its scripts). */
  beforeFetchMs: number
  /** The outline's start until the last reply in before the screen was ready (Resource Timing). */
  startFetchMs: number
  /** Replay requests (outline and segments) answered by then, and their bytes. */
  startRequests: number
  startKiB: number
  /** Navigation until every segment is fetched and built. */
  completeMs: number
  requests: number
  replayKiB: number
  seekP50: number
  seekP95: number
  seekMax: number
}

/**
 * Writes the log through the relay, a window at a time. Flow control is the durable ack of a save
 * barrier: a sync round trip would do too, but the relay allows a socket one sync request per ten
 * seconds (SYNC_REQUESTS_PER_SECOND) and cuts one that asks more.
 */
export async function upload(t: Target, log: MeetingLog) {
  const room = await t.newRoom()
  const writer = await connectSynced(room)
  let acked = 0
  let waiting: (() => void) | null = null
  let lost: Error | null = null
  writer.onOther = (type, d) => {
    if (type !== MessageType.DurableAck) return
    acked = Math.max(acked, decoding.readVarUint(d))
    waiting?.()
  }
  writer.ws.once('close', (code: number, reason: Buffer) => {
    lost = new Error(`the relay closed the upload (${code} ${reason.toString()})`)
    waiting?.()
  })
  const barrier = async (n: number) => {
    writer.ws.send(encodeSaveBarrier(n))
    while (acked < n) {
      if (lost) throw lost
      await new Promise<void>((resolve) => (waiting = resolve))
    }
  }
  let windows = 0
  for (let i = 0; i < log.entries.length; i++) {
    sendUpdate(writer, log.entries[i]!.data)
    if ((i + 1) % UPLOAD_WINDOW === 0) await barrier(++windows)
  }
  await barrier(windows + 1)
  writer.ws.terminate()
  return room.workshop!
}

export async function replayUi(
  browser: Browser,
  t: Target,
  log: MeetingLog,
  seed: number,
): Promise<ReplayUiResult> {
  const u0 = performance.now()
  const w = await upload(t, log)
  const uploadS = (performance.now() - u0) / 1000
  const ctx = await browser.newContext({ locale: 'nl-NL', viewport: { width: 1280, height: 800 } })
  try {
    const page = await ctx.newPage()
    await page.goto(`${w.httpBase}${ROUTES.replay(w.id, w.facilitatorKey)}`)
    const scrubber = page.getByTestId('replay-scrubber')
    await scrubber.waitFor({ timeout: 120_000 })
    await page.getByTestId('replay-board').getByTestId('card').first().waitFor({ timeout: 120_000 })
    const replayRequests = () =>
      page.evaluate(() => {
        const rs = performance
          .getEntriesByType('resource')
          .filter(
            (e): e is PerformanceResourceTiming =>
              e instanceof PerformanceResourceTiming && /\/replay(\/segment)?(\?|$)/.test(e.name),
          )
        return {
          now: performance.now(),
          first: rs.length ? Math.min(...rs.map((r) => r.startTime)) : NaN,
          lastEnd: rs.length ? Math.max(...rs.map((r) => r.responseEnd)) : NaN,
          count: rs.length,
          kib: rs.reduce((n, r) => n + r.encodedBodySize, 0) / 1024,
        }
      })
    const atLoad = await replayRequests()
    await page
      .locator('[data-testid="replay-load-status"][data-complete="true"]')
      .waitFor({ state: 'attached', timeout: 120_000 })
    const atComplete = await replayRequests()
    const min = Number(await scrubber.getAttribute('min'))
    const max = Number(await scrubber.getAttribute('max'))
    const rng = mulberry32(seed)
    const times: number[] = []
    for (let i = 0; i < SEEKS; i++) {
      const value = min + rng.next() * (max - min)
      const { ms, shown } = await page.evaluate(
        (v) =>
          new Promise<{ ms: number; shown: string }>((resolve) => {
            const el = document.querySelector<HTMLInputElement>('[data-testid="replay-scrubber"]')!
            const t0 = performance.now()
            el.value = String(v)
            el.dispatchEvent(new Event('input', { bubbles: true }))
            // after the next paint: rAF runs before it, a task queued there runs after it
            requestAnimationFrame(() =>
              setTimeout(
                () =>
                  resolve({
                    ms: performance.now() - t0,
                    shown: el.getAttribute('aria-valuetext') ?? '',
                  }),
                0,
              ),
            )
          }),
        value,
      )
      if (!shown) throw new Error('the scrubber did not move')
      times.push(ms)
    }
    const sorted = sortNum(times)
    return {
      entries: log.entries.length,
      uploadS,
      loadMs: atLoad.now,
      beforeFetchMs: atLoad.first,
      startFetchMs: atLoad.lastEnd - atLoad.first,
      startRequests: atLoad.count,
      startKiB: atLoad.kib,
      completeMs: atComplete.now,
      requests: atComplete.count,
      replayKiB: atComplete.kib,
      seekP50: quantile(sorted, 0.5),
      seekP95: quantile(sorted, 0.95),
      seekMax: sorted[sorted.length - 1]!,
    }
  } finally {
    await ctx.close()
  }
}
