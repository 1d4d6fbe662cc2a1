/**
 * npm run shots -- [out dir]: the screens a facilitator judges, in Chromium at the three sizes the
 * room uses (1280×800 laptop, 1920×1080 projector, 1024×768 old beamer), against a real server on
 * the built client (run `vite build` first). For looking at, not for asserting: tests assert.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { ROUTES } from '../../shared/api.ts'
import { cacheForgedTable } from '../helpers/browser.ts'
import { DIST, launchBrowser } from '../helpers/chromium.ts'
import { createWorkshop, removeTempDirs, startTestServer } from '../helpers/server.ts'
import { reportMeeting } from '../helpers/report-meeting.ts'

const SIZES = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
  { width: 1024, height: 768 },
] as const
const CREATE_KEY = 'organiser-key-for-shots'
/** A card drawn in full: a culled card's shell is an empty element of no size (CardShell.tsx). */
const DRAWN_CARD = '[data-testid="card"]:not(.is-culled)'

type Scene = (
  page: Page,
  ctx: { url: string; keyedUrl: string; ws: Awaited<ReturnType<typeof createWorkshop>> },
) => Promise<void>

/** Fills in the join page and sends it; the board opens next. */
async function submitJoin(page: Page, url: string, code: string, name: string) {
  await page.goto(`${url}${ROUTES.join(code)}`)
  await page.getByTestId('join-name').fill(name)
  await page.getByTestId('join-table-inwoner').check()
  await page.getByTestId('join-submit').click()
}

/** The board socket opens but what the server sends is dropped: the board before its first sync. */
async function withholdBoard(page: Page) {
  await page.routeWebSocket(/\/ws\/.*\/board$/, (route) =>
    route.connectToServer().onMessage(() => undefined),
  )
}

async function joinAs(page: Page, url: string, code: string, name: string) {
  await submitJoin(page, url, code, name)
  // the board's frame shows before its first sync; the shot is of the board as it then is
  await page.getByTestId('zone-inwoner').waitFor()
}

/** Scenes named `meeting-...` get a workshop in full swing: rich cards at every table, tasks, two revealed rounds. */
const MEETING = 'meeting-'

const scenes: Record<string, Scene> = {
  // the start page of a public server (CREATE_KEY set) asks for the organiser key
  'home-organiser-key': async (page, { keyedUrl }) => {
    await page.goto(keyedUrl)
    await page.getByLabel('Organisatorsleutel').waitFor()
  },
  'facilitator-board': async (page, { url, ws }) => {
    await page.goto(`${url}${ROUTES.facilitate(ws.id, ws.facilitatorKey)}`)
    await page.getByTestId('facilitator-panel').waitFor()
    await page.getByTestId('fac-join-code').waitFor()
  },
  'facilitator-board-loading': async (page, { url, ws }) => {
    await withholdBoard(page)
    await page.goto(`${url}${ROUTES.facilitate(ws.id, ws.facilitatorKey)}`)
    await page.getByTestId('board-loading').waitFor()
  },
  'organiser-settings': async (page, { url, ws }) => {
    await page.goto(`${url}${ROUTES.facilitate(ws.id, ws.facilitatorKey)}`)
    await page.getByTestId('facilitator-panel').waitFor()
    await page.getByTestId('org-menu').click()
    await page.getByTestId('settings-title').waitFor()
  },
  projector: async (page, { url, ws }) => {
    await page.goto(`${url}${ROUTES.present(ws.id, ws.joinCode)}`)
    await page.getByTestId('join-qr').waitFor()
  },
  'participant-board-loading': async (page, { url, ws }) => {
    await withholdBoard(page)
    await submitJoin(page, url, ws.joinCode, 'Inge')
    await page.getByTestId('board-loading').waitFor()
  },
  'participant-writing': async (page, { url, ws }) => {
    // the meeting's core action: a new card's editor with a few lines typed
    await joinAs(page, url, ws.joinCode, 'Inge')
    await page.getByRole('button', { name: 'Toekomstbeeld toevoegen aan tafel Inwoner' }).click()
    const text = page.getByRole('dialog').getByRole('textbox')
    await text.waitFor()
    await text.pressSequentially('Over vijf jaar weten inwoners de weg naar ')
    await page.keyboard.press('Control+b')
    await text.pressSequentially('één loket')
    await page.keyboard.press('Control+b')
    await text.pressSequentially('.')
    await page.keyboard.press('Enter')
    await text.pressSequentially('- gedeelde kennis en data')
  },
  'meeting-participant-list': async (page, { url, ws }) => {
    // the board as a list: the keyboard and screen-reader view of the same meeting
    await joinAs(page, url, ws.joinCode, 'Inge')
    await page.getByTestId('view-list').click()
    await page.getByTestId('list-table').first().waitFor()
  },
  'participant-board': async (page, { url, ws }) => {
    await joinAs(page, url, ws.joinCode, 'Inge')
  },
  'meeting-participant-board': async (page, { url, ws }) => {
    await joinAs(page, url, ws.joinCode, 'Inge')
    await page.locator(DRAWN_CARD).first().waitFor()
  },
  'meeting-facilitator-board': async (page, { url, ws }) => {
    await page.goto(`${url}${ROUTES.facilitate(ws.id, ws.facilitatorKey)}`)
    await page.getByTestId('facilitator-panel').waitFor()
    await page.locator(DRAWN_CARD).first().waitFor()
  },
  'meeting-projector': async (page, { url, ws }) => {
    await page.goto(`${url}${ROUTES.present(ws.id, ws.joinCode)}`)
    // whichever scene the meeting left on screen (its last round's results)
    await page.getByTestId('present-view').waitFor()
  },
  'refused-edit-toast': async (page, { url, ws }) => {
    await joinAs(page, url, ws.joinCode, 'Inge')
    // a table only facilitators may add, left in the tab's offline cache as if made offline
    await cacheForgedTable(page, ws.id, 'forged')
    await page.reload()
    await page.locator('[data-testid="notice"][data-code="FORBIDDEN"]').waitFor()
  },
}

async function main() {
  const out = path.resolve(process.argv[2] ?? 'shots')
  const only = process.argv.slice(3)
  fs.mkdirSync(out, { recursive: true })
  const server = await startTestServer({ staticDir: DIST })
  const keyed = await startTestServer({ staticDir: DIST, createKey: CREATE_KEY })
  const browser: Browser = await launchBrowser()
  try {
    for (const [name, scene] of Object.entries(scenes)) {
      if (only.length && !only.includes(name)) continue
      for (const size of SIZES) {
        // a fresh workshop per shot, so one scene's edits never show in the next
        const cleanups: (() => unknown)[] = []
        const ws = name.startsWith(MEETING)
          ? (await reportMeeting(server, (fn) => void cleanups.push(fn))).ws
          : await createWorkshop(server.url, 'Leertuin Participatie')
        const ctx = await browser.newContext({ locale: 'nl-NL', viewport: size })
        const page = await ctx.newPage()
        try {
          await scene(page, { url: server.url, keyedUrl: keyed.url, ws })
          const file = path.join(out, `${name}-${size.width}x${size.height}.png`)
          await page.screenshot({ path: file })
          console.log(file)
        } finally {
          await ctx.close()
          for (const fn of cleanups.reverse()) await fn()
        }
      }
    }
  } finally {
    await browser.close()
    await server.close()
    await keyed.close()
    removeTempDirs()
  }
}

await main()
