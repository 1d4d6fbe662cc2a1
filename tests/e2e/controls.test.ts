/**
 * The facilitator's controls with one truth (#11 point 3) and voting that fits the room (point 4),
 * in Chromium with role and label selectors: the lock trap, the timer on a phase change, agenda
 * names never cut off, a partial score ballot refused with a message, "N van M gestemd", deleting
 * a test round, the top N of an earlier round; axe clean throughout.
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { ROUND_API, ROUTES } from '../../shared/api.ts'
import { addTask } from '../../shared/tasks.ts'
import { listRounds, readLock, readRound, writeTimer } from '../../shared/control.ts'
import {
  PAGE_WAIT_MS,
  newParticipantContext,
  startAppServer,
  timerSeconds,
  useBrowser,
  watchPage,
} from '../helpers/browser.ts'
import { bearerFetch, facilitatedWorkshop } from '../helpers/scenario.ts'
import { saved } from '../helpers/clients.ts'
import { until } from '../helpers/wait.ts'
import { seriousViolations } from '../helpers/axe.ts'
import { SEED_TASKS } from '../fixtures/builders.ts'
import { useCleanups } from '../helpers/lifecycle.ts'

const browser = useBrowser()
const track = useCleanups()

async function open(url: string): Promise<Page> {
  const ctx = await newParticipantContext(browser())
  ctx.setDefaultTimeout(PAGE_WAIT_MS)
  track(() => ctx.close())
  const page = await ctx.newPage()
  const watch = watchPage(page)
  track(() => expect(watch.errors).toEqual([]))
  await page.goto(url)
  return page
}

async function meeting() {
  const server = await startAppServer()
  track(() => server.close())
  const { ws, info, fac } = await facilitatedWorkshop(
    server,
    track,
    'Regio Alkmaar: opgaven kiezen',
  )
  const taskIds = ['task-kader', 'task-leren', 'task-dienst']
  taskIds.forEach((id, i) =>
    addTask(fac.board, {
      id,
      title: SEED_TASKS[i]!,
      origin: [],
      author: 'facilitator',
      created: i,
    }),
  )
  await saved(fac)
  const facPage = await open(server.url + ROUTES.facilitate(ws.id, ws.facilitatorKey))
  await facPage.getByTestId('facilitator-panel').waitFor()
  const join = async (name: string, perspective: string) => {
    const p = await open(server.url + ROUTES.join(ws.joinCode))
    await p.getByTestId('join-name').fill(name)
    await p.getByTestId(`join-table-${perspective}`).check()
    await p.getByTestId('join-submit').click()
    await p.getByTestId('board').waitFor()
    return p
  }
  return {
    server,
    ws,
    info,
    fac,
    facPage,
    taskIds,
    join,
    api: bearerFetch(server.url, ws.facilitatorKey),
  }
}

const axeClean = async (page: Page, screen: string) => {
  const found = await seriousViolations(page)
  expect(found, `${screen}: ${JSON.stringify(found, null, 1)}`).toEqual([])
}

describe('controls with one truth (Chromium)', () => {
  it('the lock trap: the timer locks at 0:00, the button says "Bord openen", and one click unlocks for good', async () => {
    const m = await meeting()
    const inge = await m.join('Inge', 'inwoner')
    const f = m.facPage
    await f.getByRole('checkbox', { name: 'Op slot als de tijd om is' }).check()
    await f.getByRole('button', { name: 'Bord op slot zetten' }).waitFor()
    // the time ran out (a timer that ended a moment ago): the server locks, nobody clicks
    writeTimer(m.fac.control, { status: 'running', endsAt: Date.now() - 1_000, durationMs: 60_000 })
    await saved(m.fac)
    const unlock = f.getByRole('button', { name: 'Bord openen' })
    await unlock.waitFor()
    expect(await f.getByRole('timer').textContent()).toBe('0:00')
    expect(await f.getByTestId('lock-state').textContent()).toBe(
      'Het bord is op slot: de tijd is om.',
    )
    await inge.getByTestId('lock-banner').waitFor()
    await axeClean(f, 'facilitator, board locked by the timer')
    await unlock.click()
    await f.getByRole('button', { name: 'Bord op slot zetten' }).waitFor()
    await inge.getByTestId('lock-banner').waitFor({ state: 'detached' })
    await until(
      'server field open',
      [[m.fac.control, 'update']],
      () => !readLock(m.fac.control).locked,
    )
    // still at 0:00 with lock-on-end ticked: the same timer end does not lock again
    expect(await m.server.rooms.boardLocked(m.ws.id)).toBe(false)
    expect(await f.getByRole('checkbox', { name: 'Op slot als de tijd om is' }).isChecked()).toBe(
      true,
    )
    // and by hand: one click locks, one click unlocks
    await f.getByRole('button', { name: 'Bord op slot zetten' }).click()
    await inge.getByTestId('lock-banner').waitFor()
    await f.getByRole('button', { name: 'Bord openen' }).click()
    await inge.getByTestId('lock-banner').waitFor({ state: 'detached' })
  })

  it('a phase change starts that phase’s planned timer; "keep the timer" keeps the running one; names stay fully visible', async () => {
    const m = await meeting()
    const f = m.facPage
    await f.getByRole('button', { name: 'Volgende fase: Welkom' }).click()
    await f.getByTestId('phase-bar-now').filter({ hasText: 'Fase 1 van 7' }).waitFor()
    expect(await timerSeconds(f)).toBeGreaterThan(9 * 60)
    expect(await timerSeconds(f)).toBeLessThanOrEqual(10 * 60)
    await f.getByRole('button', { name: 'Volgende fase: Tafelronde 1' }).click()
    await f.getByTestId('phase-name').filter({ hasText: 'Tafelronde 1' }).waitFor()
    // 25 minutes of its own, not what was left of Welkom's 10
    expect(await timerSeconds(f)).toBeGreaterThan(24 * 60)
    await f.getByRole('checkbox', { name: /Timer laten doorlopen/ }).check()
    await f.getByRole('button', { name: 'Vorige fase: Welkom' }).click()
    await f.getByTestId('phase-name').filter({ hasText: 'Welkom' }).waitFor()
    expect(await timerSeconds(f)).toBeGreaterThan(24 * 60)
    await f.getByRole('button', { name: 'Vorige fase' }).and(f.locator(':disabled')).waitFor()

    // a long agenda name wraps in its field instead of being cut off
    const long = 'Tafelronde 1: visie op samenwerking van inwoners en maatschappelijke partners'
    const name = f.getByRole('textbox', { name: 'Naam van fase 2' })
    await name.fill(long)
    await name.press('Enter')
    await until('name saved', [[m.fac.control, 'update']], () =>
      JSON.stringify(m.fac.control.toJSON()).includes(long),
    )
    const clipped = await f
      .getByTestId('phase-name-input')
      .evaluateAll((els) =>
        els
          .filter((e) => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1)
          .map((e) => (e as HTMLTextAreaElement).value),
      )
    expect(clipped).toEqual([])
    expect(await name.inputValue()).toBe(long)
    await axeClean(f, 'facilitator controls with the phase bar')
  })
})

/** The participant's side drawer (tasks and ballot), closed by default at 1280 px, opened by its tab. */
async function openSide(p: Page) {
  const tab = p.getByTestId('drawer-tab-side')
  if ((await tab.getAttribute('aria-expanded')) !== 'true') await tab.click()
}

