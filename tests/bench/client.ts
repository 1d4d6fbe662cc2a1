/**
 * The board in Chromium with 1,000 cards, ours against two peers on the same board: tldraw 5.4.2
 * (tests/bench/peer-tldraw: the cards as tldraw notes placed by our layout) and the Tiptap peer
 * (tests/bench/peer-client: stock y-websocket server and provider, one Tiptap editor per card, no
 * culling); both peers read the board from the stock y-websocket server.
 *   mount     navigation start until the cards are drawn: as many as the settled board shows (ours:
 *             the participant's landing view on their own table, cards drawn with their text, not
 *             culled shells; tldraw: the whole board fitted, all 1,000 notes with their text; the
 *             Tiptap peer: all 1,000 editors)
 *   heap      JS heap used after a forced GC, once the board has settled: every card mounted (ours
 *             mounts the shells of culled cards in idle slices after its first draw) and the count
 *             unchanged for a second, so what loads after the first draw is in it too
 *   pan       drag the empty canvas 120 frames, three times (there, back, there again: median);
 *             main-thread task time per frame (CDP TaskDuration). Two views:
 *             text view  the zoom where our cards show text (TEXT_VIEW_SCALE: the first zoom step
 *                        up from the fitted board at which viewport.ts cardDetail is not 'lines'),
 *                        centred on the board, ours and tldraw at the same zoom; the row counts
 *                        the cards on screen that show their text, and ours' drawn cards
 *             whole board  ours fitted ("0"), at the detail that zoom gives (lines); tldraw fitted
 *                        with all 1,000 notes showing text
 *   watch     ours only: a participant's board while 30 others each drag a card of their table at
 *             the drag write rate, their pointers moving with it (awareness at the same rate); the
 *             watcher's main-thread busy share (CDP TaskDuration / wall). The dragged cards in the
 *             watcher's view, or out of it (WatchPlacement)
 *
 * Why not "1,000 cards with legible text on one screen": at 1280×800 (a canvas of about
 * 1280×700) a card of a table column (356 world px wide, at least 96 tall) leaves 1,000 of them
 * at most ~0.14 zoom, 2.1 px text, below what anyone reads (viewport.ts: lines below 3 px); no
 * arrangement of the columns changes that area bound. The text view is the closest honest view:
 * every card on screen shows its text, and ours draws the whole neighbourhood around it.
 */
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import * as Y from 'yjs'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness'
import type { Browser, CDPSession, Page } from 'playwright-core'
import { z } from 'zod'
import { ROUTES } from '../../shared/api.ts'
import { MessageType } from '../../shared/protocol.ts'
import { PRESENCE_PALETTE } from '../../shared/presence.ts'
import { DRAG_WRITE_INTERVAL_MS } from '../../shared/limits.ts'
import { addCard, listTables, moveCard } from '../../shared/schema.ts'
import { DEFAULT_TEMPLATE, applyTemplate } from '../../shared/template.ts'
import { REPO } from './env.ts'
import type { Target } from './targets.ts'
import { type Client, connectSynced, fullSync, sendUpdate } from './wire.ts'
import { MIN_SCALE, ZOOM_STEP, cardDetail } from '../../client/model/viewport.ts'

export const CLIENT_CARDS = 1000
const PAN_FRAMES = 120
/** Drags per view (there, back, there again): the median is reported. */
const PAN_RUNS = 3
const RUNS = 3

export interface PanResult {
  /** Cards on screen (inside the canvas) that show text. */
  onScreen: number
  /** Ours: cards drawn (not culled shells), on screen or in the margin around it. */
  drawn?: number
  /** Ours: the text detail of the view (rich, plain or lines: viewport.ts cardDetail). */
  detail?: string
  /** Ours: the drawn cards' heights in world px, "min-max" (the tldraw peer's notes are CARD_MIN_H). */
  cardH?: string
  scale: number
  /** Wall time of the main thread's tasks per frame. */
  msPerFrame: number
  /** CPU time of the main thread per frame (median run). */
  cpuMsPerFrame: number
  maxFrameMs: number
}

export interface ClientResult {
  /** Cards in the DOM once the board has settled (ours: drawn, not culled shells). */
  cardsShown: number
  /** Ours: the text detail the landing view shows (rich, plain or lines: viewport.ts cardDetail). */
  detail?: string
  mountMs: number
  heapMiB: number
  /** Pan at the text view (see the file comment): the headline figure. */
  panMsPerFrame: number
  panMaxFrameMs: number
  panText: PanResult
  /** Pan with the whole board in view (the Tiptap peer: its one view). */
  panFit: PanResult
}

/**
 * The zoom of the text view: the first ZOOM_STEP up from MIN_SCALE (where the fitted 1,000-card
 * board sits) at which our cards show text. Ours gets there with "0" then "+" presses.
 */
export const TEXT_VIEW_STEPS = (() => {
  let k = 0
  while (cardDetail(MIN_SCALE * ZOOM_STEP ** k) === 'lines') k++
  return k
})()
export const TEXT_VIEW_SCALE = MIN_SCALE * ZOOM_STEP ** TEXT_VIEW_STEPS

