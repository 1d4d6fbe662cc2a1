/**
 * [issue 14 points 3, 5, 6] The room in Chromium: the canvas has the screen, drawers collapse and
 * remember, the header never moves, what matters reaches people with every drawer closed, undo
 * undoes the person's own last action and says so, presence counts people once and cursors fade.
 */
import { describe, expect, it } from 'vitest'
import type { BrowserContext, Locator, Page, WebSocketRoute } from 'playwright-core'
import { HISTORY_API, ROUND_API, ROUTES } from '../../shared/api.ts'
import {
  readFollow,
  setLocked,
  setPhaseId,
  writeFollow,
  writePhases,
  writeTimer,
} from '../../shared/control.ts'
import { startTimer } from '../../shared/control-actions.ts'
import { Anonymity } from '../../shared/schema.ts'
import { addTask, listPrinciples, writePrinciple } from '../../shared/tasks.ts'
import { saved } from '../helpers/clients.ts'
import {
  PAGE_WAIT_MS,
  newParticipantContext,
  startAppServer,
  useBrowser,
  watchPage,
} from '../helpers/browser.ts'
import { seriousViolations } from '../helpers/axe.ts'
import { useCleanups } from '../helpers/lifecycle.ts'
import { bearerFetch, facilitatedWorkshop } from '../helpers/scenario.ts'
import { until } from '../helpers/wait.ts'
import { setBoardPolicy } from '../helpers/server.ts'
import { SEED_TASKS } from '../fixtures/builders.ts'

const browser = useBrowser()
const track = useCleanups()

/** The share of a 1280 px window the canvas must keep for a participant. */
const MIN_CANVAS_SHARE = 0.75
/** Longer than the idle fade in styles.css (3.6 s), short enough to name a stuck wait. */
const FADE_WAIT_MS = 8_000

/** A named workshop: presence and cursors show people's names. */
async function meeting() {
  const server = await startAppServer()
  track(() => server.close())
  const { ws, info, fac } = await facilitatedWorkshop(
    server,
    track,
    'Leertuin Participatie',
    Anonymity.Named,
  )
  return { server, ws, info, fac, asFacilitator: bearerFetch(server.url, ws.facilitatorKey) }
}

async function context(): Promise<BrowserContext> {
  const ctx = await newParticipantContext(browser())
  track(() => ctx.close())
  return ctx
}

async function openIn(ctx: BrowserContext, url: string): Promise<Page> {
  const page = await ctx.newPage()
  const watch = watchPage(page)
  track(() => expect(watch.errors).toEqual([]))
  await page.goto(url)
  return page
}

/** Sends the join page; the board opens next, with its first sync still to come. */
async function submitJoin(
  base: string,
  code: string,
  name: string,
  perspective: string,
  ctx?: BrowserContext,
): Promise<Page> {
  const page = await openIn(ctx ?? (await context()), base + ROUTES.join(code))
  await page.getByTestId('join-name').fill(name)
  await page.getByTestId(`join-table-${perspective}`).check()
  await page.getByTestId('join-submit').click()
  return page
}

/** Joins and waits until both docs synced. */
async function join(...args: Parameters<typeof submitJoin>): Promise<Page> {
  const page = await submitJoin(...args)
  await page.getByTestId('board').waitFor()
  // both docs synced: a control change from here on is news to this person, not the initial state
  await page
    .locator('[data-testid="status"]:is([data-status="live"], [data-status="saved"])')
    .waitFor()
  return page
}

const axeClean = async (page: Page, screen: string) => {
  const found = await seriousViolations(page)
  expect(found, `${screen}: ${JSON.stringify(found, null, 1)}`).toEqual([])
}

const box = async (l: Locator) => {
  const b = await l.boundingBox()
  if (!b) throw new Error('not on screen')
  return b
}

const sideTab = (p: Page) => p.getByTestId('drawer-tab-side')
const presenceTab = (p: Page) => p.getByRole('button', { name: /^Aanwezig/ })

