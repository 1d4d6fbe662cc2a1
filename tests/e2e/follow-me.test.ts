/**
 * Follow-me in Chromium (issue 11 point 8): the projector tracks the facilitator's zoom while follow
 * is on, and the view never enters the control doc's log.
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import * as Y from 'yjs'
import { HISTORY_API, ROUTES } from '../../shared/api.ts'
import { PresentScene, readFollow } from '../../shared/control.ts'
import { writePresent } from '../../shared/control-actions.ts'
import { decodeHistory } from '../../shared/history.ts'
import { addCard } from '../../shared/schema.ts'
import { saved } from '../helpers/clients.ts'
import { openCheckedPage, startAppServer, useBrowser } from '../helpers/browser.ts'
import { makeCard } from '../fixtures/builders.ts'
import { useCleanups } from '../helpers/lifecycle.ts'
import { bearerFetch, facilitatedWorkshop } from '../helpers/scenario.ts'

const browser = useBrowser()
const track = useCleanups()

/** The zoom the board's world layer is drawn at. */
const worldScale = (page: Page) =>
  page.evaluate(() => {
    const el = document.querySelector('.world-scaled')
    return el ? new DOMMatrixReadOnly(getComputedStyle(el).transform).a : NaN
  })

/** Waits until the page draws its board at `want` (within 1 %). */
const scaleReaches = (page: Page, want: number) =>
  page.waitForFunction((w) => {
    const el = document.querySelector('.world-scaled')
    if (!el) return false
    return Math.abs(new DOMMatrixReadOnly(getComputedStyle(el).transform).a - w) < w * 0.01
  }, want)

const openPage = (url: string) => openCheckedPage(browser(), url, track)

describe('follow-me (Chromium)', () => {
  it('the projector follows the facilitator while follow is on, through awareness, and the log keeps no view', async () => {
    const server = await startAppServer()
    track(() => server.close())
    const { ws, info, fac } = await facilitatedWorkshop(server, track, 'Volg mij')
    info.tables.forEach((t, i) =>
      addCard(fac.board, makeCard({ id: `k${i}`, table: t.id, text: `Kaart ${i}` })),
    )
    await saved(fac)
    const facPage = await openPage(server.url + ROUTES.facilitate(ws.id, ws.facilitatorKey))
    await facPage.getByTestId('facilitator-panel').waitFor()
    const projector = await openPage(server.url + ROUTES.present(ws.id, ws.joinCode))
    // the meeting's first scene is how to join: follow-me brings the board up
    await projector.getByTestId('scene-join').waitFor()
    await facPage.getByTestId('follow-toggle').click()
    await projector.getByTestId('present-view').waitFor()
    await facPage.getByTestId('follow-toggle').click()
    await projector.getByTestId('scene-join').waitFor()

    // with the board scene picked, the projector fits the whole board while nobody is followed
    writePresent(fac.control, { scene: PresentScene.Board })
    await saved(fac)
    await projector.getByTestId('present-view').waitFor()
    // the world is drawn at 100 % until the fit's first frame; three tables fit only far below that
    await projector.waitForFunction(() => {
      const el = document.querySelector('.world-scaled')
      return !!el && new DOMMatrixReadOnly(getComputedStyle(el).transform).a < 0.9
    })
    const fitted = await worldScale(projector)

    await facPage.getByTestId('follow-toggle').click()
    await facPage
      .getByTestId('follow-toggle')
      .and(facPage.locator('[aria-pressed="true"]'))
      .waitFor()
    // the facilitator zooms in far: the projector leaves its fitted zoom for the facilitator's
    const canvas = facPage.getByTestId('board')
    await canvas.focus()
    const before = await worldScale(facPage)
    for (let i = 0; i < 8; i++) await facPage.keyboard.press('+')
    await facPage.waitForFunction((b) => {
      const el = document.querySelector('.world-scaled')
      return !!el && new DOMMatrixReadOnly(getComputedStyle(el).transform).a > b * 2
    }, before)
    expect(Math.abs((await worldScale(facPage)) - fitted)).toBeGreaterThan(fitted * 0.5)
    // the facilitator's zoom may still be taking its last key presses: the projector must reach
    // the facilitator's scale as it is when the two are compared, not as it was read once
    await expect
      .poll(
        async () => {
          const [p, f] = [await worldScale(projector), await worldScale(facPage)]
          return Math.abs(p - f) / f
        },
        { timeout: 15_000 },
      )
      .toBeLessThan(0.01)

    // follow off: the projector fits the whole board again
    await facPage.getByTestId('follow-toggle').click()
    await scaleReaches(projector, fitted)

    const res = await bearerFetch(server.url, ws.facilitatorKey)('GET', HISTORY_API.history(ws.id))
    const { control } = decodeHistory(new Uint8Array(await res.arrayBuffer()))
    const doc = new Y.Doc()
    for (const entry of control) {
      Y.applyUpdate(doc, entry.data)
      expect(readFollow(doc).viewport).toBeUndefined()
    }
    expect(readFollow(doc).active).toBe(false)
    doc.destroy()
  })
})
