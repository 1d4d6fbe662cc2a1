/**
 * Present mode, scene by scene (issue #11 point 1), in Chromium at the two projector sizes that
 * matter: 1920×1080 and a 1024×768 beamer. On-screen type is measured (computed font size times
 * any transform), and every text node's line boxes are compared with the rects of the viewport and
 * of each ancestor that clips, so a card cut off or a word broken over two lines fails.
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { type BallotRequest, ROUND_API, ROUTES } from '../../shared/api.ts'
import {
  type Phase,
  PresentScene,
  listRounds,
  setPhaseId,
  writePhases,
} from '../../shared/control.ts'
import { writePresent } from '../../shared/control-actions.ts'
import { addCard } from '../../shared/schema.ts'
import { addTask } from '../../shared/tasks.ts'
import { PAGE_TURN_MS } from '../../client/present/pager.ts'
import { joinTable } from '../helpers/server.ts'
import { PAGE_WAIT_MS, startAppServer, useBrowser, watchPage } from '../helpers/browser.ts'
import { SEED_TASKS, SEED_VISIONS, makeCard } from '../fixtures/builders.ts'
import { useCleanups } from '../helpers/lifecycle.ts'
import { bearerFetch, facilitatedWorkshop } from '../helpers/scenario.ts'
import { saved } from '../helpers/clients.ts'
import { until } from '../helpers/wait.ts'
import { seriousViolations } from '../helpers/axe.ts'

const browser = useBrowser()
const track = useCleanups()

const FULL_HD = { width: 1920, height: 1080 }
const BEAMER = { width: 1024, height: 768 }
/** The smallest card text on screen (CSS px) the issue asks for at each size. */
const MIN_PX = { [FULL_HD.width]: 24, [BEAMER.width]: 18 } as Record<number, number>
const CARDS_PER_TABLE = 12

/** What people write at a table: short and long, with long Dutch compounds. */
const CARD_TEXTS = [
  ...Object.values(SEED_VISIONS),
  ...SEED_TASKS,
  'Professionele ondersteuning dichtbij huis, zonder wachtlijsten.',
  'Overheidsdienstverlening die klantcontactmedewerkers ruimte geeft om zelf te beslissen.',
  'Werkgeversdienstverlening regionaal georganiseerd.',
  'Inwoners weten waar ze terechtkunnen.',
]

const PHASES: Phase[] = [
  { id: 'welkom', name: 'Welkom', minutes: 10 },
  { id: 'ronde', name: 'Tafelronde 1', minutes: 25 },
  { id: 'stemmen', name: 'Stemmen', minutes: 10 },
  { id: 'horizon', name: 'Stip op de horizon', minutes: 20 },
]

async function openPage(url: string, viewport: { width: number; height: number }) {
  const ctx = await browser().newContext({ locale: 'nl-NL', viewport })
  ctx.setDefaultTimeout(PAGE_WAIT_MS)
  track(() => ctx.close())
  const page = await ctx.newPage()
  const watch = watchPage(page)
  track(() => expect(watch.errors).toEqual([]))
  // the pages turn on the page's own clock: the test moves it on instead of waiting
  await page.clock.install()
  await page.goto(url)
  return page
}

