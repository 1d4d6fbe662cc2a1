/**
 * The board in Chromium with 1,000 cards, ours against two peers on the same board: tldraw 5.4.2
 * (tests/bench/peer-tldraw: the cards as tldraw notes placed by our layout, camera fitted to the
 * board) and the Tiptap peer (tests/bench/peer-client: stock y-websocket server and provider, one
 * Tiptap editor per card, no culling); both peers read the board from the stock y-websocket server.
 *   mount     navigation start until the cards are drawn: as many as the settled board shows (the
 *             peers all 1,000 with their text; ours counts drawn cards, not culled shells, at the
 *             detail its zoom gives them: rich text, plain text or lines, see viewport.ts)
 *   heap      JS heap used after a forced GC, board mounted
 *   pan       drag the empty canvas 120 frames; main-thread task time per frame (CDP TaskDuration);
 *             ours with the whole board fitted into view first
 *   watch     ours only: a participant's board while 30 others each drag a card of their table at
 *             the drag write rate, their pointers moving with it (awareness at the same rate); the
 *             watcher's main-thread busy share (CDP TaskDuration / wall)
 */
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness'
import type { Browser, Page } from 'playwright-core'
import { ROUTES } from '../../shared/api.ts'
import { MessageType } from '../../shared/protocol.ts'
import { PRESENCE_PALETTE } from '../../shared/presence.ts'
import { DRAG_WRITE_INTERVAL_MS } from '../../shared/limits.ts'
import { addCard, listTables, moveCard } from '../../shared/schema.ts'
import { DEFAULT_TEMPLATE, applyTemplate } from '../../shared/template.ts'
import { REPO } from './env.ts'
import type { Target } from './targets.ts'
import { type Client, connectSynced, fullSync, sendUpdate } from './wire.ts'

export const CLIENT_CARDS = 1000
const PAN_FRAMES = 120
const RUNS = 3

export interface ClientResult {
  /** Cards in the DOM once the board has settled (ours: drawn, not culled shells). */
  cardsShown: number
  /** Ours: the text detail the fitted board shows (rich, plain or lines: viewport.ts cardDetail). */
  detail?: string
  mountMs: number
  heapMiB: number
  panMsPerFrame: number
  panMaxFrameMs: number
}

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

async function seedRoom(t: Target) {
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
  let last = -1
  let same = 0
  while (same < 4) {
    const n = await page.locator(selector).count()
    same = n === last ? same + 1 : 0
    last = n
    await page.waitForTimeout(250)
  }
  return last
}

interface MeasureOptions {
  /** Runs before the pan, e.g. fitting the whole board into view. */
  beforePan?: (page: Page) => Promise<void>
  /** Reads what the settled page shows, for the report. */
  detail?: (page: Page) => Promise<string>
  /** The element whose transform the pan changes. */
  layer?: string
  /** Where the pan drag starts: near the board's top-left corner, or its middle (clear of a peer's own UI). */
  panFrom?: 'corner' | 'middle'
}

async function measurePage(
  page: Page,
  url: string,
  cardSelector: string,
  opts: MeasureOptions = {},
): Promise<ClientResult> {
  const layer = opts.layer ?? '.world'
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Performance.enable')
  const cardsShown = await settledCount(page, url, cardSelector)
  const mounts: number[] = []
  for (let i = 0; i < RUNS; i++) {
    await page.goto(url)
    mounts.push(await mountedAt(page, cardSelector, cardsShown))
  }
  await cdp.send('HeapProfiler.collectGarbage')
  const metric = async (name: string) => {
    const { metrics } = (await cdp.send('Performance.getMetrics')) as {
      metrics: { name: string; value: number }[]
    }
    return metrics.find((m) => m.name === name)?.value ?? NaN
  }
  const heap = await metric('JSHeapUsedSize')

  await opts.beforePan?.(page)
  const detail = await opts.detail?.(page)
  const box = (await page.getByTestId('board').first().boundingBox())!
  const x0 = opts.panFrom === 'middle' ? box.x + box.width / 2 : box.x + 8
  const y0 = opts.panFrom === 'middle' ? box.y + box.height / 2 : box.y + 8
  const transform = () =>
    page.evaluate((sel) => document.querySelector<HTMLElement>(sel)?.style.transform ?? '', layer)
  const before = await transform()
  const task0 = await metric('TaskDuration')
  const frames: number[] = []
  await page.mouse.move(x0, y0)
  await page.mouse.down()
  for (let i = 1; i <= PAN_FRAMES; i++) {
    const f0 = await metric('TaskDuration')
    await page.mouse.move(x0 + i * 3, y0 + i * 2)
    await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => r())))
    frames.push(((await metric('TaskDuration')) - f0) * 1000)
  }
  await page.mouse.up()
  const task1 = await metric('TaskDuration')
  const after = await transform()
  if (before === after) throw new Error(`pan did not move the board at ${url}`)
  await cdp.detach()
  mounts.sort((a, b) => a - b)
  return {
    cardsShown,
    ...(detail !== undefined && { detail }),
    mountMs: mounts[Math.floor(RUNS / 2)]!,
    heapMiB: heap / 1024 / 1024,
    // the metric reads themselves run on the main thread too; both sides pay the same
    panMsPerFrame: ((task1 - task0) * 1000) / PAN_FRAMES,
    panMaxFrameMs: Math.max(...frames),
  }
}