/** 1,000 cards in the three table zones of `tables` (or a grid when there are none). */
function clientBoard(
  tables: { x: number; y: number; w: number; h: number; id: string }[],
): Uint8Array {
  const doc = new Y.Doc()
  for (let i = 0; i < CLIENT_CARDS; i++) {
    const t = tables[i % Math.max(1, tables.length)]
    const k = Math.floor(i / Math.max(1, tables.length))
    const perRow = t ? Math.max(1, Math.floor(t.w / 120)) : 40
    addCard(doc, {
      id: `c${i}`,
      kind: i % 2 ? 'need' : 'vision',
      table: t?.id ?? null,
      x: (t?.x ?? 0) + 8 + (k % perRow) * 120,
      y: (t?.y ?? 0) + 100 + Math.floor(k / perRow) * 80,
      w: 110,
      h: 70,
      author: `p${i % 30}`,
      created: i,
      text: `Kaart ${i}: over vijf jaar één loket voor inwoners van de wijk`,
    })
  }
  return Y.encodeStateAsUpdate(doc)
}

export async function seedRoom(t: Target) {
  const room = await t.newRoom()
  const seeder = await connectSynced(room)
  const state = await fullSync(seeder)
  const doc = new Y.Doc()
  Y.applyUpdate(doc, state)
  const tables = listTables(doc)
  sendUpdate(seeder, clientBoard(tables))
  doc.destroy()
  await fullSync(seeder) // answered after the board was applied
  return { room, seeder, tables }
}

/** Time (ms since navigation start) at which `selector` matched `count` elements. */
async function mountedAt(page: Page, selector: string, count: number): Promise<number> {
  const handle = await page.waitForFunction(
    ([sel, n]) =>
      document.querySelectorAll(sel as string).length >= (n as number) ? performance.now() : false,
    [selector, count] as const,
    { polling: 'raf', timeout: 120_000 },
  )
  return (await handle.jsonValue()) as number
}

/** Loads once and waits until the number of cards shown stops changing (1 s unchanged). */
async function settledCount(page: Page, url: string, selector: string): Promise<number> {
  await page.goto(url)
  await page.locator(selector).first().waitFor({ timeout: 120_000 })
  return settle(page, selector)
}

/** What a view shows, read from the page. */
type ViewCount = Omit<PanResult, 'msPerFrame' | 'cpuMsPerFrame' | 'maxFrameMs'>

/**
 * Waits until the number of elements matching `selector` stops changing (1 s unchanged). Counted
 * by a plain evaluate, not a locator: a locator loads Playwright's selector engine into the page,
 * which the heap row then counted as the page's own (0.6 MiB of ours, measured with a heap script).
 */
async function settle(page: Page, selector: string): Promise<number> {
  let last = -1
  let same = 0
  while (same < 4) {
    const n = await page.evaluate((sel) => document.querySelectorAll(sel).length, selector)
    same = n === last ? same + 1 : 0
    last = n
    await page.waitForTimeout(250)
  }
  return last
}

interface MeasureOptions {
  /** Brings the page to the text view. */
  textView: (page: Page) => Promise<void>
  /** Brings the page to the whole board in view (absent: the page's one view, measured once). */
  fitView?: (page: Page) => Promise<void>
  /** What the current view shows. */
  count: (page: Page) => Promise<ViewCount>
  /** Reads what the settled page shows, for the report. */
  detail?: (page: Page) => Promise<string>
  /** The element whose transform the pan changes. */
  layer?: string
  /** Elements a pan drag may not start on (it would drag them, or press a control). */
  notEmpty: string
  /**
   * Every card element the page keeps once it has settled, drawn or not: all CLIENT_CARDS of them
   * (absent: the page shows `cardSelector` as at its mount).
   */
  allCards?: string
}

/** Chromium's Performance metrics as they stand now; the returned function reads one by name. */
export type Metric = () => Promise<(name: string) => number>

/** A canvas point (screen px) where a drag pans: nothing under it matches `notEmpty`. */
async function emptyPoint(page: Page, notEmpty: string): Promise<{ x: number; y: number }> {
  const box = (await page.getByTestId('board').first().boundingBox())!
  const found = await page.evaluate(
    ({ box, notEmpty }) => {
      // from the middle outwards, so the pan stays clear of the canvas edges and a peer's menus
      const pts: { x: number; y: number; d: number }[] = []
      for (let fy = 0.2; fy <= 0.8; fy += 0.05)
        for (let fx = 0.1; fx <= 0.9; fx += 0.02) {
          const x = box.x + fx * box.width
          const y = box.y + fy * box.height
          pts.push({ x, y, d: Math.hypot(fx - 0.5, fy - 0.5) })
        }
      pts.sort((a, b) => a.d - b.d)
      const board = document.querySelector('[data-testid="board"]')
      return (
        pts.find((p) => {
          const el = document.elementFromPoint(p.x, p.y)
          return !!el && !!board?.contains(el) && !el.closest(notEmpty)
        }) ?? null
      )
    },
    { box, notEmpty },
  )
  if (!found) throw new Error(`no empty canvas point to pan from at ${page.url()}`)
  return found
}

