/**
 * [issue 11 point 1, ux14] "Toon op scherm" on the card itself, in Chromium: the facilitator puts
 * one card on the projector from the card's own tools, by keyboard, and the projector shows it
 * in the spotlight scene; pressed again, the projector follows the meeting again; the list view's
 * card has the same button. Participants
 * have no such button (the projector is the facilitator's).
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { ROUTES } from '../../shared/api.ts'
import { PresentScene } from '../../shared/control.ts'
import { addCard } from '../../shared/schema.ts'
import {
  joinInwonerBoard,
  newParticipantContext,
  startAppServer,
  useBrowser,
  watchPage,
} from '../helpers/browser.ts'
import { saved } from '../helpers/clients.ts'
import { useCleanups } from '../helpers/lifecycle.ts'
import { facilitatedWorkshop } from '../helpers/scenario.ts'
import { seriousViolations } from '../helpers/axe.ts'
import { makeCard } from '../fixtures/builders.ts'

const browser = useBrowser()
const track = useCleanups()

async function openPage(url: string, viewport = { width: 1280, height: 800 }) {
  const ctx = await newParticipantContext(browser())
  track(() => ctx.close())
  const page = await ctx.newPage()
  await page.setViewportSize(viewport)
  const watch = watchPage(page)
  track(() => expect(watch.errors).toEqual([]))
  await page.goto(url)
  return page
}

const scene = (page: Page, name: string) =>
  page.locator(`[data-testid="present-view"][data-scene="${name}"]`).waitFor()

describe('"Toon op scherm" on a card (Chromium)', () => {
  it('the facilitator puts a card on the projector from the card, by keyboard, and takes it off again', async () => {
    const server = await startAppServer()
    track(() => server.close())
    const { ws, info, fac } = await facilitatedWorkshop(server, track)
    const inwoner = info.tables[0]!
    const text = 'Eén loket voor alle vragen van inwoners'
    addCard(fac.board, makeCard({ id: 'c1', text, order: 1, table: inwoner.id }))
    await saved(fac)

    const projector = await openPage(server.url + ROUTES.present(ws.id, ws.joinCode), {
      width: 1920,
      height: 1080,
    })
    await scene(projector, PresentScene.Join)
    const facPage = await openPage(server.url + ROUTES.facilitate(ws.id, ws.facilitatorKey))
    await facPage.getByTestId('board').waitFor()

    const card = facPage.getByRole('group', { name: new RegExp(text) })
    await card.focus()
    const show = card.getByRole('button', { name: `Toon op scherm: ${text}` })
    // reached from the card with Tab, like its other tools
    for (let i = 0; i < 12 && !(await show.evaluate((el) => el === document.activeElement)); i++)
      await facPage.keyboard.press('Tab')
    expect(await show.evaluate((el) => el === document.activeElement)).toBe(true)
    expect(await show.getAttribute('aria-pressed')).toBe('false')
    await facPage.keyboard.press('Enter')

    await scene(projector, PresentScene.Spotlight)
    expect(await projector.getByTestId('spotlight-text').innerText()).toBe(text)
    await show.and(facPage.locator('[aria-pressed="true"]')).waitFor()
    await facPage
      .getByTestId('announcer')
      .filter({ hasText: 'Deze kaart staat nu op het projectiescherm.' })
      .waitFor()
    expect(await seriousViolations(facPage)).toEqual([])

    // pressed again: the projector follows the meeting again
    await facPage.keyboard.press('Enter')
    await scene(projector, PresentScene.Join)
    await show.and(facPage.locator('[aria-pressed="false"]')).waitFor()

    // the list view's card has it too
    await facPage.getByRole('link', { name: 'Lijstweergave' }).click()
    const listShow = facPage
      .getByTestId('list-view')
      .getByRole('button', { name: `Toon op scherm: ${text}` })
    await listShow.click()
    await scene(projector, PresentScene.Spotlight)
    await listShow.and(facPage.locator('[aria-pressed="true"]')).waitFor()
    expect(await seriousViolations(facPage)).toEqual([])
  })

  it('a participant’s card tools have no "Toon op scherm"', async () => {
    const server = await startAppServer()
    track(() => server.close())
    const { ws, info, fac } = await facilitatedWorkshop(server, track)
    addCard(fac.board, makeCard({ id: 'c1', text: 'Kaart A', order: 1, table: info.tables[0]!.id }))
    await saved(fac)
    const anna = await joinInwonerBoard(browser(), server.url, ws.joinCode, track)
    const card = anna.getByRole('group', { name: /Kaart A/ })
    await card.focus()
    await card.getByRole('button', { name: 'Bewerken' }).waitFor()
    expect(await card.getByTestId('card-present').count()).toBe(0)
  })
})
