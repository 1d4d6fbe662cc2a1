/**
 * [issue 14 points 2, 4, 5] One undo per person in Chromium: text typed in the editor panel, a
 * card moved and a principle added are one history, undone newest first from the board toolbar,
 * the editor's toolbar and Ctrl+Z in the text alike, each control naming the step it will undo.
 * Escape cancels a move (pointer and keyboard) and leaves nothing behind. The list view keeps the
 * board's slot order and asks before deleting someone else's card.
 */
import { describe, expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import { columnsOf } from '../../shared/layout.ts'
import { type Table, addCard, cardBody, listCards } from '../../shared/schema.ts'
import { plainText } from '../../shared/richtext.ts'
import { listPrinciples } from '../../shared/tasks.ts'
import type { WorkshopConnection } from '../../client/sync/connection.ts'
import { joinInwonerBoard, startAppServer, useBrowser } from '../helpers/browser.ts'
import { saved } from '../helpers/clients.ts'
import { useCleanups } from '../helpers/lifecycle.ts'
import { facilitatedWorkshop } from '../helpers/scenario.ts'
import { setBoardPolicy } from '../helpers/server.ts'
import { until } from '../helpers/wait.ts'
import { seriousViolations } from '../helpers/axe.ts'
import { makeCard } from '../fixtures/builders.ts'

const browser = useBrowser()
const track = useCleanups()

/**
 * Three vision cards at the Inwoner table, in slot order A, B, C (created in another order, so
 * a list in creation order would differ), and one need card; principles open to participants.
 */
async function meeting() {
  const server = await startAppServer()
  track(() => server.close())
  const { ws, info, fac } = await facilitatedWorkshop(server, track)
  const inwoner = info.tables[0]!
  const seed = [
    { id: 'cB', text: 'Kaart B', order: 2, created: 1 },
    { id: 'cC', text: 'Kaart C', order: 3, created: 2 },
    { id: 'cA', text: 'Kaart A', order: 1, created: 3 },
  ]
  for (const c of seed)
    addCard(fac.board, makeCard({ ...c, table: inwoner.id, x: inwoner.x + 24, y: inwoner.y + 110 }))
  addCard(
    fac.board,
    makeCard({ id: 'cN', kind: 'need', text: 'Nodig N', order: 1, created: 0, table: inwoner.id }),
  )
  await saved(fac)
  await setBoardPolicy(server.url, ws, { sharedTextOpen: true })
  return { server, ws, fac, inwoner }
}

const textOf = (fac: WorkshopConnection, id: string) => {
  const f = cardBody(fac.board, id)
  return f ? plainText(f) : ''
}
const visionOrder = (fac: WorkshopConnection, table: Table) =>
  columnsOf(table.id, listCards(fac.board))[0].map((c) => c.id)
const card = (page: Page, text: string) => page.getByRole('group', { name: new RegExp(text) })
const undoButton = (page: Page) => page.getByTestId('undo')
/** The board toolbar's undo or redo (the editor's toolbar has its own, named the same). */
const boardButton = (page: Page, testId: 'undo' | 'redo', name: string) =>
  page.getByTestId(testId).and(page.getByRole('button', { name, exact: true }))
const announced = (page: Page, text: string) =>
  page.getByTestId('announcer').filter({ hasText: text }).waitFor()

/** Where the layout put a card on the board (world px): unlike its screen box, the view following a keyboard-moved card does not change it. */
const slot = (l: Locator) => l.evaluate((el) => el.style.translate)

async function box(l: Locator) {
  const b = await l.boundingBox()
  if (!b) throw new Error('not on screen')
  return b
}

describe('one undo per person (Chromium)', () => {
  it('text typed in the editor, a card moved and a principle added undo newest first, from any of the three controls', async () => {
    const { server, ws, fac, inwoner } = await meeting()
    const anna = await joinInwonerBoard(browser(), server.url, ws.joinCode, track)
    expect(await undoButton(anna).isDisabled()).toBe(true)

    // 1. she types in card A's editor panel
    await card(anna, 'Kaart A').focus()
    await anna.keyboard.press('Enter')
    const dialog = anna.getByRole('dialog', { name: 'Kaart bewerken: Toekomstbeeld' })
    const text = dialog.getByRole('textbox', { name: /Tekst van de kaart/ })
    await text.waitFor()
    await anna.keyboard.press('End')
    await anna.keyboard.type(' en meer')
    await until('the text on the server', [[fac.board, 'update']], () =>
      textOf(fac, 'cA').endsWith(' en meer'),
    )
    await boardButton(anna, 'undo', 'Ongedaan maken: kaarttekst bewerken').waitFor()
    await anna.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })

    // 2. she moves card B one slot down (below C) with the keyboard
    await card(anna, 'Kaart B').focus()
    await anna.keyboard.press('ArrowDown')
    await until(
      'B below C on the server',
      [[fac.board, 'update']],
      () => visionOrder(fac, inwoner).join() === 'cA,cC,cB',
    )
    await boardButton(anna, 'undo', 'Ongedaan maken: kaart verplaatsen').waitFor()

    // 3. she adds a principle in the side panel
    await anna.getByTestId('drawer-tab-side').click()
    await anna.getByTestId('principle-input').fill('Samen beslissen')
    await anna.getByTestId('principle-add').click()
    await until('the principle on the server', [[fac.board, 'update']], () =>
      listPrinciples(fac.board).some((p) => p.text === 'Samen beslissen'),
    )

    // undo 1, the board toolbar: the principle goes, nothing else
    await boardButton(anna, 'undo', 'Ongedaan maken: uitgangspunt toevoegen').click()
    await until(
      'the principle gone on the server',
      [[fac.board, 'update']],
      () => listPrinciples(fac.board).length === 0,
    )
    await announced(anna, 'Ongedaan gemaakt: uitgangspunt toevoegen')
    expect(visionOrder(fac, inwoner).join()).toBe('cA,cC,cB')
    expect(textOf(fac, 'cA')).toBe('Kaart A en meer')

    // undo 2, the editor panel's toolbar (the same history): the move goes back
    await card(anna, 'Kaart A').focus()
    await anna.keyboard.press('Enter')
    await text.waitFor()
    const panelUndo = dialog
      .getByRole('toolbar', { name: 'Opmaak' })
      .getByRole('button', { name: 'Ongedaan maken: kaart verplaatsen', exact: true })
    await panelUndo.click()
    await until(
      'B back above C on the server',
      [[fac.board, 'update']],
      () => visionOrder(fac, inwoner).join() === 'cA,cB,cC',
    )
    await announced(anna, 'Ongedaan gemaakt: kaart verplaatsen')
    expect(textOf(fac, 'cA')).toBe('Kaart A en meer')
    expect(listPrinciples(fac.board)).toEqual([])

    // undo 3, Ctrl+Z in the text: her typing goes
    await dialog
      .getByRole('toolbar', { name: 'Opmaak' })
      .getByRole('button', { name: 'Ongedaan maken: kaarttekst bewerken', exact: true })
      .waitFor()
    await text.click()
    await anna.keyboard.press('Control+z')
    await until(
      'the typing gone on the server',
      [[fac.board, 'update']],
      () => textOf(fac, 'cA') === 'Kaart A',
    )
    await announced(anna, 'Ongedaan gemaakt: kaarttekst bewerken')
    expect(visionOrder(fac, inwoner).join()).toBe('cA,cB,cC')
    // nothing of hers is left to undo; redo names the latest undone step
    await undoButton(anna).and(anna.locator(':disabled')).waitFor()
    await boardButton(anna, 'redo', 'Opnieuw: kaarttekst bewerken').waitFor()
    expect(
      listCards(fac.board)
        .map((c) => c.id)
        .sort(),
    ).toEqual(['cA', 'cB', 'cC', 'cN'])
    expect(await seriousViolations(anna)).toEqual([])
  })
})