describe('screen space and attention (Chromium, 1280 × 800)', () => {
  it("a participant's canvas keeps at least 75 % of the window; drawers open one at a time and are remembered on this device", async () => {
    const { server, ws } = await meeting()
    const ctx = await context()
    const anna = await join(server.url, ws.joinCode, 'Anna', 'inwoner', ctx)
    const width = anna.viewportSize()!.width
    // collapsed by default at this size: the board is what a participant came for
    expect(await sideTab(anna).getAttribute('aria-expanded')).toBe('false')
    expect(await presenceTab(anna).getAttribute('aria-expanded')).toBe('false')
    expect((await box(anna.getByTestId('board'))).width / width).toBeGreaterThanOrEqual(
      MIN_CANVAS_SHARE,
    )
    await axeClean(anna, 'participant board, drawers closed')

    await sideTab(anna).click()
    await anna.getByTestId('workshop-panel').waitFor()
    expect((await box(anna.getByTestId('board'))).width / width).toBeGreaterThanOrEqual(
      MIN_CANVAS_SHARE,
    )
    await axeClean(anna, 'participant board, workshop drawer open')
    // one drawer at a time
    await presenceTab(anna).click()
    await anna.getByTestId('presence-list').waitFor()
    await anna.getByTestId('workshop-panel').waitFor({ state: 'hidden' })
    expect((await box(anna.getByTestId('board'))).width / width).toBeGreaterThanOrEqual(
      MIN_CANVAS_SHARE,
    )
    await axeClean(anna, 'participant board, presence drawer open')

    // kept per device: a reload opens the same drawer
    await anna.reload()
    await anna.getByTestId('presence-list').waitFor()
    await anna.getByTestId('presence-drawer').getByRole('button', { name: 'Sluiten' }).click()
    await anna.getByTestId('presence-list').waitFor({ state: 'detached' })
    await anna.reload()
    await anna.getByTestId('board').waitFor()
    expect(await presenceTab(anna).getAttribute('aria-expanded')).toBe('false')
    expect(await sideTab(anna).getAttribute('aria-expanded')).toBe('false')
  })

  it('a participant whose board has not arrived yet sees it is loading, not an empty canvas', async () => {
    const { server, ws } = await meeting()
    const ctx = await context()
    // the board socket runs through the test: what the server sends waits until released
    let held: (string | Buffer)[] | null = []
    let board: WebSocketRoute | null = null
    await ctx.routeWebSocket(/\/ws\//, (route) => {
      const upstream = route.connectToServer()
      const isBoard = route.url().endsWith('/board')
      if (isBoard) board = route
      route.onMessage((m) => upstream.send(m))
      upstream.onMessage((m) => (isBoard && held ? held.push(m) : route.send(m)))
    })
    const page = await submitJoin(server.url, ws.joinCode, 'Anna', 'inwoner', ctx)
    const loading = page.getByTestId('board').getByRole('status')
    await expect.poll(() => loading.textContent(), { timeout: PAGE_WAIT_MS }).toBe('Bord laden…')
    await axeClean(page, 'participant board, loading')

    const queue = held
    held = null
    for (const m of queue) board!.send(m)
    await page.getByTestId('zone-inwoner').waitFor()
    await page.getByTestId('board-loading').waitFor({ state: 'detached' })
  })

  it('the header keeps every box when a phase and the timer start', async () => {
    const { server, ws, fac } = await meeting()
    const anna = await join(server.url, ws.joinCode, 'Anna', 'inwoner')
    const facPage = await openIn(
      await context(),
      server.url + ROUTES.facilitate(ws.id, ws.facilitatorKey),
    )
    await facPage.getByTestId('facilitator-panel').waitFor()
    const parts = [
      '.board-header',
      '.title-block',
      '.header-phase',
      '.header-side',
      '[data-testid="status"]',
    ]
    const boxes = (p: Page) => Promise.all(parts.map((sel) => box(p.locator(sel).first())))
    const before = { anna: await boxes(anna), fac: await boxes(facPage) }

    const phase = {
      id: 'ph-1',
      name: 'Verkennen en verbeelden: wat willen we over vijf jaar bereikt hebben?',
      minutes: 20,
    }
    writePhases(fac.control, [phase])
    setPhaseId(fac.control, phase.id)
    writeTimer(fac.control, startTimer(phase.minutes * 60_000, Date.now()))
    await saved(fac)
    for (const p of [anna, facPage]) {
      await p.getByTestId('phase-name').filter({ hasText: 'Verkennen en verbeelden' }).waitFor()
      await p.locator('[data-testid="timer"][data-state="running"]').waitFor()
    }
    expect(await boxes(anna)).toEqual(before.anna)
    expect(await boxes(facPage)).toEqual(before.fac)
  })

  it('the toolbar takes two rows at most from 1024 px, one at 1920 px, and keeps its size when undo names a step', async () => {
    const { server, ws } = await meeting()
    const anna = await join(server.url, ws.joinCode, 'Anna', 'inwoner')
    const toolbar = anna.getByRole('group', { name: 'Werkbalk' })
    const undo = anna.getByTestId('undo')
    for (const [size, most] of [
      [{ width: 1024, height: 768 }, 2],
      [{ width: 1280, height: 800 }, 2],
      [{ width: 1920, height: 1080 }, 1],
    ] as const) {
      await anna.setViewportSize(size)
      const rows = await toolbar.evaluate(
        // the groups of a row share their middle (align-items: center)
        (el) =>
          new Set(
            [...el.children].map((c) => {
              const r = c.getBoundingClientRect()
              return Math.round(r.top + r.height / 2)
            }),
          ).size,
      )
      expect(rows, `toolbar rows at ${size.width} px`).toBeLessThanOrEqual(most)
    }
    await anna.setViewportSize({ width: 1024, height: 768 })
    const before = { toolbar: await box(toolbar), undo: await box(undo) }
    await anna.getByTestId('toolbar-add').click()
    await anna.getByRole('button', { name: 'Ongedaan maken: kaart toevoegen' }).waitFor()
    // the step shows on the button itself, not only in its accessible name, and its first line
    // is not cut
    await undo.getByText('kaart toevoegen').waitFor()
    const main = undo.locator('.undo-main')
    expect(await main.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true)
    await anna.keyboard.press('Escape')
    expect(await box(toolbar)).toEqual(before.toolbar)
    expect(await box(undo)).toEqual(before.undo)
    await axeClean(anna, 'participant board at 1024 px, undo naming a step')
  })

  it('a new voting round reaches a participant with every drawer closed: a toast, a badge and an announcement', async () => {
    const { server, ws, fac, asFacilitator } = await meeting()
    SEED_TASKS.slice(0, 3).forEach((title, i) =>
      addTask(fac.board, { id: `t${i}`, title, origin: [], author: 'f', created: i }),
    )
    await saved(fac)
    const anna = await join(server.url, ws.joinCode, 'Anna', 'inwoner')
    expect(await sideTab(anna).getAttribute('aria-expanded')).toBe('false')
    expect(await presenceTab(anna).getAttribute('aria-expanded')).toBe('false')

    const res = await asFacilitator('POST', ROUND_API.open(ws.id), {
      kind: 'dots',
      taskIds: ['t0', 't1', 't2'],
    })
    expect(res.status).toBe(201)
    const cues = anna.getByRole('region', { name: 'Meldingen voor iedereen' })
    await cues.getByText('Er is een stemronde geopend.').waitFor()
    await anna.getByTestId('announcer').filter({ hasText: 'Stemronde geopend' }).waitFor()
    await anna.getByRole('button', { name: /Opgaven en stemmen.*stemronde open/ }).waitFor()
    await axeClean(anna, 'participant board with a round cue')

    // someone who joins while the round is open is told too
    const bram = await join(server.url, ws.joinCode, 'Bram', 'management')
    await bram
      .getByRole('region', { name: 'Meldingen voor iedereen' })
      .getByText('Er loopt een stemronde.')
      .waitFor()
    await bram.getByRole('button', { name: /Opgaven en stemmen.*stemronde open/ }).waitFor()

    await cues.getByRole('button', { name: 'Naar de stemming' }).click()
    await anna.getByTestId('ballot').waitFor()
    expect(
      await anna.evaluate(
        () => document.activeElement?.closest('[data-testid="workshop-panel"]') !== null,
      ),
    ).toBe(true)
    await anna.getByTestId('round-badge').waitFor({ state: 'detached' })
    await cues.waitFor({ state: 'detached' })
    await sideTab(anna).click()

    // a summons to the facilitator's view
    writeFollow(fac.control, {
      ...readFollow(fac.control),
      viewport: { x: 400, y: 300, zoom: 1 },
      summon: readFollow(fac.control).summon + 1,
    })
    await cues
      .getByText('De begeleider heeft iedereen naar een plek op het bord gehaald.')
      .waitFor()
    await anna
      .getByTestId('announcer')
      .filter({ hasText: 'De begeleider heeft iedereen' })
      .waitFor()

    // a restore of the board to a snapshot
    const snap = (await (
      await asFacilitator('POST', HISTORY_API.snapshots(ws.id), { label: 'Na ronde 1' })
    ).json()) as { id: string }
    expect((await asFacilitator('POST', HISTORY_API.restore(ws.id, snap.id), {})).status).toBe(200)
    await cues.getByText('Het bord is teruggezet naar “Na ronde 1”.').waitFor()
    await anna.getByTestId('announcer').filter({ hasText: 'Het bord is teruggezet' }).waitFor()

    // a lock: the banner is outside every drawer, and it is said
    setLocked(fac.control, true)
    await anna.getByTestId('lock-banner').waitFor()
    await anna.getByTestId('announcer').filter({ hasText: 'Het bord is op slot gezet' }).waitFor()
    expect(await sideTab(anna).getAttribute('aria-expanded')).toBe('false')
    await axeClean(anna, 'participant board with cues and the lock banner')
  })
})

