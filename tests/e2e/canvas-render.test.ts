/**
 * What the canvas does (not how fast): a pan moves the world layer and touches no card; cards
 * outside the view are empty shells until focused; a zoomed-out board drops text detail it could
 * not show legibly, keeping each card's accessible name. Timings are in tests/bench only.
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { writeBlocks } from '../../shared/richtext.ts'
import { addCard, cardBody } from '../../shared/schema.ts'
import { cardDetail } from '../../client/model/viewport.ts'
import {
  joinInwonerBoard,
  sidePanelArrived,
  startAppServer,
  useBrowser,
} from '../helpers/browser.ts'
import { saved } from '../helpers/clients.ts'
import { useCleanups } from '../helpers/lifecycle.ts'
import { facilitatedWorkshop } from '../helpers/scenario.ts'
import { makeCard } from '../fixtures/builders.ts'
import { installRenderCounter, readRenders, resetRenders } from '../helpers/reactRenders.ts'

const browser = useBrowser()
const track = useCleanups()

/** Cards per table, in a grid inside each zone. */
const PER_TABLE = 12

async function board() {
  const server = await startAppServer()
  track(() => server.close())
  const { ws, info, fac } = await facilitatedWorkshop(server, track)
  let n = 0
  for (const tb of info.tables) {
    for (let i = 0; i < PER_TABLE; i++) {
      const id = `c${++n}`
      addCard(
        fac.board,
        makeCard({
          id,
          table: tb.id,
          x: tb.x + 16 + (i % 4) * 240,
          y: tb.y + 110 + Math.floor(i / 4) * 160,
          created: n,
        }),
      )
      const runs = [
        { text: `Kaart ${id} `, marks: [] },
        { text: 'vet', marks: ['bold' as const] },
      ]
      writeBlocks(cardBody(fac.board, id)!, [{ type: 'paragraph', runs, children: [] }])
    }
  }
  await saved(fac)
  const page = await joinInwonerBoard(browser(), server.url, ws.joinCode, track)
  await page.locator(`[data-testid="card"][data-card-id="c${n}"]`).waitFor({ state: 'attached' })
  return { page, total: n }
}

/** Starts recording every DOM mutation inside a card (attributes, children, text). */
const recordCardMutations = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as { cardMutations: number }
    w.cardMutations = 0
    new MutationObserver((records) => {
      for (const r of records) {
        const el = r.target instanceof Element ? r.target : r.target.parentElement
        if (el?.closest('[data-testid="card"]')) w.cardMutations++
      }
    }).observe(document.querySelector('[data-testid="board"]')!, {
      subtree: true,
      childList: true,
      attributes: true,
      characterData: true,
    })
  })

/**
 * Presses a zoom key and waits until the cards' detail level matches the zoom it reached: the
 * canvas catches up with the zoom at most every 100 ms (useCulling), so pressing on at once can
 * skip a level whose band is only a few key presses wide.
 */
async function zoomKey(page: Page, key: '+' | '-') {
  await page.keyboard.press(key)
  await page.evaluate(
    () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))),
  )
  for (let i = 0; ; i++) {
    const { cls, transform } = await page.evaluate(() => {
      const el = document.querySelector<HTMLElement>('.world-scaled')!
      return { cls: el.className, transform: el.style.transform }
    })
    const scale = Number(/scale\(([^)]+)\)/.exec(transform)?.[1] ?? 1)
    if (cls.split(' ').includes(`detail-${cardDetail(scale)}`)) return
    if (i >= 100) throw new Error(`detail level never caught up with zoom ${scale}: ${cls}`)
    await page.waitForTimeout(20)
  }
}

/** Two frames: whatever the last input scheduled has been drawn. */
const frames = (page: Page) =>
  page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))

/** The board reopened with React's commits counted from the first script on. */
async function countedBoard() {
  const b = await board()
  await installRenderCounter(b.page)
  await b.page.reload()
  await b.page.locator('[data-testid="card"]:not(.is-culled)').first().waitFor()
  await sidePanelArrived(b.page)
  return b
}

const cardMutations = (page: Page) =>
  page.evaluate(() => (window as unknown as { cardMutations: number }).cardMutations)
const worldTransform = (page: Page) =>
  page.evaluate(() => document.querySelector<HTMLElement>('.world')!.style.transform)

