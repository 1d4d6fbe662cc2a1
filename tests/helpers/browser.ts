/** Real Chromium (Debian's) driven by playwright-core, against a real server serving dist/. */
import { afterAll, beforeAll, expect } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import * as Y from 'yjs'
import { ROUTES } from '../../shared/api.ts'
import { writeTable } from '../../shared/schema.ts'
import { startTestServer } from './server.ts'
import { DIST, launchBrowser } from './chromium.ts'

/** One Chromium per test file: launched before its tests, closed after them. */
export function useBrowser(): () => Browser {
  let browser: Browser | null = null
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })
  return () => {
    if (!browser) throw new Error('browser not launched yet')
    return browser
  }
}

export const startAppServer = (opts: Parameters<typeof startTestServer>[0] = {}) =>
  startTestServer({ staticDir: DIST, ...opts })

/** Collects console errors and failed requests so tests can assert a clean page. */
export function watchPage(page: Page) {
  const errors: string[] = []
  const requests: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('request', (r) => requests.push(r.url()))
  return { errors, requests }
}

/** Playwright waits shorter than the test timeout, so a stuck wait names its locator. */
export const PAGE_WAIT_MS = 15_000

export async function newParticipantContext(browser: Browser): Promise<BrowserContext> {
  const ctx = await browser.newContext({ locale: 'nl-NL', viewport: { width: 1280, height: 800 } })
  ctx.setDefaultTimeout(PAGE_WAIT_MS)
  return ctx
}

/** Adds an update to y-indexeddb's store of one doc, as if the tab had made it offline. */
export async function addToOfflineCache(page: Page, dbName: string, update: Uint8Array) {
  await page.evaluate(
    ({ dbName, bytes }) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open(dbName)
        open.onerror = () => reject(open.error)
        open.onsuccess = () => {
          const tx = open.result.transaction('updates', 'readwrite')
          tx.objectStore('updates').add(new Uint8Array(bytes))
          tx.oncomplete = () => (open.result.close(), resolve())
          tx.onerror = () => reject(tx.error)
        }
      }),
    { dbName, bytes: [...update] },
  )
}

/** Waits until the caret is in the editor panel's text: typing before that would go elsewhere. */
export const editorFocused = (page: Page) =>
  page.waitForFunction(
    () =>
      document.activeElement?.closest('[role="dialog"]') != null &&
      (document.activeElement as HTMLElement).isContentEditable,
  )

/** The header timer's "12:34" in seconds. */
export async function timerSeconds(page: Page): Promise<number> {
  const text = (await page.getByRole('timer').textContent()) ?? ''
  const m = /(\d+):(\d\d)/.exec(text)
  if (!m) throw new Error(`no timer text in "${text}"`)
  return Number(m[1]) * 60 + Number(m[2])
}

/**
 * Anna joins the Inwoner table in a fresh participant context and her board is on screen; a
 * console error on her page fails the test at cleanup.
 */
/**
 * Waits for the board's own background work after its first draw: the closed side panel arrives
 * (client/board/Board.tsx, DeferredSide), which is a commit of its own. Tests that count React's
 * commits wait for it before they measure.
 */
export async function sidePanelArrived(page: Page): Promise<void> {
  await page
    .locator('[data-testid="workshop-panel"], [data-testid="facilitator-panel"]')
    .waitFor({ state: 'attached' })
}

export async function joinInwonerBoard(
  browser: Browser,
  baseUrl: string,
  joinCode: string,
  track: (fn: () => unknown) => void,
): Promise<Page> {
  const ctx = await newParticipantContext(browser)
  track(() => ctx.close())
  const page = await ctx.newPage()
  const watch = watchPage(page)
  track(() => expect(watch.errors).toEqual([]))
  await joinOnPage(page, baseUrl, joinCode, 'Anna')
  return page
}

/** `name` joins the Inwoner table through the join screen on `page`, until the board shows. */
export async function joinOnPage(
  page: Page,
  baseUrl: string,
  joinCode: string,
  name: string,
): Promise<void> {
  await page.goto(baseUrl + ROUTES.join(joinCode))
  await page.getByTestId('join-name').fill(name)
  await page.getByTestId('join-table-inwoner').check()
  await page.getByTestId('join-submit').click()
  await page.getByTestId('board').waitFor()
}

/** The status once every edit is acked ("live" while nothing was edited). */
export const savedStatus = (page: Page) =>
  page.locator(
    '[data-testid="status"][data-status="live"], [data-testid="status"][data-status="saved"]',
  )

/** A page in a fresh participant context; a console error on it fails the test at cleanup. */
export async function openCheckedPage(
  browser: Browser,
  url: string,
  track: (fn: () => unknown) => void,
): Promise<Page> {
  const ctx = await newParticipantContext(browser)
  track(() => ctx.close())
  const page = await ctx.newPage()
  const watch = watchPage(page)
  track(() => expect(watch.errors).toEqual([]))
  await page.goto(url)
  return page
}

/**
 * The organiser's replay screen in a fresh context. `before` runs on the page before it navigates
 * (network conditions, listeners); a console error is collected in `watch`.
 */
export async function openReplayPage(
  browser: Browser,
  baseUrl: string,
  ws: { id: string; facilitatorKey: string },
  track: (fn: () => unknown) => void,
  before?: (page: Page) => Promise<void>,
) {
  const ctx = await newParticipantContext(browser)
  track(() => ctx.close())
  const page = await ctx.newPage()
  const watch = watchPage(page)
  await before?.(page)
  await page.goto(baseUrl + ROUTES.replay(ws.id, ws.facilitatorKey))
  return { page, watch }
}

/**
 * Leaves a table named "Verboden tafel" in the tab's offline cache of the workshop's board, as if
 * made offline: only facilitators may add tables, so the server refuses it when the tab loads.
 */
export async function cacheForgedTable(page: Page, workshopId: string, tableId: string) {
  const forged = new Y.Doc()
  writeTable(forged, {
    id: tableId,
    name: 'Verboden tafel',
    perspective: 'other',
    color: '#333333',
    pattern: 'none',
    order: 9,
    x: 3000,
    y: 0,
    w: 400,
    h: 400,
  })
  await addToOfflineCache(page, `stip:${workshopId}:board`, Y.encodeStateAsUpdate(forged))
}