describe('undo that can be trusted (Chromium)', () => {
  it('undo after deleting a principle restores that principle and nothing else; the button says what it will undo', async () => {
    const { server, ws, fac } = await meeting()
    writePrinciple(fac.board, { id: 'pr-1', text: 'Inwoner centraal', order: 1 })
    await saved(fac)
    // statement and principles are the facilitator's unless opened (issue #14, board policy)
    await setBoardPolicy(server.url, ws, { sharedTextOpen: true })
    const anna = await join(server.url, ws.joinCode, 'Anna', 'inwoner')
    const undo = anna.getByTestId('undo')
    expect(await undo.isDisabled()).toBe(true)

    // earlier: Anna writes a card
    await anna.getByRole('button', { name: 'Kaart toevoegen' }).click()
    await anna.getByTestId('card-editor').locator('[contenteditable="true"]').click()
    await anna.keyboard.type('Eén loket voor inwoners')
    await anna.keyboard.press('Escape')
    await anna.getByTestId('card').filter({ hasText: 'Eén loket voor inwoners' }).waitFor()

    // later: she deletes a principle someone else wrote
    await sideTab(anna).click()
    await anna.getByRole('button', { name: 'Verwijderen: Inwoner centraal' }).click()
    await anna.getByTestId('principle-item').waitFor({ state: 'detached' })
    await anna.getByRole('button', { name: 'Ongedaan maken: uitgangspunt verwijderen' }).click()

    await anna.getByTestId('principle-item').filter({ hasText: 'Inwoner centraal' }).waitFor()
    await anna
      .getByTestId('announcer')
      .filter({ hasText: 'Ongedaan gemaakt: uitgangspunt verwijderen' })
      .waitFor()
    expect(await anna.getByTestId('card').count()).toBe(1)
    await anna.getByTestId('card').filter({ hasText: 'Eén loket voor inwoners' }).waitFor()
    // the next step back is her own card text, and the redo names the step it would redo
    await anna.getByRole('button', { name: 'Ongedaan maken: kaarttekst bewerken' }).waitFor()
    await anna.getByRole('button', { name: 'Opnieuw: uitgangspunt verwijderen' }).waitFor()
    // and it reached the server: the facilitator has the principle again
    await until(
      'principle back on the server',
      [[fac.board, 'update']],
      () => listPrinciples(fac.board).length === 1,
    )
  })
})

