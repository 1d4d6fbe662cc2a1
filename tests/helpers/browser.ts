/** Real Chromium (Debian's) driven by playwright-core, against a real server serving dist/. */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { REPO, startTestServer } from './server.ts'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const DIST = path.join(REPO, 'dist')

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium`)
  if (!fs.existsSync(path.join(DIST, 'index.html'))) throw new Error('client not built: run npm run build')
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  })
}

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