export const chromiumMetrics =
  (cdp: CDPSession): Metric =>
  async () => {
    const { metrics } = (await cdp.send('Performance.getMetrics')) as {
      metrics: { name: string; value: number }[]
    }
    return (name) => metrics.find((m) => m.name === name)?.value ?? NaN
  }

/**
 * Main-thread time as Chromium counts it: `task` is the wall time of its tasks (TaskDuration),
 * `cpu` the thread's CPU time (ThreadTime). Where the page shares a core with the load generator
 * or Chromium's own GPU process (the watch row), a task the scheduler preempts grows in wall
 * time while its CPU time does not: the two together say which one a figure is.
 */
async function mainThread(metric: Metric): Promise<{ task: number; cpu: number }> {
  const of = await metric()
  return { task: of('TaskDuration') * 1000, cpu: of('ThreadTime') * 1000 }
}

/** One drag of PAN_FRAMES frames from (x0, y0), `dir` +1 or -1; main-thread ms per frame. */
async function panOnce(page: Page, metric: Metric, x0: number, y0: number, dir: 1 | -1) {
  const frames: number[] = []
  const start = await mainThread(metric)
  await page.mouse.move(x0, y0)
  await page.mouse.down()
  for (let i = 1; i <= PAN_FRAMES; i++) {
    const f0 = await mainThread(metric)
    await page.mouse.move(x0 + dir * i * 3, y0 + dir * i * 2)
    await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => r())))
    frames.push((await mainThread(metric)).task - f0.task)
  }
  await page.mouse.up()
  const end = await mainThread(metric)
  // the metric reads themselves run on the main thread too; both sides pay the same
  return {
    perFrame: (end.task - start.task) / PAN_FRAMES,
    cpuPerFrame: (end.cpu - start.cpu) / PAN_FRAMES,
    max: Math.max(...frames),
  }
}

/** PAN_RUNS drags from (x, y): there, back, there again. */
export async function panRuns(page: Page, metric: Metric, x: number, y: number) {
  const runs: Awaited<ReturnType<typeof panOnce>>[] = []
  for (let r = 0; r < PAN_RUNS; r++) {
    // the way back starts where the last drag ended: the same (empty) spot of the board
    const back = r % 2 === 1
    runs.push(
      await panOnce(
        page,
        metric,
        back ? x + PAN_FRAMES * 3 : x,
        back ? y + PAN_FRAMES * 2 : y,
        back ? -1 : 1,
      ),
    )
  }
  return runs
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/** PAN_RUNS drags at the current view: there, back, there again; the median run. */
async function panView(
  page: Page,
  metric: Metric,
  opts: MeasureOptions,
  url: string,
): Promise<PanResult> {
  const layer = opts.layer ?? '.world'
  const seen = await opts.count(page)
  const { x, y } = await emptyPoint(page, opts.notEmpty)
  const transform = () =>
    page.evaluate((sel) => document.querySelector<HTMLElement>(sel)?.style.transform ?? '', layer)
  const before = await transform()
  // BENCH_TRACE_DIR: a Chromium trace of each view's first drag, for profiling (not measured)
  const traceDir = process.env.BENCH_TRACE_DIR
  if (traceDir) {
    const browser = page.context().browser()!
    const name = `${new URL(url).port}-${seen.scale.toFixed(3)}.json`
    await browser.startTracing(page, { path: path.join(traceDir, name) })
    await panOnce(page, metric, x, y, 1)
    await browser.stopTracing()
    // and a JS profile of the drag back
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Profiler.enable')
    await cdp.send('Profiler.start')
    await panOnce(page, metric, x + PAN_FRAMES * 3, y + PAN_FRAMES * 2, -1)
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: unknown }
    fs.writeFileSync(
      path.join(traceDir, name.replace(/json$/, 'cpuprofile')),
      JSON.stringify(profile),
    )
    await cdp.detach()
  }
  const runs = await panRuns(page, metric, x, y)
  if (before === (await transform())) throw new Error(`pan did not move the board at ${url}`)
  const mid = median(runs.map((r) => r.perFrame))
  return {
    ...seen,
    msPerFrame: mid,
    cpuMsPerFrame: median(runs.map((r) => r.cpuPerFrame)),
    maxFrameMs: runs.find((r) => r.perFrame === mid)!.max,
  }
}

async function measurePage(
  page: Page,
  url: string,
  cardSelector: string,
  opts: MeasureOptions,
): Promise<ClientResult> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Performance.enable')
  const cardsShown = await settledCount(page, url, cardSelector)
  const mounts: number[] = []
  for (let i = 0; i < RUNS; i++) {
    await page.goto(url)
    mounts.push(await mountedAt(page, cardSelector, cardsShown))
  }
  const detail = await opts.detail?.(page)
  // the heap of the settled board, not of one caught halfway through mounting
  const all = opts.allCards ?? cardSelector
  const want = opts.allCards ? CLIENT_CARDS : cardsShown
  await page.waitForFunction(
    ([sel, n]) => document.querySelectorAll(sel as string).length >= (n as number),
    [all, want] as const,
    { timeout: 120_000 },
  )
  await settle(page, all)
  await cdp.send('HeapProfiler.collectGarbage')
  const metric = chromiumMetrics(cdp)
  const heap = (await metric())('JSHeapUsedSize')

  let panFit: PanResult | null = null
  if (opts.fitView) {
    await opts.fitView(page)
    panFit = await panView(page, metric, opts, url)
  }
  await opts.textView(page)
  const panText = await panView(page, metric, opts, url)
  await cdp.detach()
  mounts.sort((a, b) => a - b)
  return {
    cardsShown,
    ...(detail !== undefined && { detail }),
    mountMs: mounts[Math.floor(RUNS / 2)]!,
    heapMiB: heap / 1024 / 1024,
    panMsPerFrame: panText.msPerFrame,
    panMaxFrameMs: panText.maxFrameMs,
    panText,
    panFit: panFit ?? panText,
  }
}

