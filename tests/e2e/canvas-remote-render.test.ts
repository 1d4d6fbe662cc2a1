/**
 * What a remote write re-renders on a 1,000-card board (not how fast: tests/bench `watching`): one
 * person's text edit or move of one card re-renders that card's components only, not the board,
 * the canvas, the zones or the other cards; others' pointers re-render no card at all. And the
 * cards layer follows what others do to cards it does not draw: a card moved out of view becomes
 * its shell and back, a shell's name follows its card's text.
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import * as Y from 'yjs'
import { writeBlocks } from '../../shared/richtext.ts'
import {
  CardKind,
  addCard,
  cardBody,
  moveCard,
  readCard,
  cardMap,
  setCardKind,
} from '../../shared/schema.ts'
import { setPointer, setPresenceUser } from '../../client/sync/presence.ts'
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

const CARDS = 1000
/** Components one card draws (the card, its body, its tools): what one card's render may cost. */
const ONE_CARD_COMPONENTS = 16

async function board() {
  const server = await startAppServer()
  track(() => server.close())
  const { ws, info, fac } = await facilitatedWorkshop(server, track)
  const tables = info.tables
  Y.transact(fac.board, () => {
    for (let i = 0; i < CARDS; i++) {
      const tb = tables[i % tables.length]!
      const k = Math.floor(i / tables.length)
      addCard(
        fac.board,
        makeCard({
          id: `c${i}`,
          kind: i % 2 ? 'need' : 'vision',
          table: tb.id,
          x: tb.x + 16,
          y: tb.y + 110 + k * 10,
          created: i,
        }),
      )
      writeBlocks(cardBody(fac.board, `c${i}`)!, [
        { type: 'paragraph', runs: [{ text: `Kaart ${i}`, marks: [] }], children: [] },
      ])
    }
  })
  await saved(fac)
  const page = await joinInwonerBoard(browser(), server.url, ws.joinCode, track)
  await installRenderCounter(page)
  await page.reload()
  await page.locator('[data-testid="card"]:not(.is-culled)').first().waitFor()
  // every shell mounted (useShellBudget) and the side panel arrived, so the board has settled
  await page.locator(`[data-testid="card"][data-card-id="c${CARDS - 1}"]`).waitFor({
    state: 'attached',
  })
  await sidePanelArrived(page)
  const own = tables.find((tb) => tb.perspective === 'inwoner')!
  // the first card of the participant's own table: drawn in the landing view
  const first = [...Array(CARDS).keys()].find(
    (i) => tables[i % tables.length]!.id === own.id && i % 2 === 0,
  )!
  return { page, fac, own, first: `c${first}` }
}

const frames = (page: Page) =>
  page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))

/** Waits until React has been quiet for a few frames, then starts counting. */
async function quiet(page: Page) {
  for (let i = 0; i < 50; i++) {
    await resetRenders(page)
    await frames(page)
    await page.waitForTimeout(150)
    if ((await readRenders(page)).commits === 0) return
  }
  throw new Error('the board never settled')
}

const drawn = (page: Page, id: string) =>
  page.locator(`[data-testid="card"][data-card-id="${id}"]:not(.is-culled)`)
const shell = (page: Page, id: string) =>
  page.locator(`[data-testid="card"][data-card-id="${id}"].is-culled`)

