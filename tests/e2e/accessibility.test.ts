import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { ROUND_API, ROUTES } from '../../shared/api.ts'
import { addTask } from '../../shared/tasks.ts'
import { CardEditScope, addCard, listCards } from '../../shared/schema.ts'
import { MAX_SCALE, MIN_SCALE, ZOOM_STEP } from '../../client/model/viewport.ts'
import { createWorkshop, lookup, setBoardPolicy } from '../helpers/server.ts'
import { connectClient, live, saved } from '../helpers/clients.ts'
import { useBrowser, newParticipantContext, startAppServer, watchPage } from '../helpers/browser.ts'
import { seriousViolations } from '../helpers/axe.ts'
import { SEED_TASKS, SEED_VISIONS, makeCard } from '../fixtures/builders.ts'
import { until } from '../helpers/wait.ts'
import { useCleanups } from '../helpers/lifecycle.ts'

const browser = useBrowser()
const track = useCleanups()
/**
 * '-' presses that reach the smallest zoom from any zoom the board may start at (a participant's
 * landing view is at most 100 %, e.g. 100 % at 1280 px with the drawers closed; a fit up to MAX_SCALE).
 */
const STEPS_TO_MIN_ZOOM = Math.ceil(Math.log(MAX_SCALE / MIN_SCALE) / Math.log(ZOOM_STEP))

async function seededWorkshop() {
  const server = await startAppServer()
  track(() => server.close())
  const ws = await createWorkshop(server.url, 'Leertuin Participatie')
  const info = await lookup(server.url, ws.joinCode)
  const fac = connectClient(server.wsUrl, ws.id, { kind: 'facilitator', key: ws.facilitatorKey })
  track(() => fac.destroy())
  await live(fac)
  info.tables.forEach((t, i) =>
    addCard(
      fac.board,
      makeCard({
        id: `v${i}`,
        table: t.id,
        text: Object.values(SEED_VISIONS)[i]!,
        x: t.x + 24,
        y: 110,
      }),
    ),
  )
  SEED_TASKS.slice(0, 3).forEach((title, i) =>
    addTask(fac.board, { id: `t${i}`, title, origin: [], author: 'f', created: i }),
  )
  await saved(fac)
  return { server, ws, info, fac }
}

async function openPage(url: string) {
  const ctx = await newParticipantContext(browser())
  track(() => ctx.close())
  const page = await ctx.newPage()
  const watch = watchPage(page)
  await page.goto(url)
  return { page, watch }
}

async function joinAs(page: Page, name: string, perspective: string) {
  await page.getByTestId('join-name').fill(name)
  await page.getByTestId(`join-table-${perspective}`).check()
  await page.getByTestId('join-submit').click()
  await page.getByTestId('board').waitFor()
}

const axeClean = async (page: Page, screen: string) => {
  const found = await seriousViolations(page)
  expect(found, `${screen}: ${JSON.stringify(found, null, 1)}`).toEqual([])
}

