import { describe, expect, it } from 'vitest'
import type { BrowserContext, Locator, Page } from 'playwright-core'
import { ROUTES } from '../../shared/api.ts'
import { type Block, readBlocks } from '../../shared/richtext.ts'
import { addCard, cardBody, listCards } from '../../shared/schema.ts'
import type { WorkshopConnection } from '../../client/sync/connection.ts'
import { MAX_SCALE, MIN_SCALE, ZOOM_STEP } from '../../client/model/viewport.ts'
import {
  editorFocused,
  useBrowser,
  newParticipantContext,
  startAppServer,
  watchPage,
} from '../helpers/browser.ts'
import { seriousViolations } from '../helpers/axe.ts'
import { saved } from '../helpers/clients.ts'
import { useCleanups } from '../helpers/lifecycle.ts'
import { facilitatedWorkshop } from '../helpers/scenario.ts'
import { until } from '../helpers/wait.ts'
import { SEED_VISIONS, makeCard } from '../fixtures/builders.ts'

const browser = useBrowser()
const track = useCleanups()
/**
 * '-' presses that reach the smallest zoom from any zoom the board may start at (a participant's
 * landing view is at most 100 %, e.g. 100 % at 1280 px with the drawers closed; a fit up to MAX_SCALE).
 */
const STEPS_TO_MIN_ZOOM = Math.ceil(Math.log(MAX_SCALE / MIN_SCALE) / Math.log(ZOOM_STEP))

/** A workshop with two cards at every table, and Anna joined at the first (inwoner). */
async function annaAtHerTable(ctx?: BrowserContext) {
  const server = await startAppServer()
  track(() => server.close())
  const { ws, info, fac } = await facilitatedWorkshop(server, track)
  info.tables.forEach((tb, i) => {
    const text = Object.values(SEED_VISIONS)[i]!
    addCard(
      fac.board,
      makeCard({
        id: `a${i}`,
        table: tb.id,
        x: tb.x + 24,
        y: tb.y + 110,
        text,
        created: 2 * i + 1,
      }),
    )
    addCard(
      fac.board,
      makeCard({
        id: `b${i}`,
        table: tb.id,
        x: tb.x + 268,
        y: tb.y + 110,
        text: `Tweede kaart ${i}`,
        created: 2 * i + 2,
      }),
    )
  })
  await saved(fac)
  const context = ctx ?? (await newParticipantContext(browser()))
  track(() => context.close())
  const page = await context.newPage()
  const watch = watchPage(page)
  track(() => expect(watch.errors).toEqual([]))
  await page.goto(server.url + ROUTES.join(ws.joinCode))
  await page.getByLabel('Jouw naam').fill('Anna')
  await page.getByTestId('join-table-inwoner').check()
  await page.getByTestId('join-submit').click()
  await page.getByRole('region', { name: 'Bord' }).waitFor()
  await page.locator('[data-testid="card"][data-card-id="b2"]').waitFor({ state: 'attached' })
  return { server, ws, info, fac, page, table: info.tables[0]!.id }
}

/**
 * On-screen size (CSS px) of the card text at a table: computed font-size times the zoom the card
 * is drawn at (its box on screen over its own layout width). Cards culled out of view are skipped.
 */
function cardTextPx(page: Page, tableId: string): Promise<number[]> {
  return page.evaluate((id) => {
    const cards = [
      ...document.querySelectorAll<HTMLElement>(`[data-testid="card"][data-table-id="${id}"]`),
    ]
    return cards.flatMap((card) => {
      const text = card.querySelector<HTMLElement>('.card-body p')
      if (!text) return []
      const zoom = card.getBoundingClientRect().width / card.offsetWidth
      return [parseFloat(getComputedStyle(text).fontSize) * zoom]
    })
  }, tableId)
}

/** The same measure for the text being written. */
function editorTextPx(editor: Locator): Promise<number> {
  return editor.evaluate((el: HTMLElement) => {
    const zoom = el.getBoundingClientRect().width / el.offsetWidth
    return parseFloat(getComputedStyle(el).fontSize) * zoom
  })
}