/** Joins as a participant in a fresh 1280×800 context and waits for the board. */
export async function joinedPage(
  browser: Browser,
  w: NonNullable<Awaited<ReturnType<Target['newRoom']>>['workshop']>,
  /** Runs on the new page before it loads anything (to watch its sockets from the start). */
  onPage?: (page: Page) => void,
) {
  const ctx = await browser.newContext({ locale: 'nl-NL', viewport: { width: 1280, height: 800 } })
  const page = await ctx.newPage()
  onPage?.(page)
  await page.goto(w.httpBase + ROUTES.join(w.joinCode))
  await page.getByTestId('join-name').fill('Bench')
  await page.getByTestId('join-table-inwoner').check()
  await page.getByTestId('join-submit').click()
  await page.getByTestId('board').waitFor()
  return { ctx, page }
}

/** Ours: a participant reopens the board (joined once before, token on the device). */
export async function clientOurs(browser: Browser, t: Target): Promise<ClientResult> {
  const { room, seeder } = await seedRoom(t)
  const w = room.workshop!
  const { ctx, page } = await joinedPage(browser, w)
  try {
    const fitted = async (p: Page) => {
      await p.getByTestId('board').focus()
      await p.keyboard.press('0')
      // the row reports how many are drawn: at 10 % the culling margin may leave the ends out
      await p.waitForFunction(() =>
        document.querySelector('.world-scaled')?.classList.contains('detail-lines'),
      )
      await settle(p, '[data-testid="card"]:not(.is-culled)')
    }
    // drawn cards only: a culled card is an empty shell in the DOM
    return await measurePage(
      page,
      w.httpBase + ROUTES.board(w.id),
      '[data-testid="card"]:not(.is-culled)',
      {
        fitView: fitted,
        textView: async (p) => {
          await fitted(p)
          for (let i = 0; i < TEXT_VIEW_STEPS; i++) await p.keyboard.press('+')
          await p.waitForFunction(
            () => !document.querySelector('.world-scaled')?.classList.contains('detail-lines'),
          )
          await settle(p, '[data-testid="card"]:not(.is-culled)')
        },
        count: (p) =>
          p.evaluate(() => {
            const canvas = document.querySelector('[data-testid="board"]')!.getBoundingClientRect()
            const scaled = document.querySelector<HTMLElement>('.world-scaled')!
            let onScreen = 0
            let drawn = 0
            let hMin = Infinity
            let hMax = 0
            for (const el of document.querySelectorAll<HTMLElement>(
              '[data-testid="card"]:not(.is-culled)',
            )) {
              drawn++
              hMin = Math.min(hMin, el.offsetHeight)
              hMax = Math.max(hMax, el.offsetHeight)
              const r = el.getBoundingClientRect()
              const inside =
                r.right > canvas.left &&
                r.left < canvas.right &&
                r.bottom > canvas.top &&
                r.top < canvas.bottom
              if (inside && el.querySelector('.card-body')?.textContent?.trim()) onScreen++
            }
            return {
              onScreen,
              drawn,
              detail: /detail-(\w+)/.exec(scaled.className)?.[1] ?? '?',
              cardH: hMin === hMax ? String(hMax) : `${hMin}-${hMax}`,
              scale: Number(/scale\(([\d.e-]+)\)/.exec(scaled.style.transform)?.[1] ?? NaN),
            }
          }),
        detail: (p) =>
          p.evaluate(
            () =>
              /detail-(\w+)/.exec(document.querySelector('.world-scaled')?.className ?? '')?.[1] ??
              '?',
          ),
        notEmpty: '.card, button, select, input, a, [contenteditable="true"]',
        allCards: '[data-testid="card"]',
      },
    )
  } finally {
    seeder.ws.terminate()
    await ctx.close()
  }
}

export const WATCH_DRAGGERS = 30
const WATCH_WARMUP_MS = 1000
const WATCH_MEASURE_MS = 5000
/** How far (world px) a dragged card swings from its start, inside its table's zone. */
const WATCH_SWING_PX = 200
/**
 * World px below its table's top where a card dragged in the watcher's view starts: among
 * clientBoard's second row of cards, so it swings through the first slots of its column, which the
 * landing view shows.
 */
const WATCH_TOP_Y = 180
/**
 * Where the dragged cards are: `inView`, among the first cards of each table, so the watcher sees
 * those of its own table move, the cards around them shift and the other tables' edges; `outOfView`,
 * further down each column, below the watcher's landing view, where a watcher should draw nothing
 * of their moves.
 */
