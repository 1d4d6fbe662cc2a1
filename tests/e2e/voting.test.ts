import { describe, expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import {
  API,
  type BallotRequest,
  type OpenRoundRequest,
  ROUND_API,
  ROUTES,
  formatJoinCode,
} from '../../shared/api.ts'
import { addCard } from '../../shared/schema.ts'
import { addTask, listTasks, readTask } from '../../shared/tasks.ts'
import { PresentScene, listRounds } from '../../shared/control.ts'
import { writePresent } from '../../shared/control-actions.ts'
import {
  PRESENT_CARD_TEXT_MIN_PX,
  PRESENT_TABLE_NAME_MIN_PX,
} from '../../client/model/useProjectorView.ts'
import { createWorkshop, joinTable } from '../helpers/server.ts'
import {
  PAGE_WAIT_MS,
  useBrowser,
  newParticipantContext,
  startAppServer,
  timerSeconds,
  watchPage,
} from '../helpers/browser.ts'
import { SEED_TASKS, SEED_VISIONS, makeCard } from '../fixtures/builders.ts'
import { useCleanups } from '../helpers/lifecycle.ts'
import { bearerFetch, facilitatedWorkshop } from '../helpers/scenario.ts'
import { saved } from '../helpers/clients.ts'
import { until } from '../helpers/wait.ts'
import { seriousViolations } from '../helpers/axe.ts'

const browser = useBrowser()
const track = useCleanups()

async function page(url: string, viewport?: { width: number; height: number }): Promise<Page> {
  const ctx = viewport
    ? await browser().newContext({ locale: 'nl-NL', viewport })
    : await newParticipantContext(browser())
  ctx.setDefaultTimeout(PAGE_WAIT_MS)
  track(() => ctx.close())
  const p = await ctx.newPage()
  const watch = watchPage(p)
  track(() => expect(watch.errors).toEqual([]))
  await p.goto(url)
  return p
}

async function join(base: string, code: string, name: string, perspective: string): Promise<Page> {
  const p = await page(`${base}${ROUTES.join(code)}`)
  await p.getByTestId('join-name').fill(name)
  await p.getByTestId(`join-table-${perspective}`).check()
  await p.getByTestId('join-submit').click()
  await p.getByTestId('board').waitFor()
  return p
}

describe('facilitation and voting (Chromium)', () => {
  it('dot voting at three tables, revealed on the projector as a chart', async () => {
    const server = await startAppServer()
    track(() => server.close())
    const ws = await createWorkshop(server.url, 'Regio Alkmaar: opgaven kiezen')
    const fac = await page(`${server.url}${ROUTES.facilitate(ws.id, ws.facilitatorKey)}`)
    await fac.getByTestId('facilitator-panel').waitFor()
    for (const title of SEED_TASKS.slice(0, 3)) {
      await fac.getByTestId('task-title-input').fill(title)
      await fac.getByTestId('task-add').click()
    }
    await fac.getByTestId('task-item').nth(2).waitFor()

    const projector = await page(`${server.url}${ROUTES.present(ws.id, ws.joinCode)}`)
    await projector.getByTestId('present-view').waitFor()
    await projector.getByTestId('join-qr').waitFor()
    expect(await projector.getByTestId('join-code').textContent()).toContain(
      formatJoinCode(ws.joinCode),
    )

    const people = [
      await join(server.url, ws.joinCode, 'Inge', 'inwoner'),
      await join(server.url, ws.joinCode, 'Mo', 'management'),
      await join(server.url, ws.joinCode, 'Olaf', 'openbaar-bestuur'),
    ]

    await fac.getByTestId('round-open').click()
    await fac.getByTestId('round-kind-dots').check()
    await fac.getByTestId('round-submit').click()

    // each participant puts all 3 dots, at most 2 per task
    const plan = [
      [0, 0, 1],
      [1, 1, 2],
      [0, 2, 2],
    ]
    for (const [i, p] of people.entries()) {
      // drawers start closed for a participant at 1280 px: the round's cue opens the ballot
      await p.getByRole('button', { name: 'Naar de stemming' }).click()
      await p.getByTestId('ballot').waitFor()
      const buttons = p.getByTestId('ballot-plus')
      for (const task of plan[i]!) await buttons.nth(task).click()
      await p.getByTestId('ballot-submit').click()
      await p.getByTestId('ballot-saved').waitFor()
    }
    await fac.getByTestId('round-voters').filter({ hasText: '3' }).waitFor()
    await fac.getByTestId('round-reveal').click()

    const chart = projector.getByTestId('results-chart')
    await chart.waitFor()
    const bars = chart.getByTestId('result-bar')
    expect(await bars.count()).toBe(3)
    const values = await bars.evaluateAll((els) =>
      els.map((e) => Number(e.getAttribute('data-value'))),
    )
    expect(values.sort()).toEqual([3, 3, 3])
  })

  it('the timer shows the same remaining time on two screens (within 1 s)', async () => {
    const server = await startAppServer()
    track(() => server.close())
    const ws = await createWorkshop(server.url)
    const fac = await page(`${server.url}${ROUTES.facilitate(ws.id, ws.facilitatorKey)}`)
    await fac.getByTestId('facilitator-panel').waitFor()
    const projector = await page(`${server.url}${ROUTES.present(ws.id, ws.joinCode)}`)
    await projector.getByTestId('present-view').waitFor()
    await fac.getByTestId('timer-minutes').fill('7')
    await fac.getByTestId('timer-start').click()
    await projector
      .getByTestId('timer')
      .filter({ hasText: /0?[67]:\d\d/ })
      .waitFor()
    const [a, b] = await Promise.all([timerSeconds(fac), timerSeconds(projector)])
    expect(Math.abs(a - b)).toBeLessThanOrEqual(1)
    expect(a).toBeGreaterThan(6 * 60)
    await fac.getByTestId('timer-pause').click()
    await projector.getByTestId('timer').and(projector.locator('[data-state="paused"]')).waitFor()
  })
})

/** A projector at full HD, the usual beamer resolution. */
const PROJECTOR = { width: 1920, height: 1080 }

/** A workshop seeded over the wire: cards at every table (one in a far corner), three tasks, three voters. */
async function seededMeeting() {
  const server = await startAppServer()
  track(() => server.close())
  const { ws, info, fac } = await facilitatedWorkshop(
    server,
    track,
    'Regio Alkmaar: opgaven kiezen',
  )
  info.tables.forEach((t, i) => {
    addCard(
      fac.board,
      makeCard({
        id: `v${i}`,
        table: t.id,
        x: t.x + 24,
        y: t.y + 96,
        text: Object.values(SEED_VISIONS)[i]!,
      }),
    )
    // the far corner of the table: the first thing to fall off a board that is not re-fitted
    addCard(
      fac.board,
      makeCard({
        id: `c${i}`,
        table: t.id,
        x: t.x + t.w - 244,
        y: t.y + t.h - 164,
        text: SEED_TASKS[i]!,
      }),
    )
  })
  const taskIds = ['task-kader', 'task-leren', 'task-dienst']
  taskIds.forEach((id, i) =>
    addTask(fac.board, { id, title: SEED_TASKS[i]!, origin: [], author: 'f', created: i }),
  )
  await saved(fac)
  const people = await Promise.all(
    ['Inge', 'Mo', 'Olaf'].map((name, i) =>
      joinTable(server.url, ws.joinCode, name, info.tables[i]!.id),
    ),
  )
  const asFacilitator = bearerFetch(server.url, ws.facilitatorKey)
  const api = {
    open: async (req: OpenRoundRequest) => {
      const res = await asFacilitator('POST', ROUND_API.open(ws.id), req)
      expect(res.status).toBe(201)
      return ((await res.json()) as { roundId: string }).roundId
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
    close: async (roundId: string) =>
      expect((await asFacilitator('POST', ROUND_API.close(ws.id, roundId), {})).status).toBe(200),
    reveal: async (roundId: string) =>
      expect((await asFacilitator('POST', ROUND_API.reveal(ws.id, roundId), {})).status).toBe(200),
  }
  /** The id of round number `n` once it is open, read from the control doc. */
  const openRoundId = async (n: number) => {
    const nth = () => listRounds(fac.control)[n - 1]
    await until(`round ${n} open`, [[fac.control, 'update']], () => nth()?.status === 'open')
    return nth()!.id
  }
  return { server, ws, info, fac, taskIds, api, openRoundId }
}

/** Float rounding in the zoom's transform, far below a visible difference. */
const PX_EPSILON = 0.01

/** On-screen px of an element's text: its computed font size times the zoom of the board around it. */
const onScreenTextPx = (els: Locator) =>
  els.evaluateAll((nodes) =>
    nodes.map((n) => {
      const scaled = n.closest('.card, .zone') as HTMLElement
      const zoom = scaled.getBoundingClientRect().width / scaled.offsetWidth
      return parseFloat(getComputedStyle(n).fontSize) * zoom
    }),
  )

/** Whether every card lies inside the canvas's visible rectangle (1 px rounding allowed). */
const allCardsVisible = () => {
  const canvas = document.querySelector('[data-testid="board"]')!.getBoundingClientRect()
  const cards = [...document.querySelectorAll('[data-testid="card"]')].map((c) =>
    c.getBoundingClientRect(),
  )
  return (
    cards.length > 0 &&
    cards.every(
      (r) =>
        r.left >= canvas.left - 1 &&
        r.right <= canvas.right + 1 &&
        r.top >= canvas.top - 1 &&
        r.bottom <= canvas.bottom + 1,
    )
  )
}

const activeTestId = (p: Page) =>
  p.evaluate(
    () => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName,
  )

describe('projector, results of every round, tasks, focus (Chromium)', () => {
  it('the projector shows card text in large type without editing chrome, and re-fits the board when the results column appears', async () => {
    const m = await seededMeeting()
    // the live board is one of the projector's scenes (tests/e2e/present.test.ts has the others)
    writePresent(m.fac.control, { scene: PresentScene.Board })
    await saved(m.fac)
    const projector = await page(
      `${m.server.url}${ROUTES.present(m.ws.id, m.ws.joinCode)}`,
      PROJECTOR,
    )
    await projector.getByTestId('present-view').waitFor()
    const cards = projector.getByTestId('card')
    await cards.nth(5).waitFor()
    await projector.waitForFunction(allCardsVisible)

    // large type: card text and table names at least the stated minimum on screen
    const bodies = projector.locator('[data-testid="card"] .card-body')
    for (const px of await onScreenTextPx(bodies))
      expect(px).toBeGreaterThanOrEqual(PRESENT_CARD_TEXT_MIN_PX - PX_EPSILON)
    for (const px of await onScreenTextPx(projector.locator('.zone-name')))
      expect(px).toBeGreaterThanOrEqual(PRESENT_TABLE_NAME_MIN_PX - PX_EPSILON)
    // large text is clamped to the card's room (at most a default card's 140 px) and, the tables
    // arranging their cards, does not push cards over each other
    const boxes = await cards.evaluateAll((els) =>
      els.map((e) => ({
        h: (e as HTMLElement).offsetHeight,
        r: e.getBoundingClientRect().toJSON() as DOMRect,
      })),
    )
    for (const b of boxes) expect(b.h).toBeLessThanOrEqual(140)
    const overlapping = boxes.filter((a, i) =>
      boxes.some(
        (b, j) =>
          j > i &&
          a.r.left < b.r.right &&
          b.r.left < a.r.right &&
          a.r.top < b.r.bottom &&
          b.r.top < a.r.bottom,
      ),
    )
    expect(overlapping).toEqual([])
    // no editing chrome anywhere on the board
    expect(
      await projector
        .getByTestId('board')
        .locator('button, select, input, [contenteditable="true"]')
        .count(),
    ).toBe(0)
    expect(await projector.getByTestId('toolbar-add').count()).toBe(0)

    const widthBefore = await projector
      .getByTestId('board')
      .evaluate((e) => e.getBoundingClientRect().width)
    const roundId = await m.api.open({
      kind: 'dots',
      taskIds: m.taskIds,
      dotsPerPerson: 3,
      maxPerTask: 2,
    })
    await m.api.vote(0, roundId, { dots: { [m.taskIds[0]!]: 2, [m.taskIds[1]!]: 1 } })
    await m.api.reveal(roundId)
    // a reveal puts the results scene up; the facilitator takes the board back
    await projector.locator('[data-scene="results"]').waitFor()
    writePresent(m.fac.control, { scene: PresentScene.Board })
    await projector.getByTestId('results-chart').waitFor()
    // the results column is wider than the join column: the canvas really narrowed...
    await projector.waitForFunction(
      (w) =>
        document.querySelector('[data-testid="board"]')!.getBoundingClientRect().width < w - 100,
      widthBefore,
    )
    // ...and the board was fitted again, so the far corner cards are still in view
    await projector.waitForFunction(allCardsVisible)
    for (const px of await onScreenTextPx(bodies))
      expect(px).toBeGreaterThanOrEqual(PRESENT_CARD_TEXT_MIN_PX - PX_EPSILON)
    expect(await seriousViolations(projector)).toEqual([])
  })

  it('every revealed round stays reachable: the scores matrix after a later dots round, on the projector by the facilitator’s pick; untitled rounds get a name; tables in board order; focus follows', async () => {
    const m = await seededMeeting()
    const fac = await page(`${m.server.url}${ROUTES.facilitate(m.ws.id, m.ws.facilitatorKey)}`)
    await fac.getByTestId('facilitator-panel').waitFor()
    const projector = await page(
      `${m.server.url}${ROUTES.present(m.ws.id, m.ws.joinCode)}`,
      PROJECTOR,
    )
    await projector.getByTestId('present-view').waitFor()

    // round 1: scores, opened in the UI; focus lands on the new round's status
    await fac.getByTestId('round-open').click()
    await fac.getByTestId('round-kind-scores').check()
    await fac.getByTestId('round-submit').click()
    await fac
      .getByTestId('round-status')
      .filter({ hasText: 'Stemronde is open · Ronde 1 — scores' })
      .waitFor()
    await fac.waitForFunction(
      () => document.activeElement?.getAttribute('data-testid') === 'round-status',
    )
    const scoresRound = await m.openRoundId(1)
    const scores = Object.fromEntries(
      m.taskIds.map((id, i) => [id, { energie: 5 - i, impact: 2 + i }]),
    )
    for (const who of [0, 1, 2]) await m.api.vote(who, scoresRound, { scores })
    await fac.getByTestId('round-reveal').click()
    // focus moves to the results heading, which names the untitled round
    await fac.waitForFunction(
      () => document.activeElement?.getAttribute('data-testid') === 'results-heading',
    )
    expect(await fac.getByTestId('results-heading').textContent()).toBe('Uitslag: Ronde 1 — scores')
    await fac.getByTestId('results-matrix').waitFor()

    // round 2: dots, untitled too
    await fac.getByTestId('round-open').click()
    await fac.getByTestId('round-kind-dots').check()
    await fac.getByTestId('round-submit').click()
    await fac.waitForFunction(
      () => document.activeElement?.getAttribute('data-testid') === 'round-status',
    )
    const dotsRound = await m.openRoundId(2)
    // one voter per table: only a named workshop shows each table apart (tests/e2e/report-print pools them)
    expect(
      (
        await bearerFetch(m.server.url, m.ws.facilitatorKey)('PATCH', API.settings(m.ws.id), {
          anonymity: 'named',
        })
      ).status,
    ).toBe(200)
    await m.api.vote(2, dotsRound, { dots: { [m.taskIds[0]!]: 2 } })
    await m.api.vote(0, dotsRound, { dots: { [m.taskIds[0]!]: 1, [m.taskIds[1]!]: 2 } })
    await m.api.vote(1, dotsRound, { dots: { [m.taskIds[0]!]: 1 } })
    await fac.getByTestId('round-reveal').click()
    await fac.waitForFunction(
      () => document.activeElement?.getAttribute('data-testid') === 'results-heading',
    )
    expect(await fac.getByTestId('results-heading').textContent()).toBe(
      'Uitslag: Ronde 2 — stippen',
    )
    await projector.getByTestId('results-chart').waitFor()

    // per table, the tables keep the board's order
    await fac.getByTestId('results-per-table').click()
    const firstBar = fac.getByTestId('result-bar').first()
    const order = await firstBar
      .getByTestId('result-table-bar')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-table-id')))
    expect(order).toEqual(m.info.tables.map((t) => t.id))

    // the earlier round is one tab away (arrow keys, as tabs do), and the projector follows the pick
    const tabs = fac.getByTestId('results-tab')
    expect(await tabs.allTextContents()).toEqual(['Ronde 1 — scores', 'Ronde 2 — stippen'])
    expect(await tabs.nth(1).getAttribute('aria-selected')).toBe('true')
    await tabs.nth(1).focus()
    await fac.keyboard.press('ArrowLeft')
    await fac.getByTestId('results-matrix').waitFor()
    expect(await activeTestId(fac)).toBe('results-tab')
    expect(await tabs.nth(0).getAttribute('aria-selected')).toBe('true')
    await projector.getByTestId('results-matrix').waitFor()
    expect(await projector.getByTestId('matrix-legend-item').count()).toBe(3)
    expect(await projector.getByTestId('results-heading').textContent()).toBe(
      'Uitslag: Ronde 1 — scores',
    )
    // the projector has no tabs of its own
    expect(await projector.getByTestId('results-tab').count()).toBe(0)

    // choosing a task keeps focus on the toggle
    await fac.getByTestId('task-choose-0').click()
    await fac.getByTestId('task-choose-0').and(fac.locator('[aria-pressed="true"]')).waitFor()
    expect(await activeTestId(fac)).toBe('task-choose-0')
    expect(await seriousViolations(fac)).toEqual([])
  })

  it('the facilitator merges, unmerges and deletes tasks by keyboard; a task in the open round is refused; focus stays on a task', async () => {
    const m = await seededMeeting()
    const fac = await page(`${m.server.url}${ROUTES.facilitate(m.ws.id, m.ws.facilitatorKey)}`)
    await fac.getByTestId('facilitator-panel').waitFor()
    const item = (id: string) => fac.locator(`[data-testid="task-item"][data-task-id="${id}"]`)
    const [kader, leren, dienst] = m.taskIds as [string, string, string]
    await item(dienst).waitFor()

    // merge "leren" into "kader": focus goes to the kept task
    await item(kader).getByRole('checkbox').focus()
    await fac.keyboard.press('Space')
    await item(leren).getByRole('checkbox').focus()
    await fac.keyboard.press('Space')
    await fac.getByTestId('task-merge').focus()
    await fac.keyboard.press('Enter')
    await item(leren).waitFor({ state: 'detached' })
    await fac.waitForFunction(
      (id) =>
        document.activeElement ===
        document.querySelector(`[data-task-id="${id}"] input[type="checkbox"]`),
      kader,
    )
    expect(await item(kader).getByTestId('task-merged-item').textContent()).toContain(SEED_TASKS[1])

    // unmerge it again: a task of its own, focused
    await item(kader).getByTestId('task-unmerge').focus()
    await fac.keyboard.press('Enter')
    await item(leren).waitFor()
    await fac.waitForFunction(
      (id) =>
        document.activeElement ===
        document.querySelector(`[data-task-id="${id}"] input[type="checkbox"]`),
      leren,
    )
    expect(await item(kader).getByTestId('task-merged-list').count()).toBe(0)

    // while a round over these tasks is open, deleting is refused with a message
    const roundId = await m.api.open({
      kind: 'dots',
      taskIds: [kader, dienst],
      dotsPerPerson: 3,
      maxPerTask: 2,
    })
    await fac.getByTestId('round-close').waitFor()
    await item(kader).getByTestId('task-delete').focus()
    await fac.keyboard.press('Enter')
    const refused = item(kader).getByTestId('task-delete-refused')
    await refused.waitFor()
    expect(await refused.textContent()).toContain('open stemronde')
    expect(await fac.getByTestId('task-delete-dialog').isVisible()).toBe(false)
    expect(await item(kader).count()).toBe(1)

    // closed: delete asks first; Escape keeps the task and returns focus to the button
    await m.api.close(roundId)
    await fac.getByTestId('round-reveal').waitFor()
    await refused.waitFor({ state: 'detached' })
    await item(kader).getByTestId('task-delete').focus()
    await fac.keyboard.press('Enter')
    await fac.getByTestId('task-delete-dialog').waitFor()
    expect(await activeTestId(fac)).toBe('confirm-no')
    await fac.keyboard.press('Escape')
    await fac.getByTestId('task-delete-dialog').waitFor({ state: 'hidden' })
    expect(await activeTestId(fac)).toBe('task-delete')
    expect(await item(kader).count()).toBe(1)

    // confirmed: gone, and focus on the next task rather than <body>
    await fac.keyboard.press('Enter')
    await fac.getByTestId('task-delete-dialog').waitFor()
    await fac.keyboard.press('Shift+Tab')
    expect(await activeTestId(fac)).toBe('confirm-yes')
    await fac.keyboard.press('Enter')
    await item(kader).waitFor({ state: 'detached' })
    await fac.waitForFunction(
      (id) =>
        document.activeElement ===
        document.querySelector(`[data-task-id="${id}"] input[type="checkbox"]`),
      leren,
    )
    expect(await fac.getByTestId('task-item').count()).toBe(2)
    // deleted in the board doc, as every other screen sees it
    await until(
      'task deleted for the other connection',
      [[m.fac.board, 'update']],
      () => readTask(m.fac.board, kader) === null,
    )
    expect(listTasks(m.fac.board).map((t) => t.id)).toEqual([leren, dienst])
  })
})