describe('Escape cancels a move (Chromium)', () => {
  it('a pointer drag: the card goes back to its slot and nothing is written', async () => {
    const { server, ws, fac, inwoner } = await meeting()
    const anna = await joinInwonerBoard(browser(), server.url, ws.joinCode, track)
    const b = card(anna, 'Kaart B')
    const before = await box(b)
    const target = await box(card(anna, 'Nodig N'))
    await anna.mouse.move(before.x + before.width / 2, before.y + 12)
    await anna.mouse.down()
    await anna.mouse.move(target.x + target.width / 2, target.y + target.height + 20, { steps: 8 })
    await b.and(anna.locator('.is-dragging')).waitFor()
    await anna.keyboard.press('Escape')
    await b.and(anna.locator('.is-dragging')).waitFor({ state: 'detached' })
    await anna.mouse.up()
    // back where it was, in the same slot
    expect(await box(b)).toEqual(before)
    // nothing written: no step of hers to undo, and the server has the cards as seeded
    expect(await undoButton(anna).isDisabled()).toBe(true)
    await saved(fac)
    expect(visionOrder(fac, inwoner).join()).toBe('cA,cB,cC')
    expect(listCards(fac.board).find((c) => c.id === 'cB')?.kind).toBe('vision')
  })

  it('a keyboard move: Escape takes every step back, out of the history too', async () => {
    const { server, ws, fac, inwoner } = await meeting()
    const anna = await joinInwonerBoard(browser(), server.url, ws.joinCode, track)
    const a = card(anna, 'Kaart A')
    const before = await slot(a)
    await a.focus()
    await anna.keyboard.press('ArrowDown')
    await anna.keyboard.press('ArrowDown')
    await until(
      'A at the bottom on the server',
      [[fac.board, 'update']],
      () => visionOrder(fac, inwoner).join() === 'cB,cC,cA',
    )
    await anna.keyboard.press('Escape')
    await until(
      'A back on top on the server',
      [[fac.board, 'update']],
      () => visionOrder(fac, inwoner).join() === 'cA,cB,cC',
    )
    await announced(anna, 'Verplaatsen geannuleerd')
    await a.and(anna.locator(':focus')).waitFor()
    expect(await slot(a)).toEqual(before)
    // as if the move never happened: nothing to undo, nothing to redo
    expect(await undoButton(anna).isDisabled()).toBe(true)
    expect(await anna.getByTestId('redo').isDisabled()).toBe(true)
  })
})