/** A meeting seeded over the wire: `perTable` cards at each of the three tables, ten tasks. */
async function meeting(perTable = CARDS_PER_TABLE) {
  const server = await startAppServer()
  track(() => server.close())
  const { ws, info, fac } = await facilitatedWorkshop(
    server,
    track,
    'Regio Alkmaar: opgaven kiezen',
  )
  const texts = new Map<string, string>()
  info.tables.forEach((t, ti) => {
    for (let i = 0; i < perTable; i++) {
      const id = `c${ti}-${i}`
      const text = CARD_TEXTS[(i + ti * 5) % CARD_TEXTS.length]!
      texts.set(id, text)
      addCard(
        fac.board,
        makeCard({
          id,
          table: t.id,
          x: t.x + 24,
          y: t.y + 96 + i * 10,
          created: ti * 100 + i,
          text,
        }),
      )
    }
  })
  const taskIds = SEED_TASKS.slice(0, 9).map((_, i) => `task-${i}`)
  taskIds.forEach((id, i) =>
    addTask(fac.board, { id, title: SEED_TASKS[i]!, origin: [], author: 'f', created: i }),
  )
  writePhases(fac.control, PHASES)
  await saved(fac)
  const people = await Promise.all(
    ['Inge', 'Mo', 'Olaf', 'Ilse', 'Mark', 'Otto', 'Iris', 'Maud', 'Olga'].map((name, i) =>
      joinTable(server.url, ws.joinCode, name, info.tables[i % 3]!.id),
    ),
  )
  const asFacilitator = bearerFetch(server.url, ws.facilitatorKey)
  const api = {
    open: async (kind: 'dots' | 'scores') => {
      const res = await asFacilitator('POST', ROUND_API.open(ws.id), {
        kind,
        taskIds,
        ...(kind === 'dots' && { dotsPerPerson: 3, maxPerTask: 3 }),
      })
      expect(res.status).toBe(201)
      const { roundId } = (await res.json()) as { roundId: string }
      await until('round open', [[fac.control, 'update']], () =>
        listRounds(fac.control).some((r) => r.id === roundId),
      )
      return roundId
    },
    vote: async (who: number, roundId: string, ballot: BallotRequest) =>
      expect(
        (
          await bearerFetch(server.url, people[who]!.token)(
            'POST',
            ROUND_API.ballot(ws.id, roundId),
            ballot,
          )
        ).status,
      ).toBe(200),
    reveal: async (roundId: string) =>
      expect((await asFacilitator('POST', ROUND_API.reveal(ws.id, roundId), {})).status).toBe(200),
  }
  const phase = async (id: string) => {
    setPhaseId(fac.control, id)
    await saved(fac)
  }
  return { server, ws, info, fac, texts, taskIds, api, phase, people }
}

const projectorUrl = (m: Awaited<ReturnType<typeof meeting>>) =>
  `${m.server.url}${ROUTES.present(m.ws.id, m.ws.joinCode)}`

const scene = (page: Page, name: string) =>
  page.locator(`[data-testid="present-view"][data-scene="${name}"]`).waitFor()

interface TextAudit {
  nodes: number
  minPx: number
  small: string[]
  clipped: string[]
  broken: string[]
}

/**
 * Every text node under `selector`: its on-screen size, whether each of its line boxes lies
 * inside the viewport and every clipping ancestor, and whether any word spans two lines.
 */
function auditText(page: Page, selector: string): Promise<TextAudit> {
  return page.evaluate((sel) => {
    const out = {
      nodes: 0,
      minPx: Infinity,
      small: [] as string[],
      clipped: [] as string[],
      broken: [] as string[],
    }
    const view = { left: 0, top: 0, right: innerWidth, bottom: innerHeight }
    const EPS = 0.5
    for (const root of document.querySelectorAll(sel)) {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const text = n.textContent ?? ''
        const el = n.parentElement
        if (!text.trim() || !el) continue
        out.nodes++
        let scale = 1
        const clips: { left: number; top: number; right: number; bottom: number }[] = [view]
        for (let a: Element | null = el; a; a = a.parentElement) {
          const s = getComputedStyle(a)
          if (s.transform !== 'none') {
            const m = new DOMMatrix(s.transform)
            scale *= Math.hypot(m.a, m.b)
          }
          if (a !== el && (s.overflowX !== 'visible' || s.overflowY !== 'visible'))
            clips.push(a.getBoundingClientRect())
        }
        const px = parseFloat(getComputedStyle(el).fontSize) * scale
        out.minPx = Math.min(out.minPx, px)
        const range = document.createRange()
        range.selectNodeContents(n)
        for (const r of range.getClientRects())
          for (const c of clips)
            if (
              r.left < c.left - EPS ||
              r.right > c.right + EPS ||
              r.top < c.top - EPS ||
              r.bottom > c.bottom + EPS
            ) {
              out.clipped.push(text.slice(0, 50))
              break
            }
        // a line may end after a word's own hyphen ("ambtelijk-|bestuurlijk"), never inside a part
        for (const m of text.matchAll(/[^\s-]+/g)) {
          const w = document.createRange()
          w.setStart(n, m.index)
          w.setEnd(n, m.index + m[0].length)
          const lines = new Set([...w.getClientRects()].map((r) => Math.round(r.top)))
          if (lines.size > 1) out.broken.push(m[0])
        }
      }
    }
    return out
  }, selector)
}