export type WatchPlacement = 'inView' | 'outOfView'

export interface WatchResult {
  draggers: number
  /** Card writes the draggers sent per second while measured. */
  writesPerS: number
  /**
   * Share of the draggers' writes (Yjs clock ticks) sent in the window that reached the watcher's
   * sockets in it: 1 when it heard them all (see watchReceipts).
   */
  receivedShare: number
  /** Frames carrying board updates the watcher got while measured, and the longest gap between two. */
  updateFrames: number
  maxGapMs: number
  /** React commits per second in the watcher while measured: the updates it drew. */
  commitsPerS: number
  /** The watcher's sockets opened and closed from join to the end of the window. */
  sockets: { opened: number; closed: number }
  /** Share of wall time the watcher's main thread spent in tasks (their wall time). */
  busyPct: number
  /** Share of wall time the watcher's main thread spent on a CPU. */
  cpuPct: number
}

/** Below this share of the draggers' writes reaching the watcher the row measures an idle page. */
const WATCH_MIN_RECEIVED = 0.8
/**
 * Below this many commits a second the watcher did not draw the writes it got (the remote tick
 * draws 1000 / REMOTE_TICK_MS a second while anyone moves).
 */
const WATCH_MIN_COMMITS_PER_S = 5

/**
 * Counts the watcher's React commits through the hook React DevTools uses (react-dom calls it in
 * production builds too); only a counter, so it adds next to nothing to the measured page.
 */
const COMMIT_COUNTER = `(() => {
  let nextId = 1
  const counter = { commits: 0 }
  window.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
    supportsFiber: true,
    isDisabled: false,
    renderers: new Map(),
    inject: () => nextId++,
    checkDCE: () => {},
    onScheduleFiberRoot: () => {},
    onCommitFiberUnmount: () => {},
    onPostCommitFiberRoot: () => {},
    onCommitFiberRoot: () => { counter.commits++ },
  }
  window.__benchCommits = counter
})()`

const readCommits = (page: Page) =>
  page.evaluate(
    () => (window as unknown as { __benchCommits: { commits: number } }).__benchCommits.commits,
  )

/**
 * What reached the watcher's sockets: for each Yjs client, the highest clock its updates carried
 * (sync step 2 and updates, decoded from the frames as the page got them), and the sockets opened
 * and closed. A watcher whose socket is down, or whose writes the server dropped, shows here
 * instead of as a low busy share.
 */
function watchReceipts(page: Page) {
  const clocks = new Map<number, number>()
  const sockets = { opened: 0, closed: 0 }
  const frames = { n: 0, last: performance.now(), maxGapMs: 0 }
  page.on('websocket', (ws) => {
    sockets.opened++
    ws.on('close', () => sockets.closed++)
    ws.on('framereceived', ({ payload }) => {
      if (typeof payload === 'string') return
      const dec = decoding.createDecoder(new Uint8Array(payload))
      if (decoding.readVarUint(dec) !== MessageType.Sync) return
      const kind = decoding.readVarUint(dec)
      if (kind !== syncProtocol.messageYjsUpdate && kind !== syncProtocol.messageYjsSyncStep2)
        return
      const now = performance.now()
      frames.n++
      frames.maxGapMs = Math.max(frames.maxGapMs, now - frames.last)
      frames.last = now
      for (const [client, clock] of Y.parseUpdateMeta(decoding.readVarUint8Array(dec)).to)
        if (clock > (clocks.get(client) ?? 0)) clocks.set(client, clock)
    })
  })
  return {
    clock: (client: number) => clocks.get(client) ?? 0,
    sockets,
    /** Starts counting update frames and their gaps afresh. */
    resetFrames() {
      Object.assign(frames, { n: 0, last: performance.now(), maxGapMs: 0 })
    },
    frames: () => ({
      n: frames.n,
      maxGapMs: Math.max(frames.maxGapMs, performance.now() - frames.last),
    }),
  }
}

/** The fields of a Chromium trace event that the watching split adds up. */
const TraceEvent = z.object({
  name: z.string(),
  ph: z.string(),
  dur: z.number().optional(),
  tid: z.number(),
  pid: z.number(),
  ts: z.number().optional(),
  args: z.unknown().optional(),
})

/**
 * Ours: the board of one participant while WATCH_DRAGGERS others (joined through the REST API, so
 * their writes pass the write guard) each drag a card of their own table, one write every
 * DRAG_WRITE_INTERVAL_MS, staggered as real people are.
 */