const waitTextPx = (page: Page, tableId: string, ok: '>=12' | '<12') =>
  page.waitForFunction(
    ([id, want]) => {
      const px = [
        ...document.querySelectorAll<HTMLElement>(`[data-testid="card"][data-table-id="${id}"]`),
      ].flatMap((card) => {
        const text = card.querySelector<HTMLElement>('.card-body p')
        return text
          ? [
              (parseFloat(getComputedStyle(text).fontSize) * card.getBoundingClientRect().width) /
                card.offsetWidth,
            ]
          : []
      })
      return px.length > 0 && (want === '>=12' ? Math.min(...px) >= 12 : Math.max(...px) < 12)
    },
    [tableId, ok] as const,
  )

const cardOf = (page: Page, id: string) =>
  page.locator(`[data-testid="card"][data-card-id="${id}"]`)
const focused = (page: Page, selector: string) =>
  page.waitForFunction((sel) => document.activeElement?.matches(sel) ?? false, selector)

function panel(page: Page, kind = 'Toekomstbeeld') {
  const dialog = page.getByRole('dialog', { name: `Kaart bewerken: ${kind}` })
  return {
    dialog,
    text: dialog.getByRole('textbox', { name: /Tekst van de kaart/ }),
    toolbar: dialog.getByRole('toolbar', { name: 'Opmaak' }),
    button: (name: string) =>
      dialog.getByRole('toolbar', { name: 'Opmaak' }).getByRole('button', { name, exact: true }),
  }
}

/** The card Anna added (the only one not seeded). */
async function addedCard(fac: WorkshopConnection, tableId: string): Promise<string> {
  await until('the new card reaches the server', [[fac.board, 'update']], () =>
    listCards(fac.board).some((c) => c.table === tableId && !/^[ab]\d$/.test(c.id)),
  )
  return listCards(fac.board).find((c) => !/^[ab]\d$/.test(c.id))!.id
}

const blocksOf = (fac: WorkshopConnection, id: string): Block[] => {
  const f = cardBody(fac.board, id)
  return f ? readBlocks(f) : []
}
const runs = (blocks: Block[]): { text: string; marks: string[]; in: string }[] => {
  const walk = (b: Block, in_: string): { text: string; marks: string[]; in: string }[] => [
    ...b.runs.map((r) => ({ text: r.text, marks: r.marks, in: in_ })),
    ...b.children.flatMap((c) =>
      walk(c, b.type === 'listItem' || b.type === 'paragraph' ? in_ : b.type),
    ),
  ]
  return blocks.flatMap((b) => walk(b, b.type === 'paragraph' ? 'paragraph' : b.type))
}

type Run = ReturnType<typeof runs>[number]

/** Waits until the server's copy of the card holds exactly these runs; a timeout shows what it holds. */
async function serverHas(
  fac: WorkshopConnection,
  id: string,
  what: string,
  want: Run[],
): Promise<void> {
  const now = () => JSON.stringify(runs(blocksOf(fac, id)))
  await until(what, [[fac.board, 'update']], () => now() === JSON.stringify(want)).catch(
    (err: Error) => {
      throw new Error(`${err.message}\n  want ${JSON.stringify(want)}\n  have ${now()}`)
    },
  )
}

const CANVAS = '[data-testid="board"]'

/** Waits until every table zone lies within the canvas's width. */
async function zonesInCanvas(page: Page): Promise<void> {
  await page.waitForFunction((sel) => {
    const canvas = document.querySelector(sel)?.getBoundingClientRect()
    const zones = [...document.querySelectorAll('.zone[data-table-id]')]
    return (
      !!canvas &&
      zones.length === 3 &&
      zones.every((z) => {
        const box = z.getBoundingClientRect()
        return box.left >= canvas.left && box.right <= canvas.right
      })
    )
  }, CANVAS)
}

/** The world layer's transform as the viewport last wrote it (the zoom label is throttled). */
const worldTransform = (page: Page) =>
  page
    .locator(`${CANVAS} .world`)
    .evaluate(
      (el) =>
        `${(el as HTMLElement).style.transform} ${el.querySelector<HTMLElement>('.world-scaled')!.style.transform}`,
    )

const canvasWidth = (page: Page) => page.locator(CANVAS).evaluate((el) => el.clientWidth)

/** Resolves after the page drew `n` more frames: its observers and effects of a change have run. */
const animationFrames = (page: Page, n: number) =>
  page.evaluate(
    (count) =>
      new Promise<void>((resolve) => {
        const step = (left: number) =>
          left === 0 ? resolve() : requestAnimationFrame(() => step(left - 1))
        step(count)
      }),
    n,
  )