/** Joins as a participant in a fresh 1280×800 context and waits for the board. */
async function joinedPage(
  browser: Browser,
  w: NonNullable<Awaited<ReturnType<Target['newRoom']>>['workshop']>,
) {
  const ctx = await browser.newContext({ locale: 'nl-NL', viewport: { width: 1280, height: 800 } })
  const page = await ctx.newPage()
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
    // drawn cards only: a culled card is an empty shell in the DOM
    return await measurePage(
      page,
      w.httpBase + ROUTES.board(w.id),
      '[data-testid="card"]:not(.is-culled)',
      {
        // the pan runs with every card in view ("0" fits the board), whatever the landing view
        beforePan: async (p) => {
          await p.getByTestId('board').focus()
          await p.keyboard.press('0')
          await p.waitForFunction(
            (n) => document.querySelectorAll('[data-testid="card"]:not(.is-culled)').length >= n,
            CLIENT_CARDS,
          )
        },
        detail: (p) =>
          p.evaluate(
            () =>
              /detail-(\w+)/.exec(document.querySelector('.world-scaled')?.className ?? '')?.[1] ??
              '?',
          ),
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

export interface WatchResult {
  draggers: number
  /** Card writes the draggers sent per second while measured. */
  writesPerS: number
  /** Share of wall time the watcher's main thread spent in tasks. */
  busyPct: number
}

/**
 * Ours: the board of one participant while WATCH_DRAGGERS others (joined through the REST API, so
 * their writes pass the write guard) each drag a card of their own table, one write every
 * DRAG_WRITE_INTERVAL_MS, staggered as real people are.
 */
export async function clientWatch(browser: Browser, t: Target): Promise<WatchResult> {
  const { room, seeder, tables } = await seedRoom(t)
  const w = room.workshop!
  const people = await room.participants!(WATCH_DRAGGERS)
  const { ctx, page } = await joinedPage(browser, w)
  const draggers: { c: Client; doc: Y.Doc; aw: Awareness; id: string; x: number; y: number }[] = []
  const timers: NodeJS.Timeout[] = []
  try {
    for (const [i, p] of people.entries()) {
      const c = await connectSynced({ ...room, hello: p.hello })
      const doc = new Y.Doc()
      doc.on('update', (u: Uint8Array) => sendUpdate(c, u))
      const tb = tables.find((x) => x.id === p.tableId)!
      const at = { x: tb.x + 40 + (i % 5) * 60, y: tb.y + tb.h - 300 }
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
    const task = async () => {
      const { metrics } = (await cdp.send('Performance.getMetrics')) as {
        metrics: { name: string; value: number }[]
      }
      return metrics.find((m) => m.name === 'TaskDuration')?.value ?? NaN
    }
    const t0 = await task()
    const w0 = performance.now()
    const n0 = writes
    await page.waitForTimeout(WATCH_MEASURE_MS)
    const t1 = await task()
    const wall = performance.now() - w0
    const n1 = writes
    await cdp.detach()
    return {
      draggers: draggers.length,
      writesPerS: ((n1 - n0) * 1000) / wall,
      busyPct: ((t1 - t0) * 1000 * 100) / wall,
    }
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

/** The Tiptap-per-card peer against the stock y-websocket server, same board. */
export function clientPeer(browser: Browser, yws: Target, dir: string): Promise<ClientResult> {
  return onPeerPage(browser, yws, dir, (page, url) =>
    measurePage(page, url, '[data-testid="card"] .ProseMirror'),
  )
}

/** A note of the tldraw peer that is displayed (not culled) and shows its text. */
const TLDRAW_NOTE =
  '.tl-shape[data-shape-type="note"][style*="display: block"] .tl-rich-text:not(:empty)'

/** tldraw 5.4.2 against the stock y-websocket server, same board, every note shown. */
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
    const r = await measurePage(page, url, TLDRAW_NOTE, {
      layer: '.tl-html-layer',
      panFrom: 'middle',
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