export async function clientWatch(
  browser: Browser,
  t: Target,
  placement: WatchPlacement = 'inView',
): Promise<WatchResult> {
  const inView = placement === 'inView'
  const { room, seeder, tables } = await seedRoom(t)
  const w = room.workshop!
  const people = await room.participants!(WATCH_DRAGGERS)
  const receipts = { current: null as ReturnType<typeof watchReceipts> | null }
  const { ctx, page } = await joinedPage(browser, w, (p) => {
    receipts.current = watchReceipts(p)
    void p.addInitScript({ content: COMMIT_COUNTER })
  })
  const heard = receipts.current!
  const draggers: { c: Client; doc: Y.Doc; aw: Awareness; id: string; x: number; y: number }[] = []
  const timers: NodeJS.Timeout[] = []
  try {
    for (const [i, p] of people.entries()) {
      const c = await connectSynced({ ...room, hello: p.hello })
      const doc = new Y.Doc()
      doc.on('update', (u: Uint8Array) => sendUpdate(c, u))
      const tb = tables.find((x) => x.id === p.tableId)!
      const at = { x: tb.x + 40 + (i % 5) * 60, y: tb.y + (inView ? WATCH_TOP_Y : tb.h - 300) }
      const id = `drag-${i}`
      addCard(doc, {
        id,
        kind: 'vision',
        table: tb.id,
        ...at,
        w: 110,
        h: 70,
        author: p.participantId,
        created: CLIENT_CARDS + i,
        text: `Sleept ${i}`,
      })
      const aw = new Awareness(doc)
      aw.setLocalState({
        user: {
          name: `Deelnemer ${i + 1}`,
          color: PRESENCE_PALETTE[i % PRESENCE_PALETTE.length],
          table: tb.id,
        },
        pointer: null,
      })
      draggers.push({ c, doc, aw, id, ...at })
    }
    await mountedAt(page, '[data-testid="card"]', CLIENT_CARDS + WATCH_DRAGGERS)
    let writes = 0
    const start = performance.now()
    for (const [i, d] of draggers.entries()) {
      const begin = () =>
        timers.push(
          setInterval(() => {
            const phase = ((performance.now() - start) / 1000 + i) % (2 * Math.PI)
            const to = {
              x: d.x + WATCH_SWING_PX * Math.sin(phase),
              y: d.y + (WATCH_SWING_PX / 2) * Math.cos(phase),
            }
            moveCard(d.doc, d.id, to)
            // the pointer moves with the card it drags
            d.aw.setLocalStateField('pointer', {
              x: Math.round(to.x + 20),
              y: Math.round(to.y + 20),
            })
            d.c.send((e) => {
              encoding.writeVarUint(e, MessageType.Awareness)
              encoding.writeVarUint8Array(e, encodeAwarenessUpdate(d.aw, [d.doc.clientID]))
            })
            writes++
          }, DRAG_WRITE_INTERVAL_MS),
        )
      timers.push(setTimeout(begin, (i * DRAG_WRITE_INTERVAL_MS) / draggers.length))
    }
    await page.waitForTimeout(WATCH_WARMUP_MS)
    const cdp = await ctx.newCDPSession(page)
    await cdp.send('Performance.enable')
    const metrics = chromiumMetrics(cdp)
    // BENCH_WATCH_SPLIT: also print where the busy time went (script, style, layout), for profiling
    const split = async () => {
      const of = await metrics()
      return {
        script: of('ScriptDuration'),
        style: of('RecalcStyleDuration'),
        layout: of('LayoutDuration'),
      }
    }
    const s0 = process.env.BENCH_WATCH_SPLIT ? await split() : null
    // BENCH_WATCH_TRACE: a timeline trace of the window, printed as main-thread ms per event
    // (Layerize, Layout, Commit, Paint... that TaskDuration alone does not split)
    const events: z.infer<typeof TraceEvent>[] = []
    if (process.env.BENCH_WATCH_TRACE) {
      cdp.on('Tracing.dataCollected', (e) => {
        for (const v of e.value) {
          const ev = TraceEvent.safeParse(v)
          if (ev.success) events.push(ev.data)
        }
      })
      await cdp.send('Tracing.start', {
        categories: 'devtools.timeline,disabled-by-default-devtools.timeline',
        transferMode: 'ReportEvents',
      })
    }
    // BENCH_TRACE_DIR: a JS profile of the watched window, for profiling (adds its own cost)
    const traceDir = process.env.BENCH_TRACE_DIR
    if (traceDir) {
      await cdp.send('Profiler.enable')
      await cdp.send('Profiler.start')
    }
    // what the draggers had sent and the watcher had heard when the window opens and closes
    const clocks = () => ({
      sent: draggers.reduce((n, d) => n + Y.getState(d.doc.store, d.doc.clientID), 0),
      heard: draggers.reduce((n, d) => n + heard.clock(d.doc.clientID), 0),
    })
    const c0 = clocks()
    heard.resetFrames()
    const k0 = await readCommits(page)
    const t0 = await mainThread(metrics)
    const w0 = performance.now()
    const n0 = writes
    await page.waitForTimeout(WATCH_MEASURE_MS)
    const t1 = await mainThread(metrics)
    // BENCH_WATCH_SHOT: a screenshot of the watcher with the drags going on, to look at (not measured)
    if (process.env.BENCH_WATCH_SHOT) await page.screenshot({ path: process.env.BENCH_WATCH_SHOT })
    if (process.env.BENCH_WATCH_TRACE) {
      const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r))
      await cdp.send('Tracing.end')
      await done
      // the renderer's main thread is the one that lays out
      const main = events.find((e) => e.name === 'Layout' || e.name === 'UpdateLayoutTree')
      const sums = new Map<string, number>()
      for (const e of events)
        if (e.ph === 'X' && e.dur && main && e.tid === main.tid && e.pid === main.pid)
          sums.set(e.name, (sums.get(e.name) ?? 0) + e.dur / 1000)
      console.log([...sums].sort((a, b) => b[1] - a[1]).slice(0, 25))
      // BENCH_WATCH_TRACE_DUMP: the main thread's events with their arguments, as JSON lines
      const dump = process.env.BENCH_WATCH_TRACE_DUMP
      if (dump && main)
        fs.writeFileSync(
          dump,
          events
            .filter((e) => e.tid === main.tid && e.pid === main.pid)
            .map((e) => JSON.stringify(e))
            .join('\n'),
        )
    }
    if (s0) {
      const s1 = await split()
      console.log('watching, seconds of the window:', {
        script: s1.script - s0.script,
        style: s1.style - s0.style,
        layout: s1.layout - s0.layout,
      })
    }
    const k1 = await readCommits(page)
    const c1 = clocks()
    const got = heard.frames()
    if (traceDir) {
      const { profile } = (await cdp.send('Profiler.stop')) as { profile: unknown }
      fs.writeFileSync(path.join(traceDir, 'watch.cpuprofile'), JSON.stringify(profile))
    }
    const wall = performance.now() - w0
    const n1 = writes
    await cdp.detach()
    const result: WatchResult = {
      draggers: draggers.length,
      writesPerS: ((n1 - n0) * 1000) / wall,
      receivedShare: (c1.heard - c0.heard) / Math.max(1, c1.sent - c0.sent),
      updateFrames: got.n,
      maxGapMs: got.maxGapMs,
      commitsPerS: ((k1 - k0) * 1000) / wall,
      sockets: { ...heard.sockets },
      busyPct: ((t1.task - t0.task) * 100) / wall,
      cpuPct: ((t1.cpu - t0.cpu) * 100) / wall,
    }
    // a watcher that heard little, or drew little of the moves in its view, measures an idle page,
    // not the workload: say so
    if (
      result.receivedShare < WATCH_MIN_RECEIVED ||
      (inView && result.commitsPerS < WATCH_MIN_COMMITS_PER_S)
    )
      throw new Error(`watching: the watcher did not get the workload: ${JSON.stringify(result)}`)
    return result
  } finally {
    for (const timer of timers) clearInterval(timer)
    for (const d of draggers) {
      d.aw.destroy()
      d.c.ws.terminate()
    }
    seeder.ws.terminate()
    await ctx.close()
  }
}