describe('canvas rendering (Chromium)', () => {
  it('a pan moves the world layer only: no card element changes while the board is dragged', async () => {
    const { page } = await board()
    const box = (await page.getByTestId('board').boundingBox())!
    // the pointer is put where the drag starts before recording: it was left where the join button
    // was, which the landing view can put over a card, and leaving that card drops its hover tools
    // (a change of hover, not of the pan)
    await page.mouse.move(box.x + 8, box.y + 8)
    // the editor chunks the board preloads after it shows (useBoardSession) have arrived and
    // rendered: their arrival changes cards, which is not the pan's doing
    await page.waitForLoadState('networkidle')
    await page.evaluate(
      () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))),
    )
    await recordCardMutations(page)
    const before = await worldTransform(page)
    await page.mouse.down()
    for (let i = 1; i <= 30; i++) {
      await page.mouse.move(box.x + 8 + i * 3, box.y + 8 + i * 2)
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)))
    }
    await page.mouse.up()
    expect(await worldTransform(page)).not.toBe(before)
    expect(await cardMutations(page)).toBe(0)
  })

  it('culled cards are empty shells with their name; keyboard focus draws one in full', async () => {
    const { page, total } = await board()
    await page.getByTestId('board').focus()
    for (let i = 0; i < 8; i++) await page.keyboard.press('+')
    const culled = page.locator('[data-testid="card"].is-culled')
    await culled.first().waitFor({ state: 'attached' })
    expect(await page.getByTestId('card').count()).toBe(total)
    const shells = await culled.evaluateAll((els) =>
      els.map((e) => ({
        kids: e.childElementCount,
        text: e.textContent,
        name: e.getAttribute('aria-label'),
        // placed nowhere: a placed element is a paint chunk re-layerized every frame (CardShell.tsx)
        style: e.getAttribute('style'),
      })),
    )
    for (const s of shells) {
      expect(s.kids).toBe(0)
      expect(s.text).toBe('')
      expect(s.name).toMatch(/Kaart c\d+/)
      expect(s.style).toBeNull()
    }
    const id = await culled.first().getAttribute('data-card-id')
    const shell = page.locator(`[data-testid="card"][data-card-id="${id}"]`)
    await shell.focus()
    await page
      .locator(`[data-testid="card"][data-card-id="${id}"]:not(.is-culled) .card-body`)
      .waitFor()
    // the drawn card is brought into view where the layout has it, though its shell was nowhere
    await page.waitForFunction((sel) => {
      const el = document.querySelector(sel)
      const c = document.querySelector('[data-testid="board"]')!.getBoundingClientRect()
      const r = el?.getBoundingClientRect()
      return !!r && r.left >= c.left && r.right <= c.right && r.top >= c.top && r.bottom <= c.bottom
    }, `[data-testid="card"][data-card-id="${id}"]:not(.is-culled)`)
  })

  it('zoomed far out, cards show plain text, then lines; the full text comes back on zooming in', async () => {
    const { page } = await board()
    const first = page.locator('[data-testid="card"][data-card-id="c1"]')
    const name = await first.getAttribute('aria-label')
    const count = (sel: string) => first.locator(sel).count()
    // a focused card is always drawn; the zoom keys reach the canvas from it
    await first.focus()
    // each key zooms by 1.2 around the centre; wherever the view starts, walk it to each level
    for (let i = 0; i < 12 && (await count('.card-body strong')) === 0; i++)
      await zoomKey(page, '+')
    await first.locator('.card-body strong').filter({ hasText: 'vet' }).waitFor()
    for (let i = 0; i < 12 && (await count('.card-summary')) === 0; i++) await zoomKey(page, '-')
    await first.locator('.card-summary').filter({ hasText: 'Kaart c1 vet' }).waitFor()
    expect(await count('strong')).toBe(0)
    for (let i = 0; i < 12 && (await count('.card-lines')) === 0; i++) await zoomKey(page, '-')
    await first.locator('.card-lines').waitFor()
    expect(await first.locator('.card-body').textContent()).toBe('')
    expect(await first.getAttribute('aria-label')).toBe(name)
    for (let i = 0; i < 16 && (await count('.card-body strong')) === 0; i++)
      await zoomKey(page, '+')
    await first.locator('.card-body strong').waitFor()
  })

  it('a pan and a zoom within a detail level render no React component inside the world', async () => {
    const { page } = await countedBoard()
    const box = (await page.getByTestId('board').boundingBox())!
    // the same start as the mutation test: leaving a card under the pointer is a hover change
    await page.mouse.move(box.x + 8, box.y + 8)
    await frames(page)
    await resetRenders(page)
    await page.mouse.down()
    for (let i = 1; i <= 30; i++) {
      await page.mouse.move(box.x + 8 + i * 3, box.y + 8 + i * 2)
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)))
    }
    await page.mouse.up()
    await frames(page)
    // a pan within the culling margin is the compositor's alone: no commit at all
    expect(await readRenders(page)).toEqual({ commits: 0, rendered: [] })

    // zoom in a little around the middle: the view shrinks inside the culled box, the detail
    // level stays; only the toolbar's zoom figure may follow (outside the world)
    const detail = () => page.evaluate(() => document.querySelector('.world-scaled')!.className)
    const before = await detail()
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
    // the landing view's culling is redone at the first zoom, at once (useCulling: the first
    // view is usually fitted right after); the zoom measured here is the one after that
    await page.mouse.wheel(0, -6)
    await frames(page)
    await resetRenders(page)
    for (let i = 0; i < 10; i++) {
      await page.mouse.wheel(0, -6)
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)))
    }
    await frames(page)
    expect(await detail()).toBe(before)
    const { rendered } = await readRenders(page)
    const inWorld = await page.evaluate(
      (names) =>
        names.filter((n) =>
          /^(div|section)\[(card|zone-|remote-cursor)|\.(world|zone|card)\b/.test(n),
        ),
      rendered,
    )
    expect(inWorld).toEqual([])
  })
})