describe('remote writes on a 1,000-card board (Chromium)', () => {
  it('a remote text edit of one card re-renders that card only', async () => {
    const { page, fac, first: id } = await board()
    await drawn(page, id).waitFor()
    await quiet(page)
    // a few words more in its one line: the card keeps its height, so nothing else moves
    const line = (cardBody(fac.board, id)!.get(0) as Y.XmlElement).get(0) as Y.XmlText
    line.insert(line.length, ' op afstand')
    await drawn(page, id).locator('.card-body').filter({ hasText: 'op afstand' }).waitFor()
    await frames(page)
    const { rendered } = await readRenders(page)
    expect(rendered.length).toBeGreaterThan(0)
    expect(rendered.length).toBeLessThanOrEqual(ONE_CARD_COMPONENTS)
    expect(rendered.filter((n) => !n.endsWith(` @${id}`))).toEqual([])
  })

  it('a remote move of one card re-renders the cards it moved, not the board', async () => {
    const { page, fac, own, first: id } = await board()
    await drawn(page, id).waitFor()
    const before = await drawn(page, id).boundingBox()
    await quiet(page)
    // below every other card of its column: the column's cards move up one slot, it goes last
    moveCard(fac.board, id, { x: own.x + 16, y: own.y + 110 + CARDS * 20 })
    await page.waitForFunction(
      ([sel, y]) => {
        const el = document.querySelector(sel as string)
        return !!el && el.getBoundingClientRect().y !== y
      },
      [`[data-testid="card"][data-card-id="${id}"]`, before!.y] as const,
    )
    await frames(page)
    const { rendered } = await readRenders(page)
    // only components inside cards; no zone, no canvas, no board screen
    expect(rendered.filter((n) => !/ @c\d+$/.test(n))).toEqual([])
    // and not every card: those of its column (about 167) shift one slot, the rest stay put
    const cards = new Set(rendered.map((n) => n.split(' @')[1]))
    expect(cards.size).toBeLessThan(CARDS / 4)
  })

  it('a card moved out of view by someone else becomes its shell, and is drawn again when moved back', async () => {
    const { page, fac, own, first: id } = await board()
    await drawn(page, id).waitFor()
    const { x, y } = readCard(cardMap(fac.board, id)!)!
    moveCard(fac.board, id, { x: own.x + 16, y: own.y + 110 + CARDS * 20 })
    await shell(page, id).waitFor({ state: 'attached' })
    expect(await shell(page, id).getAttribute('aria-label')).toContain(`Kaart ${id.slice(1)}`)
    moveCard(fac.board, id, { x, y })
    await drawn(page, id)
      .locator('.card-body')
      .filter({ hasText: `Kaart ${id.slice(1)}` })
      .waitFor()
    await expect(shell(page, id).count()).resolves.toBe(0)
  })

  it('a shell’s name follows its card’s kind and text', async () => {
    const { page, fac } = await board()
    const id = `c${CARDS - 1}`
    await shell(page, id).waitFor({ state: 'attached' })
    const line = (cardBody(fac.board, id)!.get(0) as Y.XmlElement).get(0) as Y.XmlText
    line.insert(line.length, ' buiten beeld')
    await page.waitForFunction(
      (sel) => document.querySelector(sel)?.getAttribute('aria-label')?.includes('buiten beeld'),
      `[data-testid="card"][data-card-id="${id}"].is-culled`,
    )
    const kind = readCard(cardMap(fac.board, id)!)!.kind
    const other = kind === CardKind.Need ? CardKind.Vision : CardKind.Need
    setCardKind(fac.board, id, other)
    await page.waitForFunction(
      ([sel, cls]) => document.querySelector(sel as string)?.classList.contains(cls as string),
      [`[data-testid="card"][data-card-id="${id}"]`, `kind-${other}`] as const,
    )
    expect(await shell(page, id).getAttribute('aria-label')).toContain('buiten beeld')
  })

  it('others’ pointers re-render no card', async () => {
    const { page, fac, own } = await board()
    await quiet(page)
    setPresenceUser(fac.awareness, { name: 'Fee', color: '#37474f', table: null })
    for (let i = 0; i < 10; i++) {
      setPointer(fac.awareness, { x: own.x + 40 + i * 20, y: own.y + 200 })
      await page.waitForTimeout(60)
    }
    await page.locator('.remote-cursor').first().waitFor({ state: 'attached' })
    await frames(page)
    const { rendered } = await readRenders(page)
    expect(
      rendered.filter((n) => / @c\d+$/.test(n) || /^(div|section)\[(card|zone-)/.test(n)),
    ).toEqual([])
  })
})