describe('presence that stays out of the way (Chromium)', () => {
  it('one person in two tabs counts once; facilitators show once as Begeleider', async () => {
    const { server, ws } = await meeting()
    const annaCtx = await context()
    const anna = await join(server.url, ws.joinCode, 'Anna', 'inwoner', annaCtx)
    const annaAgain = await openIn(annaCtx, anna.url())
    await annaAgain.getByTestId('board').waitFor()
    const facPage = await openIn(
      await context(),
      server.url + ROUTES.facilitate(ws.id, ws.facilitatorKey),
    )
    await facPage.getByTestId('facilitator-panel').waitFor()
    const bram = await join(server.url, ws.joinCode, 'Bram', 'management')

    // Anna (two tabs), Bram, and the facilitators (this page and the test's own connection)
    await presenceTab(bram).filter({ hasText: 'Aanwezig (3)' }).waitFor()
    await presenceTab(bram).click()
    const list = bram.getByTestId('presence-list')
    await list.getByText('Anna', { exact: true }).waitFor()
    await list.getByText('Begeleider', { exact: true }).waitFor()
    expect(await list.getByRole('listitem').count()).toBe(3)
    expect(await list.getByText('Anna', { exact: true }).count()).toBe(1)
    expect(await list.getByText('Begeleider', { exact: true }).count()).toBe(1)
    // Anna's own tabs show her once too, as herself
    await presenceTab(annaAgain).click()
    await annaAgain.getByTestId('presence-list').getByText('Anna (jij)').waitFor()
    expect(await annaAgain.getByTestId('presence-list').getByRole('listitem').count()).toBe(3)
  })

  it("another person's cursor label fades after a few idle seconds and never takes the pointer", async () => {
    const { server, ws } = await meeting()
    const anna = await join(server.url, ws.joinCode, 'Anna', 'inwoner')
    const bram = await join(server.url, ws.joinCode, 'Bram', 'management')
    const canvas = await box(bram.getByTestId('board'))
    const moveBram = async (dx: number) => {
      for (let i = 0; i < 5; i++)
        await bram.mouse.move(canvas.x + 200 + dx + i * 10, canvas.y + 200 + i * 5)
    }
    await moveBram(0)
    const label = anna.getByTestId('remote-cursor-name').filter({ hasText: 'Bram' })
    await label.waitFor()
    const opacity = () =>
      label.evaluate((el) => Number(getComputedStyle(el.parentElement!).opacity))
    expect(await opacity()).toBeGreaterThan(0.5)
    expect(await label.evaluate((el) => getComputedStyle(el).pointerEvents)).toBe('none')
    // whatever is under the label gets the click, not the label
    const at = await box(label)
    expect(
      await anna.evaluate(
        ({ x, y }) =>
          document.elementFromPoint(x, y)?.closest('[data-testid="remote-cursor"]') ?? null,
        {
          x: at.x + at.width / 2,
          y: at.y + at.height / 2,
        },
      ),
    ).toBeNull()

    await anna.waitForFunction(
      () =>
        [...document.querySelectorAll('[data-testid="remote-cursor"] .remote-cursor-body')].every(
          (el) => getComputedStyle(el).opacity === '0',
        ),
      undefined,
      { timeout: FADE_WAIT_MS },
    )
    // moving again brings it back
    await moveBram(80)
    await anna.waitForFunction(
      () =>
        [...document.querySelectorAll('[data-testid="remote-cursor"] .remote-cursor-body')].some(
          (el) => Number(getComputedStyle(el).opacity) > 0.5,
        ),
      undefined,
      { timeout: PAGE_WAIT_MS },
    )
  })
})
