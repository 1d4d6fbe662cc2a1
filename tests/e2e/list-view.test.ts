import { describe, expect, it } from 'vitest'
import type { BrowserContextOptions, Page } from 'playwright-core'
import { ROUND_API, ROUTES } from '../../shared/api.ts'
import { setLockOnTimerEnd, writeTimer } from '../../shared/control.ts'
import { startTimer } from '../../shared/control-actions.ts'
import { addTask, listTasks } from '../../shared/tasks.ts'
import { addCard, listCards } from '../../shared/schema.ts'
import { PAGE_WAIT_MS, useBrowser, startAppServer, watchPage } from '../helpers/browser.ts'
import { seriousViolations } from '../helpers/axe.ts'
import { saved } from '../helpers/clients.ts'
import { useCleanups } from '../helpers/lifecycle.ts'
import { bearerFetch, facilitatedWorkshop } from '../helpers/scenario.ts'
import { until } from '../helpers/wait.ts'
import { SEED_TASKS, makeCard } from '../fixtures/builders.ts'

const browser = useBrowser()
const track = useCleanups()
/** The timer that locks the board runs out this long after it starts: enough to see the list editable first. */
const LOCK_AFTER_MS = 1500

async function workshop() {
  const server = await startAppServer()
  track(() => server.close())
  const { ws, info, fac } = await facilitatedWorkshop(server, track)
  addCard(
    fac.board,
    makeCard({
      id: 'c1',
      table: info.tables[0]!.id,
      x: info.tables[0]!.x + 24,
      y: 110,
      text: 'Eén loket',
    }),
  )
  SEED_TASKS.slice(0, 3).forEach((title, i) =>
    addTask(fac.board, { id: `t${i}`, title, origin: [], author: 'f', created: i }),
  )
  await saved(fac)
  return { server, ws, info, fac }
}

async function participantPage(opts: BrowserContextOptions = {}) {
  const ctx = await browser().newContext({
    locale: 'nl-NL',
    viewport: { width: 1280, height: 800 },
    ...opts,
  })
  ctx.setDefaultTimeout(PAGE_WAIT_MS)
  track(() => ctx.close())
  const page = await ctx.newPage()
  const watch = watchPage(page)
  track(() => expect(watch.errors).toEqual([]))
  return page
}

async function join(page: Page, base: string, code: string, name: string) {
  await page.goto(base + ROUTES.join(code))
  await page.getByTestId('join-name').fill(name)
  await page.getByTestId('join-table-inwoner').check()
  await page.getByTestId('join-submit').click()
}

const axeClean = async (page: Page, screen: string) => {
  const found = await seriousViolations(page)
  expect(found, `${screen}: ${JSON.stringify(found, null, 1)}`).toEqual([])
}

describe('list view (Chromium)', () => {
  it('turns read-only for participants when the timer runs out with lock-on-end', async () => {
    const { server, ws, fac } = await workshop()
    const page = await participantPage()
    await join(page, server.url, ws.joinCode, 'Anna')
    await page.getByTestId('board').waitFor()
    await page.goto(server.url + ROUTES.list(ws.id))
    await page.getByTestId('list-view').waitFor()
    await page.getByTestId('list-add').first().waitFor()
    await page.getByTestId('list-edit').first().waitFor()

    setLockOnTimerEnd(fac.control, true)
    writeTimer(fac.control, startTimer(LOCK_AFTER_MS, Date.now()))
    await saved(fac)
    await page.getByTestId('lock-banner').waitFor()
    for (const control of [
      'list-add',
      'list-edit',
      'list-move-select',
      'list-move',
      'list-delete',
      'undo',
    ]) {
      await page.getByTestId(control).first().waitFor({ state: 'detached' })
    }
    // the card is still there to read
    await page
      .locator('[data-testid="list-card"][data-card-id="c1"]')
      .filter({ hasText: 'Eén loket' })
      .waitFor()
  })

  it('at 375×740 a participant lands on the list, adds a card, votes and proposes a task; axe finds nothing serious', async () => {
    const { server, ws, info, fac } = await workshop()
    const page = await participantPage({
      viewport: { width: 375, height: 740 },
      isMobile: true,
      hasTouch: true,
    })
    await page.goto(server.url + ROUTES.join(ws.joinCode))
    await page.getByTestId('join-name').waitFor()
    await axeClean(page, 'join at 375 px')
    await join(page, server.url, ws.joinCode, 'Anna')
    await page.getByTestId('list-view').waitFor()
    expect(new URL(page.url()).pathname).toBe(ROUTES.list(ws.id))

    // add a card and type its text
    await page.locator(`[data-testid="list-add"][data-add-for="${info.tables[0]!.id}"]`).click()
    const editor = page.getByTestId('card-editor').locator('[contenteditable="true"]')
    await editor.waitFor()
    await page.keyboard.type('Vanaf de telefoon')
    await page.keyboard.press('Escape')
    await until('card saved', [[fac.board, 'update']], () =>
      listCards(fac.board).some((c) => c.id !== 'c1' && c.table === info.tables[0]!.id),
    )
    await page.getByTestId('list-card').filter({ hasText: 'Vanaf de telefoon' }).waitFor()

    // vote in the round the facilitator opens
    const res = await bearerFetch(server.url, ws.facilitatorKey)('POST', ROUND_API.open(ws.id), {
      kind: 'dots',
      taskIds: ['t0', 't1', 't2'],
    })
    expect(res.status).toBe(201)
    const ballot = page.getByTestId('list-vote').getByTestId('ballot')
    await ballot.waitFor()
    await axeClean(page, 'list view with a ballot at 375 px')
    for (const n of [0, 1, 1]) await ballot.getByTestId('ballot-plus').nth(n).click()
    await ballot.getByTestId('ballot-submit').click()
    await ballot.getByTestId('ballot-saved').waitFor()

    // the tasks, statement and principles are here too: propose a task from the phone
    const workshopPanels = page.getByTestId('list-workshop')
    await workshopPanels.getByTestId('task-title-input').fill('Wijkloket op zaterdag')
    await workshopPanels.getByTestId('task-add').click()
    await until('task reaches the facilitator', [[fac.board, 'update']], () =>
      listTasks(fac.board).some((task) => task.title === 'Wijkloket op zaterdag'),
    )
    await workshopPanels
      .getByTestId('task-item')
      .filter({ hasText: 'Wijkloket op zaterdag' })
      .waitFor()
    await axeClean(page, 'list view with tasks at 375 px')

    // the board stays one link away, and stays chosen
    await page.getByTestId('view-board').click()
    await page.getByTestId('board').waitFor()
    await page.reload()
    await page.getByTestId('board').waitFor()
    expect(new URL(page.url()).pathname).toBe(ROUTES.board(ws.id))
  })

  it('a 1280 px screen at 200 % zoom (640 CSS px) also opens the list for participants', async () => {
    const { server, ws } = await workshop()
    const page = await participantPage({
      viewport: { width: 640, height: 400 },
      deviceScaleFactor: 2,
    })
    await join(page, server.url, ws.joinCode, 'Bram')
    await page.getByTestId('list-view').waitFor()
    await page.locator('[data-testid="list-card"][data-card-id="c1"]').waitFor()
    await axeClean(page, 'list view at 640 CSS px')
  })
})