describe('list view (Chromium)', () => {
  it("shows a table's cards in the board's slot order and asks before deleting someone else's card", async () => {
    const { server, ws, fac } = await meeting()
    const anna = await joinInwonerBoard(browser(), server.url, ws.joinCode, track)
    await anna.getByTestId('view-list').click()
    const table = anna.getByTestId('list-table').first()
    await table.getByTestId('list-card').first().waitFor()
    const texts = (await table.getByTestId('list-card').allTextContents()).map(
      (t) => /Kaart [ABC]|Nodig N/.exec(t)?.[0],
    )
    expect(texts).toEqual(['Kaart A', 'Kaart B', 'Kaart C', 'Nodig N'])

    // the facilitator's card is someone else's: the list asks first, Cancel keeps it
    const item = table.getByTestId('list-card').filter({ hasText: 'Kaart B' })
    await item.getByTestId('list-delete').click()
    const dialog = anna.getByRole('dialog', { name: 'Kaart van iemand anders verwijderen?' })
    await dialog.waitFor()
    expect(await seriousViolations(anna)).toEqual([])
    await dialog.getByRole('button', { name: 'Annuleren' }).click()
    await dialog.waitFor({ state: 'detached' })
    await item.getByTestId('list-delete').and(anna.locator(':focus')).waitFor()
    const author = listCards(fac.board).find((c) => c.id === 'cB')?.author
    expect(author).toBeTruthy()
    await item.getByTestId('list-delete').click()
    await dialog.getByRole('button', { name: 'Kaart verwijderen' }).click()
    await until(
      'the card deleted on the server',
      [[fac.board, 'update']],
      () => !listCards(fac.board).some((c) => c.id === 'cB'),
    )
    // and her undo there names it and brings it back, still the facilitator's card
    await anna.getByRole('button', { name: 'Ongedaan maken: kaart verwijderen' }).click()
    await until('the card back on the server', [[fac.board, 'update']], () =>
      listCards(fac.board).some((c) => c.id === 'cB'),
    )
    await saved(fac)
    expect(listCards(fac.board).find((c) => c.id === 'cB')?.author).toBe(author)
  })
})