describe('voting that fits the room (Chromium)', () => {
  it('a partial score ballot is refused with a message; "N van M gestemd" counts the joined', async () => {
    const m = await meeting()
    const inge = await m.join('Inge', 'inwoner')
    await m.join('Mo', 'management')
    const res = await m.api('POST', ROUND_API.open(m.ws.id), { kind: 'scores', taskIds: m.taskIds })
    expect(res.status).toBe(201)
    const roundId = ((await res.json()) as { roundId: string }).roundId
    await openSide(inge)
    const ballot = inge.getByTestId('ballot')
    await ballot.waitFor()
    const first = SEED_TASKS[0]!
    await ballot
      .getByRole('radiogroup', { name: `Energie voor ${first}` })
      .getByRole('radio', { name: '4' })
      .check()
    await ballot
      .getByRole('radiogroup', { name: `Impact voor ${first}` })
      .getByRole('radio', { name: '3' })
      .check()
    await ballot.getByRole('button', { name: 'Stem uitbrengen' }).click()
    const alert = ballot.getByRole('alert').filter({ hasText: 'Je stem is nog niet verstuurd' })
    await alert.waitFor()
    expect(await alert.textContent()).toContain('2 opgaven van de 3 missen nog een score')
    expect(await alert.textContent()).toContain(SEED_TASKS[1]!)
    expect(await ballot.getByTestId('ballot-row-missing').count()).toBe(2)
    expect(await ballot.getByTestId('ballot-saved').count()).toBe(0)
    await axeClean(inge, 'participant, incomplete ballot')
    expect(readRound(m.fac.control, roundId)?.voterCount).toBe(0)
    await m.facPage.getByTestId('round-voters').filter({ hasText: '0 van 2 gestemd' }).waitFor()
    // skip the other two on purpose: now it is complete
    await ballot.getByRole('checkbox', { name: `Overslaan: ${SEED_TASKS[1]!}` }).check()
    await ballot.getByRole('checkbox', { name: `Overslaan: ${SEED_TASKS[2]!}` }).check()
    await ballot.getByRole('button', { name: 'Stem uitbrengen' }).click()
    await ballot.getByTestId('ballot-saved').waitFor()
    await m.facPage.getByTestId('round-voters').filter({ hasText: '1 van 2 gestemd' }).waitFor()
  })

  it('an unrevealed round can be deleted after a confirmation; a new round can take the top N of a revealed one', async () => {
    const m = await meeting()
    const [inge] = await Promise.all([m.join('Inge', 'inwoner'), m.join('Mo', 'management')])
    const f = m.facPage
    // a test round, deleted again
    await f.getByRole('button', { name: 'Stemronde openen' }).click()
    await f.getByRole('dialog').getByRole('button', { name: 'Stemronde openen' }).click()
    await f.getByTestId('round-status').filter({ hasText: 'Stemronde is open' }).waitFor()
    await f.getByRole('button', { name: 'Stemronde verwijderen' }).click()
    const confirm = f.getByRole('dialog', { name: /Stemronde .* verwijderen\?/ })
    await confirm.waitFor()
    await axeClean(f, 'delete round confirmation')
    await confirm.getByRole('button', { name: 'Stemronde verwijderen' }).click()
    await until(
      'round deleted',
      [[m.fac.control, 'update']],
      () => listRounds(m.fac.control).length === 0,
    )
    await f.getByTestId('round-status').waitFor({ state: 'detached' })

    // a real dots round, revealed; then the top 1 of it
    const res = await m.api('POST', ROUND_API.open(m.ws.id), {
      kind: 'dots',
      taskIds: m.taskIds,
      dotsPerPerson: 3,
      maxPerTask: 3,
    })
    const dots = ((await res.json()) as { roundId: string }).roundId
    await openSide(inge)
    const ballot = inge.getByTestId('ballot')
    await ballot.waitFor()
    for (let i = 0; i < 3; i++)
      await ballot.getByRole('button', { name: `Stip erbij bij ${SEED_TASKS[2]!}` }).click()
    await ballot.getByRole('button', { name: 'Stem uitbrengen' }).click()
    await ballot.getByTestId('ballot-saved').waitFor()
    expect((await m.api('POST', ROUND_API.reveal(m.ws.id, dots), {})).status).toBe(200)
    await f.getByRole('button', { name: 'Stemronde openen' }).click()
    const dialog = f.getByRole('dialog')
    await dialog.getByRole('radio', { name: 'De beste uit een eerdere ronde' }).check()
    await dialog.getByRole('spinbutton', { name: 'Aantal' }).fill('1')
    await dialog.getByTestId('round-top-list').filter({ hasText: SEED_TASKS[2]! }).waitFor()
    expect(await dialog.getByTestId('round-top-list').getByRole('listitem').count()).toBe(1)
    await axeClean(f, 'open round dialog, top N')
    await dialog.getByRole('radio', { name: /Scores geven/ }).check()
    await dialog.getByRole('button', { name: 'Stemronde openen' }).click()
    await until('top round open', [[m.fac.control, 'update']], () =>
      listRounds(m.fac.control).some((r) => r.status === 'open'),
    )
    expect(listRounds(m.fac.control).find((r) => r.status === 'open')?.taskIds).toEqual([
      'task-dienst',
    ])
  })

  it('a task a participant proposed is marked as proposed', async () => {
    const m = await meeting()
    const inge = await m.join('Inge', 'inwoner')
    await openSide(inge)
    await inge.getByRole('textbox', { name: 'Nieuwe opgave' }).fill('Buurtbudget per wijk')
    await inge.getByRole('button', { name: 'Opgave toevoegen' }).click()
    const item = m.facPage.getByTestId('task-item').filter({ hasText: 'Buurtbudget per wijk' })
    await item.getByText('voorgesteld door deelnemer').waitFor()
    // the facilitator's own tasks carry no mark
    expect(await m.facPage.getByTestId('task-proposed').count()).toBe(1)
  })
})