describe('readable writing (Chromium, 1280×800)', () => {
  it('a participant lands on their own table with its card text at >= 12 px on screen; "Mijn tafel" brings that view back', async () => {
    const { page, table, info } = await annaAtHerTable()
    await waitTextPx(page, table, '>=12')
    const landing = await cardTextPx(page, table)
    expect(landing).toHaveLength(2)
    expect(Math.min(...landing)).toBeGreaterThanOrEqual(12)
    // her table's name is in view, at the top of the canvas
    const canvas = (await page.getByRole('region', { name: 'Bord' }).boundingBox())!
    const heading = (await page
      .getByRole('heading', { name: `Tafel ${info.tables[0]!.name}` })
      .boundingBox())!
    expect(heading.x).toBeGreaterThanOrEqual(canvas.x)
    expect(heading.y).toBeGreaterThanOrEqual(canvas.y)
    expect(heading.y + heading.height).toBeLessThanOrEqual(canvas.y + canvas.height / 2)

    // the whole board is unreadable at this size; "Mijn tafel" comes back to the readable view
    await page.getByRole('button', { name: 'Alles in beeld' }).click()
    await waitTextPx(page, table, '<12')
    await page.getByRole('button', { name: 'Mijn tafel' }).click()
    await waitTextPx(page, table, '>=12')
    expect(Math.min(...(await cardTextPx(page, table)))).toBeGreaterThanOrEqual(12)
  })

  it('a facilitator keeps the whole board in view and has no "Mijn tafel"', async () => {
    const { page, server, ws } = await annaAtHerTable()
    await page.goto(server.url + ROUTES.facilitate(ws.id, ws.facilitatorKey))
    await page.getByTestId('facilitator-panel').waitFor()
    await page.locator('[data-testid="card"][data-card-id="b2"] .card-body').waitFor()
    const canvas = (await page.getByRole('region', { name: 'Bord' }).boundingBox())!
    const zones = await page.getByRole('region', { name: /^Tafel / }).all()
    expect(zones).toHaveLength(3)
    for (const zone of zones) {
      const box = (await zone.boundingBox())!
      expect(box.x).toBeGreaterThanOrEqual(canvas.x)
      expect(box.x + box.width).toBeLessThanOrEqual(canvas.x + canvas.width)
    }
    expect(await page.getByRole('button', { name: 'Mijn tafel' }).count()).toBe(0)
  })

  it('the whole board stays in view while the side panel arrives late and the window changes size, until the facilitator zooms', async () => {
    const { page, server, ws } = await annaAtHerTable()
    // the tables arrive before the side panel's code: its column must not push zones out of view
    let release = () => {}
    const late = new Promise<void>((resolve) => (release = resolve))
    await page.route(/\/assets\/WorkshopSide-[^/]+\.js$/, async (route) => {
      await late
      await route.continue()
    })
    await page.goto(server.url + ROUTES.facilitate(ws.id, ws.facilitatorKey))
    await page.locator('[data-testid="card"][data-card-id="b2"] .card-body').waitFor()
    release()
    await page.getByTestId('facilitator-panel').waitFor()
    await zonesInCanvas(page)
    // a smaller window (a 1024 × 768 beamer) fits again
    await page.setViewportSize({ width: 1024, height: 768 })
    await zonesInCanvas(page)
    // once the facilitator zooms, the view is theirs: a resize no longer fits it
    await page.getByRole('button', { name: 'Inzoomen' }).click()
    await animationFrames(page, 2)
    const zoomed = await worldTransform(page)
    const width = await canvasWidth(page)
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.waitForFunction(
      ([sel, w]) => document.querySelector(sel as string)!.clientWidth !== w,
      [CANVAS, width] as const,
    )
    await animationFrames(page, 2)
    expect(await worldTransform(page)).toBe(zoomed)
  })

  it('a card is written in a panel at >= 16 px even at 10 % zoom; Escape and "Klaar" return focus to the card', async () => {
    const { page, fac, table } = await annaAtHerTable()
    await page.getByRole('region', { name: 'Bord' }).focus()
    for (let i = 0; i < STEPS_TO_MIN_ZOOM; i++) await page.keyboard.press('-')
    await page.getByText('Zoom 10%').waitFor()

    await page.getByRole('button', { name: 'Toekomstbeeld toevoegen aan tafel Inwoner' }).click()
    const p = panel(page)
    await p.text.waitFor()
    await editorFocused(page)
    expect(await editorTextPx(p.text)).toBeGreaterThanOrEqual(16)
    await page.keyboard.type('Eén loket voor inwoners')
    const id = await addedCard(fac, table)
    // the card on the canvas follows the text and shows it is being written
    const card = cardOf(page, id)
    await card.filter({ hasText: 'Eén loket voor inwoners' }).waitFor()
    await card.getByText('Jij bewerkt').waitFor()
    expect(await card.getAttribute('class')).toContain('is-editing')
    expect(await seriousViolations(page)).toEqual([])

    await page.keyboard.press('Escape')
    await p.dialog.waitFor({ state: 'detached' })
    await focused(page, `[data-testid="card"][data-card-id="${id}"]`)
    expect(await card.getByText('Jij bewerkt').count()).toBe(0)

    // "Bewerken" opens the same panel again, with the text as it stands
    await card.getByRole('button', { name: 'Bewerken' }).click()
    await p.dialog.filter({ hasText: 'Eén loket voor inwoners' }).waitFor()
    await editorFocused(page)
    expect(await editorTextPx(p.text)).toBeGreaterThanOrEqual(16)
    await page.keyboard.press('End')
    await page.keyboard.type(', ook digitaal')
    await p.dialog.getByRole('button', { name: 'Klaar' }).click()
    await p.dialog.waitFor({ state: 'detached' })
    await focused(page, `[data-testid="card"][data-card-id="${id}"]`)
    await until(
      'the edit reaches the server',
      [[fac.board, 'update']],
      () =>
        runs(blocksOf(fac, id))
          .map((r) => r.text)
          .join('') === 'Eén loket voor inwoners, ook digitaal',
    )

    // and in English the panel is just as clean
    await page.getByRole('button', { name: /^EN/ }).click()
    await page.locator('html[lang="en"]').waitFor()
    // the card's tools show while it has focus
    await card.focus()
    await card.getByRole('button', { name: 'Edit' }).click()
    await page
      .getByRole('dialog', { name: 'Edit card: Vision' })
      .getByRole('toolbar', { name: 'Formatting' })
      .waitFor()
    expect(await seriousViolations(page)).toEqual([])
    await page.keyboard.press('Escape')
  })

  it('the toolbar by pointer: bold, italic, lists, undo and redo reach the saved card', async () => {
    const { page, fac, table } = await annaAtHerTable()
    await page.getByRole('button', { name: 'Wat is nodig toevoegen aan tafel Inwoner' }).click()
    const p = panel(page, 'Wat is nodig')
    await editorFocused(page)
    const bold = p.button('Vet')
    expect(await bold.getAttribute('aria-pressed')).toBe('false')
    await bold.click()
    await p.dialog.locator('button[aria-label="Vet"][aria-pressed="true"]').waitFor()
    await page.keyboard.type('Vet')
    await bold.click()
    await page.keyboard.type(' gewoon')
    await p.button('Cursief').click()
    await page.keyboard.type(' schuin')
    await p.button('Cursief').click()
    await page.keyboard.type(' recht')
    await page.keyboard.press('Enter')
    await p.button('Opsomming').click()
    await p.dialog.locator('ul li').waitFor()
    expect(await p.button('Opsomming').getAttribute('aria-pressed')).toBe('true')
    await page.keyboard.type('punt een')
    await page.keyboard.press('Enter')
    await page.keyboard.type('punt twee')
    const id = await addedCard(fac, table)
    const want = [
      { text: 'Vet', marks: ['bold'], in: 'paragraph' },
      { text: ' gewoon', marks: [], in: 'paragraph' },
      { text: ' schuin', marks: ['italic'], in: 'paragraph' },
      { text: ' recht', marks: [], in: 'paragraph' },
      { text: 'punt een', marks: [], in: 'bulletList' },
      { text: 'punt twee', marks: [], in: 'bulletList' },
    ]
    await serverHas(fac, id, 'formatted text on the server', want)

    // a numbered list instead
    await p.button('Genummerde lijst').click()
    await until('numbered list on the server', [[fac.board, 'update']], () =>
      runs(blocksOf(fac, id)).some((r) => r.in === 'orderedList'),
    )

    // a formatting command is one undo step: the toolbar's undo (the person's one history, named)
    // takes back the numbered list (and never the card); redo brings it back
    const numbered = runs(blocksOf(fac, id))
    await p.button('Ongedaan maken: kaarttekst bewerken').click()
    await serverHas(fac, id, 'undo reaches the server', want)
    expect(listCards(fac.board).some((c) => c.id === id)).toBe(true)
    await p.button('Opnieuw: kaarttekst bewerken').click()
    await serverHas(fac, id, 'redo reaches the server', numbered)
  })

  it('the toolbar by keyboard: one tab stop, arrow keys, shortcuts; Ctrl+Z on the toolbar undoes the latest step, the text', async () => {
    const { page, fac, table } = await annaAtHerTable()
    await page.getByRole('button', { name: 'Toekomstbeeld toevoegen aan tafel Inwoner' }).focus()
    await page.keyboard.press('Enter')
    const p = panel(page)
    await editorFocused(page)
    // shortcuts keep working in the text
    await page.keyboard.press('Control+b')
    await page.keyboard.type('Sterk')
    await page.keyboard.press('Control+b')
    await p.dialog.locator('button[aria-pressed="true"]').waitFor({ state: 'detached' })
    await page.keyboard.type(' begin')

    // Shift+Tab reaches the toolbar on its first button; arrows move within it
    await page.keyboard.press('Shift+Tab')
    await focused(page, '[role="toolbar"] button[aria-label="Vet"]')
    expect(await p.toolbar.locator('button[tabindex="0"]').count()).toBe(1)
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowRight')
    await focused(page, '[role="toolbar"] button[aria-label="Opsomming"]')
    await page.keyboard.press('Enter')
    // formatting hands the caret back to the text, where it was
    await editorFocused(page)
    await p.dialog.locator('ul li').waitFor()
    await page.keyboard.type(' punt')
    const id = await addedCard(fac, table)
    const plain = [
      { text: 'Sterk', marks: ['bold'], in: 'paragraph' },
      { text: ' begin', marks: [], in: 'paragraph' },
    ]
    const listed = plain.map((r) => ({ ...r, in: 'bulletList' }))
    const typed = [listed[0]!, { text: ' begin punt', marks: [], in: 'bulletList' }]
    await serverHas(fac, id, 'the list on the server', typed)

    // in a list Shift+Tab outdents, so Alt+F10 is the way to the toolbar: it remembers its place;
    // End and ArrowLeft reach undo
    await page.keyboard.press('Alt+F10')
    await focused(page, '[role="toolbar"] button[aria-label="Opsomming"]')
    await page.keyboard.press('End')
    // nothing to redo yet: the redo button is named without a step
    await focused(page, '[role="toolbar"] button[aria-label="Opnieuw"]')
    await page.keyboard.press('ArrowLeft')
    await focused(page, '[role="toolbar"] button[aria-label="Ongedaan maken: kaarttekst bewerken"]')
    await page.keyboard.press('Enter')
    await serverHas(fac, id, 'undo of the typing on the server', listed)
    // like every toolbar command, undo hands the caret back to the text
    await editorFocused(page)
    // Ctrl+Z on a toolbar button runs the same step as the button, never a second history
    await page.keyboard.press('Alt+F10')
    await focused(page, '[role="toolbar"] button[aria-label="Ongedaan maken: kaarttekst bewerken"]')
    await page.keyboard.press('Control+z')
    await serverHas(fac, id, 'undo of the list on the server', plain)
    expect(listCards(fac.board).some((c) => c.id === id)).toBe(true)
    await page.keyboard.press('Control+Shift+z')
    await serverHas(fac, id, 'redo of the list on the server', listed)
    await page.keyboard.press('Control+y')
    await serverHas(fac, id, 'redo of the typing on the server', typed)
    expect(await cardOf(page, id).count()).toBe(1)
  })

  it('the toolbar by touch', async () => {
    const ctx = await browser().newContext({
      locale: 'nl-NL',
      viewport: { width: 1280, height: 800 },
      hasTouch: true,
    })
    ctx.setDefaultTimeout(15_000)
    const { page, fac, table } = await annaAtHerTable(ctx)
    await page.getByRole('button', { name: 'Toekomstbeeld toevoegen aan tafel Inwoner' }).tap()
    const p = panel(page)
    await p.text.tap()
    await p.button('Vet').tap()
    await p.dialog.locator('button[aria-label="Vet"][aria-pressed="true"]').waitFor()
    await page.keyboard.type('Getikt')
    await p.button('Genummerde lijst').tap()
    const id = await addedCard(fac, table)
    await serverHas(fac, id, 'bold numbered text on the server', [
      { text: 'Getikt', marks: ['bold'], in: 'orderedList' },
    ])
  })
})