/** Table ids for the peers' rooms; ours makes its own. */
const PEER_TABLE_IDS = DEFAULT_TEMPLATE.tables.map((t) => `table-${t.perspective}`)

/** A peer server whose new rooms hold the default template's zones, as a new workshop of ours does. */
function withTemplate(t: Target): Target {
  return {
    ...t,
    async newRoom() {
      const room = await t.newRoom()
      const c = await connectSynced(room)
      const doc = new Y.Doc()
      applyTemplate(doc, DEFAULT_TEMPLATE, {
        title: 'Bench',
        language: 'nl',
        anonymity: 'table',
        tableIds: PEER_TABLE_IDS,
      })
      sendUpdate(c, Y.encodeStateAsUpdate(doc))
      doc.destroy()
      await fullSync(c) // answered after the zones were applied
      c.ws.terminate()
      return room
    },
  }
}

/**
 * Seeds the board on the stock y-websocket server (zones first, so the cards land where they do on
 * ours) and opens a peer page, built in `dir`, on it.
 */
async function onPeerPage<T>(
  browser: Browser,
  yws: Target,
  dir: string,
  measure: (page: Page, url: string) => Promise<T>,
): Promise<T> {
  const { room, seeder } = await seedRoom(withTemplate(yws))
  const site = await serveStatic(dir)
  const ctx = await browser.newContext({ locale: 'nl-NL', viewport: { width: 1280, height: 800 } })
  try {
    const [wsBase, roomName] = splitRoomUrl(room.url)
    return await measure(
      await ctx.newPage(),
      `${site.url}/?ws=${encodeURIComponent(wsBase)}&room=${encodeURIComponent(roomName)}`,
    )
  } finally {
    seeder.ws.terminate()
    await ctx.close()
    site.close()
  }
}

/** Cards (elements matching `sel`) inside the canvas whose text is not empty. */
function onScreenWithText(page: Page, sel: string, textSel: string): Promise<number> {
  return page.evaluate(
    ({ sel, textSel }) => {
      const canvas = document.querySelector('[data-testid="board"]')!.getBoundingClientRect()
      let n = 0
      for (const el of document.querySelectorAll(sel)) {
        const r = el.getBoundingClientRect()
        const inside =
          r.right > canvas.left &&
          r.left < canvas.right &&
          r.bottom > canvas.top &&
          r.top < canvas.bottom
        if (inside && el.querySelector(textSel)?.textContent?.trim()) n++
      }
      return n
    },
    { sel, textSel },
  )
}

