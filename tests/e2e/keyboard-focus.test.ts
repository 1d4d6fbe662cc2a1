import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { ROUTES } from '../../shared/api.ts'
import { CardEditScope, addCard, listCards } from '../../shared/schema.ts'
import { setBoardPolicy } from '../helpers/server.ts'
import { useBrowser, startAppServer, joinInwonerBoard } from '../helpers/browser.ts'
import { saved } from '../helpers/clients.ts'
import { useCleanups } from '../helpers/lifecycle.ts'
import { facilitatedWorkshop } from '../helpers/scenario.ts'
import { until } from '../helpers/wait.ts'
import { makeCard } from '../fixtures/builders.ts'

const browser = useBrowser()
const track = useCleanups()

/** Cards seeded by the facilitator: [id, table index, x offset in the zone, y]. */
type Seed = [string, number, number, number]

/** Someone else's card asks before it is deleted (issue #14): answer yes with the keyboard. */
async function confirmDeleteByKeyboard(page: Page) {
  const dialog = page.getByRole('dialog', { name: 'Kaart van iemand anders verwijderen?' })
  await dialog.getByRole('button', { name: 'Annuleren' }).and(page.locator(':focus')).waitFor()
  await page.keyboard.press('Shift+Tab')
  await dialog
    .getByRole('button', { name: 'Kaart verwijderen' })
    .and(page.locator(':focus'))
    .waitFor()
  await page.keyboard.press('Enter')
}

async function boardWith(seeds: Seed[]) {
  const server = await startAppServer()
  track(() => server.close())
  const { ws, info, fac } = await facilitatedWorkshop(server, track)
  // Anna moves cards to other tables here: the board is open to everyone (the default is own table)
  await setBoardPolicy(server.url, ws, { cardScope: CardEditScope.Everyone })
  seeds.forEach(([id, table, dx, y], i) => {
    const tb = info.tables[table]!
    addCard(
      fac.board,
      makeCard({ id, table: tb.id, x: tb.x + dx, y, text: `Kaart ${id}`, created: i + 1 }),
    )
  })
  await saved(fac)
  const page = await joinInwonerBoard(browser(), server.url, ws.joinCode, track)
  for (const [id] of seeds)
    await page.locator(`[data-testid="card"][data-card-id="${id}"]`).waitFor({ state: 'attached' })
  return { server, ws, info, fac, page }
}

/** Waits until document.activeElement matches the selector. */
const focusOn = (page: Page, selector: string) =>
  page.waitForFunction((sel) => document.activeElement?.matches(sel) ?? false, selector)

const card = (id: string) => `[data-testid="card"][data-card-id="${id}"]`

/** Whether the card is drawn in full and lies inside the canvas. */
const drawnInCanvas = (sel: string) => {
  const el = document.querySelector(sel)
  const canvas = document.querySelector('[data-testid="board"]')
  if (!el || !canvas || el.classList.contains('is-culled')) return false
  const r = el.getBoundingClientRect()
  const c = canvas.getBoundingClientRect()
  return r.left >= c.left && r.right <= c.right && r.top >= c.top && r.bottom <= c.bottom
}

/** Waits until the card is drawn in full and lies inside the canvas. */
const inView = (page: Page, id: string) => page.waitForFunction(drawnInCanvas, card(id))
const fullyInView = (page: Page, id: string) => page.evaluate(drawnInCanvas, card(id))

/** More zoom steps than any canvas width needs to push the first table out of the view. */
const MAX_ZOOM_STEPS = 12
/** Arrow-key pans (60 px each) that bring a card at the top of a table into view at any zoom. */
const MAX_PAN_STEPS = 10

