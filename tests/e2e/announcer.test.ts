import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { ROUTES } from '../../shared/api.ts'
import { addCard, moveCard, placeCard } from '../../shared/schema.ts'
import { useBrowser, newParticipantContext, startAppServer, watchPage } from '../helpers/browser.ts'
import { saved } from '../helpers/clients.ts'
import { useCleanups } from '../helpers/lifecycle.ts'
import { facilitatedWorkshop } from '../helpers/scenario.ts'
import { makeCard } from '../fixtures/builders.ts'

const browser = useBrowser()
const track = useCleanups()

/** Everything the live region says from now on: its text at each change of its content. */
async function recordSpoken(page: Page) {
  await page.evaluate(() => {
    const region = document.querySelector('[data-testid="announcer"]')!
    const w = window as unknown as { __spoken: string[] }
    w.__spoken = []
    new MutationObserver(() => w.__spoken.push(region.textContent ?? '')).observe(region, {
      childList: true,
      characterData: true,
      subtree: true,
    })
  })
  return {
    /** Waits until at least `n` announcements were made, then returns them all. */
    async first(n: number): Promise<string[]> {
      await page.waitForFunction(
        (k) => (window as unknown as { __spoken: string[] }).__spoken.length >= k,
        n,
      )
      return page.evaluate(() => (window as unknown as { __spoken: string[] }).__spoken)
    },
  }
}

describe('screen-reader announcements (Chromium)', () => {
  it('a move within a table is not announced as a move to a table; the same message twice is spoken twice', async () => {
    const server = await startAppServer()
    track(() => server.close())
    const { ws, info, fac } = await facilitatedWorkshop(server, track)
    const [inwoner, management] = [info.tables[0]!, info.tables[1]!]
    addCard(
      fac.board,
      makeCard({ id: 'a', table: inwoner.id, x: inwoner.x + 24, y: 110, text: 'Eerste' }),
    )
    addCard(
      fac.board,
      makeCard({ id: 'b', table: inwoner.id, x: inwoner.x + 268, y: 110, text: 'Tweede' }),
    )
    await saved(fac)

    const ctx = await newParticipantContext(browser())
    track(() => ctx.close())
    const page = await ctx.newPage()
    const watch = watchPage(page)
    await page.goto(server.url + ROUTES.join(ws.joinCode))
    await page.getByTestId('join-name').fill('Anna')
    await page.getByTestId('join-table-inwoner').check()
    await page.getByTestId('join-submit').click()
    await page.locator('[data-testid="card"][data-card-id="b"]').waitFor()
    await page
      .locator(
        '[data-testid="status"][data-status="saved"], [data-testid="status"][data-status="live"]',
      )
      .waitFor()
    const spoken = await recordSpoken(page)

    // someone moves card a down its column (writing its unchanged table, as an older client may)
    fac.board.transact(() => {
      moveCard(fac.board, 'a', { x: inwoner.x + 34, y: 110, table: inwoner.id })
      placeCard(fac.board, 'a', { table: inwoner.id, order: 1_000 }) // after b, which sorts by its y (110)
    })
    await page.waitForFunction(() => {
      const box = (id: string) =>
        document.querySelector(`[data-card-id="${id}"]`)?.getBoundingClientRect()
      return (box('a')?.top ?? 0) > (box('b')?.top ?? Infinity)
    })
    // then moves it to another table: that is the first and only thing said
    moveCard(fac.board, 'a', { x: management.x + 24, y: 110, table: management.id })
    const moved = `Kaart verplaatst naar tafel ${management.name}`
    expect(await spoken.first(1)).toEqual([moved])

    // the same words again, for another card: a screen reader must hear them again
    moveCard(fac.board, 'b', { x: management.x + 268, y: 110, table: management.id })
    expect(await spoken.first(2)).toEqual([moved, moved])
    expect(watch.errors).toEqual([])
  })
})