/** The Tiptap-per-card peer against the stock y-websocket server, same board, its one view. */
export function clientPeer(browser: Browser, yws: Target, dir: string): Promise<ClientResult> {
  return onPeerPage(browser, yws, dir, (page, url) =>
    measurePage(page, url, '[data-testid="card"] .ProseMirror', {
      // every card is a live editor at any zoom: its one view is its text view
      textView: async () => {},
      count: async (p) => ({
        onScreen: await onScreenWithText(p, '[data-testid="card"]', '.ProseMirror'),
        scale: await p.evaluate(() =>
          Number(
            /scale\(([\d.e-]+)\)/.exec(
              document.querySelector<HTMLElement>('.world')?.style.transform ?? '',
            )?.[1] ?? NaN,
          ),
        ),
      }),
      notEmpty: '[data-testid="card"]',
    }),
  )
}

/** A note of the tldraw peer that is displayed (not culled) and shows its text. */
const TLDRAW_NOTE =
  '.tl-shape[data-shape-type="note"][style*="display: block"] .tl-rich-text:not(:empty)'

/** The tldraw peer page's editor (tests/bench/peer-tldraw puts it on window). */
interface BenchEditor {
  getZoomLevel(): number
  getViewportPageBounds(): { center: { x: number; y: number } }
  getViewportScreenBounds(): { w: number; h: number }
  setCamera(c: { x: number; y: number; z: number }): void
  zoomToFit(): void
}

/**
 * tldraw 5.4.2 against the stock y-websocket server, same board: mounted fitted (every note shown
 * with its text), panned fitted and at the text view (our TEXT_VIEW_SCALE, centred on the board).
 */
export function clientTldraw(browser: Browser, yws: Target, dir: string): Promise<ClientResult> {
  return onPeerPage(browser, yws, dir, async (page, url) => {
    const offHost: string[] = []
    const errors: string[] = []
    const check = (href: string) => {
      const u = new URL(href)
      if (/^(https?|wss?):$/.test(u.protocol) && u.hostname !== '127.0.0.1') offHost.push(href)
    }
    page.on('request', (r) => check(r.url()))
    page.on('websocket', (ws) => check(ws.url()))
    page.on('pageerror', (e) => errors.push(e.message))
    const camera = (z: number | null) =>
      page.evaluate((z) => {
        const e = (window as unknown as { benchEditor: BenchEditor }).benchEditor
        e.zoomToFit()
        if (z === null) return
        // the same page point stays in the middle: screen = (page + camera) * zoom
        const c = e.getViewportPageBounds().center
        const s = e.getViewportScreenBounds()
        e.setCamera({ x: s.w / 2 / z - c.x, y: s.h / 2 / z - c.y, z })
      }, z)
    const view = async (z: number | null) => {
      await camera(z)
      await settle(page, TLDRAW_NOTE)
    }
    const r = await measurePage(page, url, TLDRAW_NOTE, {
      layer: '.tl-html-layer',
      fitView: () => view(null),
      textView: () => view(TEXT_VIEW_SCALE),
      count: async (p) => ({
        onScreen: await onScreenWithText(
          p,
          '.tl-shape[data-shape-type="note"][style*="display: block"]',
          '.tl-rich-text',
        ),
        scale: await p.evaluate(() =>
          (window as unknown as { benchEditor: BenchEditor }).benchEditor.getZoomLevel(),
        ),
      }),
      // the hand tool pans from anywhere on the canvas, but not from tldraw's own menus
      notEmpty: '[class*="tlui-"], button',
    })
    if (errors.length) throw new Error(`tldraw peer: ${errors[0]}`)
    if (r.cardsShown !== CLIENT_CARDS)
      throw new Error(`tldraw peer showed ${r.cardsShown} of ${CLIENT_CARDS} notes with text`)
    if (offHost.length) throw new Error(`tldraw peer requested off the host: ${offHost[0]}`)
    return r
  })
}

function splitRoomUrl(url: string): [string, string] {
  const i = url.lastIndexOf('/')
  return [url.slice(0, i), url.slice(i + 1)]
}

/** Builds a peer page (tests/bench/peer-client or peer-tldraw) into a temp dir (the caller removes it). */
export async function buildPeer(name: 'peer-client' | 'peer-tldraw'): Promise<string> {
  const { build } = await import('vite')
  const react = (await import('@vitejs/plugin-react')).default
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), `stip-bench-${name}-`))
  await build({
    configFile: false,
    root: path.join(REPO, 'tests/bench', name),
    plugins: [react()],
    logLevel: 'warn',
    resolve: { dedupe: ['yjs', 'y-protocols', 'lib0'] },
    // the tldraw page is one ~2 MB chunk; its size is reported in the bundle rows, not warned about
    build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 4096 },
  })
  return outDir
}

function serveStatic(dir: string): Promise<{ url: string; close(): void }> {
  const types: Record<string, string> = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.css': 'text/css',
    '.json': 'application/json',
    '.svg': 'image/svg+xml',
    '.png': 'image/png',
    '.woff2': 'font/woff2',
  }
  const server = http.createServer((req, res) => {
    const rel = new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/+/, '') || 'index.html'
    const file = path.join(dir, path.normalize(rel))
    if (!file.startsWith(dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end()
      return
    }
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' })
    fs.createReadStream(file).pipe(res)
  })
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => server.close(),
      }),
    ),
  )
}