describe('keyboard focus on the board (Chromium)', () => {
  it('deleting, undoing and redoing hand focus to the next card at the table, else its add button', async () => {
    const { page, fac } = await boardWith([
      ['c1', 0, 24, 110],
      ['c2', 0, 268, 110],
    ])
    // Delete on the first card: the next card at that table gets focus (the facilitator wrote
    // it, so the delete asks first: focus starts on Cancel, Shift+Tab reaches the delete)
    await page.locator(card('c1')).focus()
    await page.keyboard.press('Delete')
    await confirmDeleteByKeyboard(page)
    await focusOn(page, card('c2'))

    // undo brings c1 back without taking focus; redo deletes it again while it has focus
    await page.keyboard.press('Control+z')
    await page.locator(card('c1')).waitFor()
    await focusOn(page, card('c2'))
    await page.locator(card('c1')).focus()
    await page.keyboard.press('Control+y')
    await page.locator(card('c1')).waitFor({ state: 'detached' })
    await focusOn(page, card('c2'))

    // a new card, then undo of its text and its creation while it has focus: back to its neighbour
    await page.getByTestId('add-need-inwoner').focus()
    await page.keyboard.press('Enter')
    const editor = page.getByTestId('card-editor').locator('[contenteditable="true"]')
    await editor.waitFor()
    await page.keyboard.type('Wordt ongedaan gemaakt')
    await page.keyboard.press('Escape')
    const added = await page.evaluate(() => document.activeElement?.getAttribute('data-card-id'))
    expect(added).toBeTruthy()
    expect(added).not.toBe('c2')
    // undo follows the order things were done: first the text typed last, then the card itself
    await page.keyboard.press('Control+z')
    await page.locator(card(added!)).filter({ hasNotText: 'Wordt ongedaan gemaakt' }).waitFor()
    await page.keyboard.press('Control+z')
    await page.locator(card(added!)).waitFor({ state: 'detached' })
    await focusOn(page, card('c2'))

    // the last card at the table goes (with the delete button this time): its add button
    await page.locator(card('c2')).focus()
    await page.locator(card('c2')).getByRole('button', { name: 'Kaart verwijderen' }).focus()
    await page.keyboard.press('Enter')
    await confirmDeleteByKeyboard(page)
    await focusOn(page, '[data-testid="add-vision-inwoner"]')
    await until('deletes saved', [[fac.board, 'update']], () => listCards(fac.board).length === 0)
  })

  it('the list view: Escape in the editor returns to the card’s edit button; a delete to the next card', async () => {
    const { page, server, ws } = await boardWith([
      ['c1', 0, 24, 110],
      ['c2', 0, 268, 110],
    ])
    await page.goto(server.url + ROUTES.list(ws.id))
    await page.getByTestId('list-view').waitFor()
    const first = page.locator('[data-testid="list-card"][data-card-id="c1"]')
    await first.getByTestId('list-edit').focus()
    await page.keyboard.press('Enter')
    await first.getByTestId('card-editor').locator('[contenteditable="true"]').waitFor()
    await focusOn(page, '[data-card-id="c1"] [contenteditable="true"]')
    await page.keyboard.type(' met toetsenbord')
    await page.keyboard.press('Escape')
    await first.getByTestId('card-editor').waitFor({ state: 'detached' })
    await focusOn(page, '[data-card-id="c1"] [data-testid="list-edit"]')

    // the cards are the facilitator's: the list asks first, as the canvas does (issue #14)
    const confirm = async () => {
      const yes = page.getByRole('dialog').getByRole('button', { name: 'Kaart verwijderen' })
      await yes.focus()
      await page.keyboard.press('Enter')
    }
    await first.getByTestId('list-delete').focus()
    await page.keyboard.press('Enter')
    await confirm()
    await focusOn(page, '[data-testid="list-card"][data-card-id="c2"]')
    await page.locator('[data-card-id="c2"] [data-testid="list-delete"]').focus()
    await page.keyboard.press('Enter')
    await confirm()
    const inwoner = await page
      .locator('[data-testid="list-table"]')
      .first()
      .getAttribute('data-table-id')
    await focusOn(page, `[data-testid="list-add"][data-add-for="${inwoner}"]`)
  })

  it('cards outside the view stay in the tab order; the view pans to a focused card and follows it', async () => {
    const { page, info, fac } = await boardWith([
      ['c1', 0, 24, 110],
      ['c2', 0, 268, 110],
      ['c3', 1, 268, 150],
    ])
    // from the whole board (a participant lands on their own table), zoom in around c3 (the wheel
    // keeps the point under the pointer) until the first table's cards fall out of the view (how
    // many steps that takes depends on the canvas's width)
    await page.getByTestId('board').focus()
    await page.keyboard.press('0')
    const c3 = (await page.locator(card('c3')).boundingBox())!
    await page.mouse.move(c3.x + c3.width / 2, c3.y + c3.height / 2)
    const culled = () => page.locator(`${card('c2')}.is-culled`).count()
    for (let i = 0; i < MAX_ZOOM_STEPS && (await culled()) === 0; i++) {
      const before = await page.locator('.zoom-level').textContent()
      await page.mouse.wheel(0, -300)
      await page.waitForFunction(
        (text) => document.querySelector('.zoom-level')?.textContent !== text,
        before,
      )
    }
    await page.locator(`${card('c2')}.is-culled`).waitFor({ state: 'attached' })
    // a wide canvas shows less of the height at that zoom: pan up (arrow keys on the canvas) until
    // the middle table's card is in full view
    for (let i = 0; i < MAX_PAN_STEPS && !(await fullyInView(page, 'c3')); i++)
      await page.keyboard.press('ArrowUp')
    await inView(page, 'c3')
    expect(await page.getByTestId('card').count()).toBe(3)

    // Shift+Tab from the visible card reaches the culled one, which is drawn and panned into view
    await page.locator(card('c3')).focus()
    await page.keyboard.press('Shift+Tab')
    await focusOn(page, card('c2'))
    await inView(page, 'c2')

    // arrow keys step it through the slots to the next table and back, past the edge of the view
    // each way: it keeps focus and the view follows
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowRight')
    await until(
      'steps saved',
      [[fac.board, 'update']],
      () => listCards(fac.board).find((c) => c.id === 'c2')?.table === info.tables[1]!.id,
    )
    await focusOn(page, card('c2'))
    await inView(page, 'c2')
    await page.keyboard.press('ArrowLeft')
    await page.keyboard.press('ArrowLeft')
    await until(
      'steps back saved',
      [[fac.board, 'update']],
      () => listCards(fac.board).find((c) => c.id === 'c2')?.table === info.tables[0]!.id,
    )
    expect(await page.locator(card('c2')).getAttribute('data-table-id')).toBe(info.tables[0]!.id)
    await focusOn(page, card('c2'))
    await inView(page, 'c2')

    // move to the last table with the card's control: focus returns to the card, in view there
    await page.locator(card('c2')).getByTestId('card-move-select').focus()
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Tab')
    await focusOn(page, `${card('c2')} [data-testid="card-move"]`)
    await page.keyboard.press('Enter')
    await page.locator(`${card('c2')}[data-table-id="${info.tables[2]!.id}"]`).waitFor()
    await focusOn(page, card('c2'))
    await inView(page, 'c2')
    await until(
      'move saved',
      [[fac.board, 'update']],
      () => listCards(fac.board).find((c) => c.id === 'c2')?.table === info.tables[2]!.id,
    )
  })
})