const pageSignature = (page: Page) =>
  page
    .getByTestId('present-table')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-page')).join())

/** Every card the table columns show, page after page, moving the page's clock on. */
async function allCardsOverPages(page: Page): Promise<Map<string, string>> {
  const seen = new Map<string, string>()
  const read = () =>
    page
      .getByTestId('present-card')
      .evaluateAll((els) =>
        els.map(
          (e) =>
            [
              e.getAttribute('data-card-id')!,
              (e as HTMLElement).innerText.replace(/\s+/g, ' ').trim(),
            ] as const,
        ),
      )
  const pages = Math.max(
    1,
    ...(await page
      .getByTestId('present-table')
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-pages'))))),
  )
  for (let p = 0; p < pages; p++) {
    for (const [id, text] of await read()) seen.set(id, text)
    if (p < pages - 1) {
      const before = await pageSignature(page)
      // in steps, so the connection's heartbeat is answered as the clock runs
      for (let ms = 0; ms < PAGE_TURN_MS; ms += 500) await page.clock.runFor(500)
      await page.waitForFunction(
        (b) =>
          [...document.querySelectorAll('[data-testid="present-table"]')]
            .map((e) => e.getAttribute('data-page'))
            .join() !== b,
        before,
      )
    }
  }
  return seen
}

describe('present mode (Chromium)', () => {
  for (const viewport of [FULL_HD, BEAMER]) {
    it(`table round at ${viewport.width}×${viewport.height}: ${CARDS_PER_TABLE} cards per table, full text, large type, nothing clipped or broken mid-word, axe clean`, async () => {
      const m = await meeting()
      await m.phase('ronde')
      const projector = await openPage(projectorUrl(m), viewport)
      await scene(projector, PresentScene.Tables)
      await projector.getByTestId('present-card').first().waitFor()
      expect(await projector.getByTestId('present-table').count()).toBe(3)
      const audit = await auditText(projector, '[data-testid="present-card"]')
      console.log(
        `[present] tables ${viewport.width}×${viewport.height}: ${audit.nodes} text nodes, smallest ${audit.minPx.toFixed(1)} px, pages per table ${await projector
          .getByTestId('present-table')
          .evaluateAll((els) => els.map((e) => e.getAttribute('data-pages')).join('/'))}`,
      )
      expect(audit.nodes).toBeGreaterThan(0)
      expect(audit.minPx).toBeGreaterThanOrEqual(MIN_PX[viewport.width]!)
      expect(audit.clipped).toEqual([])
      expect(audit.broken).toEqual([])
      expect(await seriousViolations(projector)).toEqual([])
      // every card, in full, over the pages
      const seen = await allCardsOverPages(projector)
      expect(new Map([...seen].sort())).toEqual(new Map([...m.texts].sort()))
      const after = await auditText(projector, '[data-testid="present-card"]')
      expect(after.clipped).toEqual([])
      expect(after.broken).toEqual([])
    })
  }

  it('a table with more cards than fit pages by itself, and comes back to the first page', async () => {
    const m = await meeting(24)
    await m.phase('ronde')
    const projector = await openPage(projectorUrl(m), BEAMER)
    await scene(projector, PresentScene.Tables)
    const column = projector.getByTestId('present-table').first()
    await column.getByTestId('present-card').first().waitFor()
    const pages = Number(await column.getAttribute('data-pages'))
    expect(pages).toBeGreaterThan(1)
    expect(await column.getByTestId('present-page').textContent()).toBe(`Deel 1 van ${pages}`)
    const seen = await allCardsOverPages(projector)
    expect(seen.size).toBe(m.texts.size)
    // the longest column has turned (its pages - 1) times; the first column wraps round
    const turns = Math.max(
      ...(await projector
        .getByTestId('present-table')
        .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-pages'))))),
    )
    for (let ms = 0; ms < PAGE_TURN_MS; ms += 500) await projector.clock.runFor(500)
    await projector.waitForFunction(
      (want) =>
        document.querySelector('[data-testid="present-table"]')?.getAttribute('data-page') === want,
      String((turns % pages) + 1),
    )
  })

  it('the scene follows the phase and the facilitator’s override; voting shows "N van M" in all and per table; the facilitator sees it in the preview', async () => {
    const m = await meeting(3)
    await m.phase('welkom')
    const projector = await openPage(projectorUrl(m), FULL_HD)
    await scene(projector, PresentScene.Join)
    await projector.getByRole('img', { name: /QR-code/ }).waitFor()
    await projector.getByText('9 mensen doen mee').waitFor()
    expect(await projector.getByTestId('joined-table').allInnerTexts()).toEqual(
      m.info.tables.map((t) => `${t.name} 3 mensen`),
    )

    const fac = await openPage(
      `${m.server.url}${ROUTES.facilitate(m.ws.id, m.ws.facilitatorKey)}`,
      {
        width: 1280,
        height: 800,
      },
    )
    await fac.getByTestId('facilitator-panel').waitFor()
    // the facilitator steps through the scenes
    await fac.getByRole('button', { name: 'Volgende scène' }).click()
    await scene(projector, PresentScene.Tables)
    await fac.getByLabel('Scène kiezen').selectOption({ label: 'Uitkomst' })
    await scene(projector, PresentScene.Outcome)
    await fac.getByRole('button', { name: 'Laat de fase kiezen' }).click()
    await scene(projector, PresentScene.Join)
    // a card on the screen, large
    await fac.getByLabel('Kaart op het scherm').focus()
    await fac.getByLabel('Kaart op het scherm').selectOption('c1-0')
    await fac.getByRole('button', { name: 'Toon op scherm' }).first().click()
    await scene(projector, PresentScene.Spotlight)
    expect(await projector.getByTestId('spotlight-text').innerText()).toBe(m.texts.get('c1-0'))
    const spot = await auditText(projector, '[data-testid="spotlight-text"]')
    expect(spot.minPx).toBeGreaterThanOrEqual(48)
    expect(spot.clipped).toEqual([])

    // the next phase takes the screen back from the pick
    await m.phase('ronde')
    await scene(projector, PresentScene.Tables)
    await m.phase('stemmen')
    const roundId = await m.api.open('dots')
    await scene(projector, PresentScene.Voting)
    expect(await projector.getByTestId('voting-option').count()).toBe(m.taskIds.length)
    await projector.getByTestId('voted-total').filter({ hasText: '0 van 9 gestemd' }).waitFor()
    await m.api.vote(0, roundId, { dots: { [m.taskIds[0]!]: 3 } })
    await m.api.vote(3, roundId, { dots: { [m.taskIds[1]!]: 3 } })
    await m.api.vote(1, roundId, { dots: { [m.taskIds[0]!]: 3 } })
    await projector.getByTestId('voted-total').filter({ hasText: '3 van 9 gestemd' }).waitFor()
    expect(await projector.getByTestId('voted-table').allInnerTexts()).toEqual([
      `${m.info.tables[0]!.name} 2 van 3`,
      `${m.info.tables[1]!.name} 1 van 3`,
      `${m.info.tables[2]!.name} 0 van 3`,
    ])
    // the room is not told it cannot change anything
    expect(await projector.getByText('Je kunt nu niets wijzigen').count()).toBe(0)

    // (before the preview opens: axe would wait on the frame, which has no axe of its own)
    expect(await seriousViolations(fac)).toEqual([])
    // the preview in the facilitator's panel is the projector's own page
    await fac.getByText('Voorbeeld van het scherm').click()
    const preview = fac.frameLocator('[data-testid="scene-preview"]')
    await preview.locator('[data-testid="present-view"][data-scene="voting"]').waitFor()
    await m.api.reveal(roundId)
    await scene(projector, PresentScene.Results)
    await preview.locator('[data-testid="present-view"][data-scene="results"]').waitFor()
  })

  for (const viewport of [FULL_HD, BEAMER]) {
    it(`results at ${viewport.width}×${viewport.height}: ranked bars in total and per table as the facilitator toggles, and the matrix with a tie, all on screen`, async () => {
      const m = await meeting(2)
      await m.phase('stemmen')
      const projector = await openPage(projectorUrl(m), viewport)
      const dots = await m.api.open('dots')
      // a tie for first place; every table has three voters, so none is pooled
      const ballots = [
        { [m.taskIds[0]!]: 3 },
        { [m.taskIds[1]!]: 3 },
        { [m.taskIds[2]!]: 2, [m.taskIds[3]!]: 1 },
        { [m.taskIds[0]!]: 2, [m.taskIds[4]!]: 1 },
        { [m.taskIds[1]!]: 2, [m.taskIds[5]!]: 1 },
        { [m.taskIds[6]!]: 1, [m.taskIds[7]!]: 1, [m.taskIds[8]!]: 1 },
        { [m.taskIds[0]!]: 1 },
        { [m.taskIds[1]!]: 1 },
        { [m.taskIds[2]!]: 1 },
      ]
      for (const [who, b] of ballots.entries()) await m.api.vote(who, dots, { dots: b })
      await m.api.reveal(dots)
      await scene(projector, PresentScene.Results)
      const bars = projector.getByTestId('result-bar')
      await bars.nth(m.taskIds.length - 1).waitFor()
      const values = await bars.evaluateAll((els) =>
        els.map((e) => Number(e.getAttribute('data-value'))),
      )
      expect(values).toEqual([...values].sort((a, b) => b - a))
      expect(values.slice(0, 2)).toEqual([6, 6])
      const total = await auditText(projector, '[data-testid="scene-results"]')
      expect(total.clipped).toEqual([])
      expect(total.broken).toEqual([])
      expect(total.minPx).toBeGreaterThanOrEqual(MIN_PX[viewport.width]! - 1)
      expect(await seriousViolations(projector)).toEqual([])

      // the facilitator's "Per tafel" is the projector's too
      writePresent(m.fac.control, { perTable: true })
      await projector.getByTestId('present-results-per-table').waitFor()
      expect(await projector.getByTestId('present-results-table').count()).toBe(3)
      const perTable = await auditText(projector, '[data-testid="scene-results"]')
      expect(perTable.clipped).toEqual([])
      expect(perTable.broken).toEqual([])

      // a scores round with two tasks on the very same spot
      const scores = await m.api.open('scores')
      await scene(projector, PresentScene.Voting)
      const sheet = Object.fromEntries(
        m.taskIds.map((id, i) => [
          id,
          { energie: i < 2 ? 4 : 1 + (i % 5), impact: i < 2 ? 4 : 5 - (i % 5) },
        ]),
      )
      for (let who = 0; who < 9; who++) await m.api.vote(who, scores, { scores: sheet })
      await m.api.reveal(scores)
      await scene(projector, PresentScene.Results)
      const points = projector.getByTestId('matrix-point')
      await points.nth(m.taskIds.length - 1).waitFor()
      // round markers: centres at least a diameter apart; labels cover no label and no marker
      const circles = await points.evaluateAll((els) =>
        els.map((e) => {
          const r = e.getBoundingClientRect()
          return { x: r.left + r.width / 2, y: r.top + r.height / 2, d: r.width }
        }),
      )
      const touching = circles.filter((a, i) =>
        circles.some((b, j) => j > i && Math.hypot(a.x - b.x, a.y - b.y) < a.d - 1),
      )
      expect(touching).toEqual([])
      const labels = await projector
        .getByTestId('matrix-label')
        .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect))
      const hits = (a: DOMRect, b: DOMRect) =>
        a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1
      const markerBoxes = await points.evaluateAll((els) =>
        els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect),
      )
      const covered = labels.filter(
        (a, i) =>
          labels.some((b, j) => j !== i && hits(a, b)) || markerBoxes.some((mb) => hits(a, mb)),
      )
      console.log(
        `[present] matrix ${viewport.width}×${viewport.height}: ${covered.length} of ${labels.length} labels touch another label or a marker`,
      )
      expect(covered).toEqual([])
      // each label's text inside its box, which is what the placement measured
      const spilled = await projector
        .getByTestId('matrix-label')
        .evaluateAll((els) =>
          els.filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent),
        )
      expect(spilled).toEqual([])
      // a label reads as its own marker's: its text is nearer to it than to any other, and one away
      // from it has a line
      const unclear = await projector.locator('[data-testid="results-matrix"]').evaluate((fig) => {
        const box = (e: Element) => e.getBoundingClientRect()
        const gap = (l: DOMRect, m: DOMRect) => {
          const [cx, cy, r] = [m.left + m.width / 2, m.top + m.height / 2, m.width / 2]
          const dx = Math.max(l.left - cx, 0, cx - l.right)
          const dy = Math.max(l.top - cy, 0, cy - l.bottom)
          return Math.max(0, Math.hypot(dx, dy) - r)
        }
        const markers = [...fig.querySelectorAll('[data-testid="matrix-point"]')]
        const lines = new Set(
          [...fig.querySelectorAll('[data-testid="matrix-leader"]')].map((l) =>
            l.getAttribute('data-task-id'),
          ),
        )
        return [...fig.querySelectorAll('[data-testid="matrix-label"]')].flatMap((label) => {
          const id = label.getAttribute('data-task-id')
          const own = markers.find((m) => m.getAttribute('data-task-id') === id)!
          // where its text is drawn, not its box: a line shorter than the box leaves a gap (beside
          // its marker the text is the placement's gap and the label's padding away, 8 px)
          const range = document.createRange()
          range.selectNodeContents(label)
          const l = range.getBoundingClientRect()
          const mine = gap(l, box(own))
          // clearly nearer: a few pixels either way do not change which marker text reads with
          const nearer = markers.some((m) => m !== own && gap(l, box(m)) < mine - 4)
          return (nearer || mine > 12) && !lines.has(id) ? [label.textContent] : []
        })
      })
      expect(unclear).toEqual([])
      expect(await projector.getByTestId('matrix-label').count()).toBe(m.taskIds.length)
      const matrix = await auditText(projector, '[data-testid="scene-results"]')
      console.log(
        `[present] results ${viewport.width}×${viewport.height}: smallest text ${Math.min(total.minPx, perTable.minPx).toFixed(1)} px (bars), ${matrix.minPx.toFixed(1)} px (matrix)`,
      )
      expect(matrix.clipped).toEqual([])
      expect(matrix.broken).toEqual([])
      expect(matrix.minPx).toBeGreaterThanOrEqual(16)
      expect(await seriousViolations(projector)).toEqual([])
    })
  }

  it('outcome and join scenes are axe clean and fit; a projector link to a missing workshop says so', async () => {
    const m = await meeting(2)
    await m.phase('horizon')
    m.fac.board.transact(() => {})
    const projector = await openPage(projectorUrl(m), BEAMER)
    await scene(projector, PresentScene.Outcome)
    await projector.getByTestId('outcome-chosen').waitFor()
    const outcome = await auditText(projector, '[data-testid="scene-outcome"]')
    expect(outcome.clipped).toEqual([])
    expect(await seriousViolations(projector)).toEqual([])
    await m.phase('welkom')
    await scene(projector, PresentScene.Join)
    const join = await auditText(projector, '[data-testid="scene-join"]')
    expect(join.clipped).toEqual([])
    expect(await seriousViolations(projector)).toEqual([])

    // a dead link loads nothing from the API (no join link, no QR) and says what is wrong
    const missing = await openPage(
      `${m.server.url}${ROUTES.present('geenworkshop0000', 'ABCDEFGHJK')}`,
      BEAMER,
    )
    await missing.getByRole('heading', { name: 'Deze workshop is er niet' }).waitFor()
    expect(await missing.getByText('Bord laden').count()).toBe(0)
  })
})
