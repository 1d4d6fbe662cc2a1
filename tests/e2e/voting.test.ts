import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { ROUTES } from '../../shared/api.ts'
import { createWorkshop } from '../helpers/server.ts'
import { useBrowser, newParticipantContext, startAppServer, watchPage } from '../helpers/browser.ts'
import { SEED_TASKS } from '../fixtures/builders.ts'
import { useCleanups } from '../helpers/lifecycle.ts'

const browser = useBrowser()
const track = useCleanups()

async function page(url: string): Promise<Page> {
  const ctx = await newParticipantContext(browser())
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

/** "12:34" -> seconds */
async function timerSeconds(p: Page): Promise<number> {
  const text = (await p.getByTestId('timer').textContent()) ?? ''
  const m = /(\d+):(\d\d)/.exec(text)
  if (!m) throw new Error(`no timer text in "${text}"`)
  return Number(m[1]) * 60 + Number(m[2])
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
    expect(await projector.getByTestId('join-code').textContent()).toContain(ws.joinCode)

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
    const values = await bars.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value'))))
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
    await projector.getByTestId('timer').filter({ hasText: /0?[67]:\d\d/ }).waitFor()
    const [a, b] = await Promise.all([timerSeconds(fac), timerSeconds(projector)])
    expect(Math.abs(a - b)).toBeLessThanOrEqual(1)
    expect(a).toBeGreaterThan(6 * 60)
    await fac.getByTestId('timer-pause').click()
    await projector.getByTestId('timer').and(projector.locator('[data-state="paused"]')).waitFor()
  })
})