describe('accessibility and privacy (Chromium)', () => {
  it('every screen has no serious or critical axe violations (WCAG 2.0/2.1/2.2 A and AA)', async () => {
    const { server, ws } = await seededWorkshop()
    const home = await openPage(server.url + ROUTES.home)
    await home.page.getByTestId('create-title').waitFor()
    await axeClean(home.page, 'home')

    const join = await openPage(server.url + ROUTES.join(ws.joinCode))
    await join.page.getByTestId('join-name').waitFor()
    await axeClean(join.page, 'join')
    await joinAs(join.page, 'Anna', 'inwoner')
    await join.page.getByTestId('card').first().waitFor()
    await axeClean(join.page, 'board')
    // English labels are longer: the zone buttons must still keep 24 px targets at the fit zoom
    await join.page.getByRole('button', { name: /^EN/ }).click()
    await join.page.locator('html[lang="en"]').waitFor()
    await join.page.getByTestId('add-need-inwoner').filter({ hasText: 'What is needed' }).waitFor()
    await axeClean(join.page, 'board (English)')
    // and at the smallest zoom, every add button is still at least 24 × 24 px on screen
    await join.page.getByTestId('board').focus()
    for (let i = 0; i < STEPS_TO_MIN_ZOOM; i++) await join.page.keyboard.press('-')
    await join.page.getByText('Zoom 10%').waitFor()
    const boxes = await join.page
      .locator('.zone-actions button')
      .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect))
    expect(boxes).toHaveLength(6)
    for (const box of boxes) expect(Math.min(box.width, box.height)).toBeGreaterThanOrEqual(24)
    await axeClean(join.page, 'board (English) at 10 %')
    await join.page.getByRole('button', { name: /^NL/ }).click()
    await join.page.locator('html[lang="nl"]').waitFor()

    await join.page.goto(server.url + ROUTES.list(ws.id))
    await join.page.getByTestId('list-view').waitFor()
    await axeClean(join.page, 'list view')

    const fac = await openPage(server.url + ROUTES.facilitate(ws.id, ws.facilitatorKey))
    await fac.page.getByTestId('facilitator-panel').waitFor()
    await axeClean(fac.page, 'facilitator')

    const projector = await openPage(server.url + ROUTES.present(ws.id, ws.joinCode))
    await projector.page.getByTestId('present-view').waitFor()
    await axeClean(projector.page, 'projector')

    const replay = await openPage(server.url + ROUTES.replay(ws.id, ws.facilitatorKey))
    await replay.page.getByTestId('replay-scrubber').waitFor()
    await axeClean(replay.page, 'replay')
  })

  it('keyboard only: create a card, edit it, move it to another table and vote, with no pointer event', async () => {
    const { server, ws, info, fac } = await seededWorkshop()
    // moving a card to another table needs a board open to everyone (the default is own table)
    await setBoardPolicy(server.url, ws, { cardScope: CardEditScope.Everyone })
    const ctx = await newParticipantContext(browser())
    track(() => ctx.close())
    // counts every pointer-ish event on every page load of this context
    await ctx.addInitScript(() => {
      const w = window as unknown as { __pointer: number }
      w.__pointer = 0
      for (const type of ['pointerdown', 'mousedown', 'touchstart']) {
        window.addEventListener(type, () => w.__pointer++, true)
      }
    })
    const page = await ctx.newPage()
    const watch = watchPage(page)
    await page.goto(server.url + ROUTES.join(ws.joinCode))
    // join: type the name, pick a table with arrow keys, submit with Enter
    await page.getByTestId('join-name').focus()
    await page.keyboard.type('Karin')
    await page.getByTestId('join-table-inwoner').focus()
    await page.keyboard.press('Space')
    await page.getByTestId('join-submit').focus()
    await page.keyboard.press('Enter')
    await page.getByTestId('board').waitFor()

    // create and edit
    await page.getByTestId('add-vision-inwoner').focus()
    await page.keyboard.press('Enter')
    const editor = page.getByTestId('card-editor').locator('[contenteditable="true"]')
    await editor.waitFor()
    await editor.focus()
    await page.keyboard.type('Met het toetsenbord gemaakt')
    await page.keyboard.press('Escape')
    await until('card saved on the server', [[fac.board, 'update']], () =>
      listCards(fac.board).some((c) => c.id !== 'v0' && c.table === info.tables[0]!.id),
    )
    const id = listCards(fac.board).find((c) => !c.id.startsWith('v'))!.id

    // move it to the next table with the card's own control: choosing a table moves nothing
    // (WCAG 3.2.2), the Move button does
    const card = page.locator(`[data-testid="card"][data-card-id="${id}"]`)
    await card.focus()
    const select = card.getByTestId('card-move-select')
    await select.focus()
    await page.keyboard.press('ArrowDown')
    await page
      .locator(`[data-card-id="${id}"] [data-testid="card-move-select"]`)
      .and(page.locator(`:has(option[value="${info.tables[1]!.id}"]:checked)`))
      .waitFor()
    await page.keyboard.press('Tab')
    await card.getByTestId('card-move').and(page.locator(':focus')).waitFor()
    expect(await card.getAttribute('data-table-id')).toBe(info.tables[0]!.id)
    await page.keyboard.press('Enter')
    await until(
      'card moved to management',
      [[fac.board, 'update']],
      () => listCards(fac.board).find((c) => c.id === id)?.table === info.tables[1]!.id,
    )
    // focus is back on the card, which the view followed to its new table
    await card.and(page.locator(':focus')).waitFor()

    // vote
    const res = await fetch(server.url + ROUND_API.open(ws.id), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ws.facilitatorKey}` },
      body: JSON.stringify({ kind: 'dots', taskIds: ['t0', 't1', 't2'] }),
    })
    expect(res.status).toBe(201)
    // drawers start closed for a participant at 1280 px: the round's cue opens the ballot
    await page.getByRole('button', { name: 'Naar de stemming' }).focus()
    await page.keyboard.press('Enter')
    await page.getByTestId('ballot').waitFor()
    for (const n of [0, 1, 1]) {
      await page.getByTestId('ballot-plus').nth(n).focus()
      await page.keyboard.press('Enter')
    }
    await page.getByTestId('ballot-submit').focus()
    await page.keyboard.press('Enter')
    await page.getByTestId('ballot-saved').waitFor()

    expect(await page.evaluate(() => (window as unknown as { __pointer: number }).__pointer)).toBe(
      0,
    )
    expect(watch.errors).toEqual([])
  })

  it('a full session requests nothing from any host but the app’s own', async () => {
    const { server, ws } = await seededWorkshop()
    const origin = new URL(server.url).host
    const { page, watch } = await openPage(server.url + ROUTES.join(ws.joinCode))
    await joinAs(page, 'Bram', 'management')
    await page.getByTestId('add-need-management').click()
    await page.getByTestId('card-editor').locator('[contenteditable="true"]').waitFor()
    await page.keyboard.type('Geen trackers')
    await page.keyboard.press('Escape')
    const projector = await openPage(server.url + ROUTES.present(ws.id, ws.joinCode))
    await projector.page.getByTestId('present-view').waitFor()
    await projector.page.getByTestId('join-qr').waitFor()
    const fac = await openPage(server.url + ROUTES.facilitate(ws.id, ws.facilitatorKey))
    await fac.page.getByTestId('facilitator-panel').waitFor()
    const all = [...watch.requests, ...projector.watch.requests, ...fac.watch.requests]
    expect(all.length).toBeGreaterThan(5)
    const foreign = all.filter(
      (u) => !u.startsWith('data:') && !u.startsWith('blob:') && new URL(u).host !== origin,
    )
    expect(foreign).toEqual([])
  })
})
