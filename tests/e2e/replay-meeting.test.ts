/**
 * The replay shows the whole meeting (issue 11 point 10): statement, principles, tasks, rounds and
 * results as they were at a moment in the middle, beside the cards; and progress while it loads.
 */
import { describe, expect, it } from 'vitest'
import { ROUND_API } from '../../shared/api.ts'
import { type Block, writeBlocks } from '../../shared/richtext.ts'
import { addCard, boardRoot } from '../../shared/schema.ts'
import { addTask, writePrinciple } from '../../shared/tasks.ts'
import { setChosen } from '../../shared/control.ts'
import { joinTable } from '../helpers/server.ts'
import { saved } from '../helpers/clients.ts'
import { openReplayPage, startAppServer, useBrowser } from '../helpers/browser.ts'
import { makeCard } from '../fixtures/builders.ts'
import { useCleanups } from '../helpers/lifecycle.ts'
import { seriousViolations } from '../helpers/axe.ts'
import { bearerFetch, facilitatedWorkshop } from '../helpers/scenario.ts'

const browser = useBrowser()
const track = useCleanups()

const statement = (text: string): Block[] => [
  { type: 'paragraph', runs: [{ text, marks: [] }], children: [] },
]

async function meeting(now: () => number) {
  const server = await startAppServer({ clock: { now } })
  track(() => server.close())
  const { ws, info, fac } = await facilitatedWorkshop(server, track, 'Leertuin Participatie')
  const asFacilitator = bearerFetch(server.url, ws.facilitatorKey)
  const ok = async (res: Promise<Response>) => {
    const r = await res
    if (!r.ok) throw new Error(`${r.status} ${await r.text()}`)
    return r
  }
  return { server, ws, info, fac, asFacilitator, ok }
}

describe('replay of the whole meeting (Chromium)', () => {
  it('at a moment in the middle the replay shows the statement, principles, tasks, rounds and results as they were', async () => {
    let now = Date.UTC(2026, 10, 22, 18, 0)
    const { server, ws, info, fac, asFacilitator, ok } = await meeting(() => now)
    addCard(fac.board, makeCard({ id: 'k1', table: info.tables[0]!.id, text: 'Eén loket' }))
    writeBlocks(boardRoot(fac.board).statement, statement('De inwoner staat centraal.'))
    writePrinciple(fac.board, { id: 'pr1', text: 'Iedereen doet mee', order: 1 })
    addTask(fac.board, { id: 't1', title: 'Eén loket', origin: [], author: 'f', created: 1 })
    addTask(fac.board, { id: 't2', title: 'Samen leren', origin: [], author: 'f', created: 2 })
    await saved(fac)
    const people = await Promise.all(
      ['Anna', 'Bram', 'Cem'].map((name, i) =>
        joinTable(server.url, ws.joinCode, name, info.tables[i]!.id),
      ),
    )
    now += 10 * 60_000
    const first = (
      (await (
        await ok(
          asFacilitator('POST', ROUND_API.open(ws.id), {
            kind: 'dots',
            taskIds: ['t1', 't2'],
            title: 'Welke opgaven eerst?',
            dotsPerPerson: 3,
            maxPerTask: 3,
          }),
        )
      ).json()) as { roundId: string }
    ).roundId
    for (const p of people)
      await ok(
        bearerFetch(server.url, p.token)('POST', ROUND_API.ballot(ws.id, first), {
          dots: { t1: 2, t2: 1 },
        }),
      )
    now += 5 * 60_000
    await ok(asFacilitator('POST', ROUND_API.reveal(ws.id, first), {}))
    await saved(fac)

    now += 20 * 60_000
    const middle = now
    now += 40 * 60_000
    // after the middle: a new statement, a principle and a task, a second round still open
    writeBlocks(boardRoot(fac.board).statement, statement('Later herschreven stip.'))
    writePrinciple(fac.board, { id: 'pr2', text: 'Eerlijk over wat niet lukt', order: 2 })
    addTask(fac.board, { id: 't3', title: 'Data delen', origin: [], author: 'f', created: 3 })
    setChosen(fac.control, 't1', true)
    await ok(
      asFacilitator('POST', ROUND_API.open(ws.id), {
        kind: 'dots',
        taskIds: ['t1', 't2', 't3'],
        title: 'Tweede ronde',
        dotsPerPerson: 3,
        maxPerTask: 3,
      }),
    )
    await saved(fac)

    const { page, watch } = await openReplayPage(browser(), server.url, ws, track)
    const scrubber = page.getByTestId('replay-scrubber')
    await scrubber.waitFor()
    const meetingPanel = page.getByRole('region', { name: 'Het overleg op dit moment' })
    // the end of the meeting first
    await meetingPanel.getByText('Later herschreven stip.').waitFor()
    expect(await meetingPanel.getByTestId('replay-round').count()).toBe(2)

    await scrubber.fill(String(middle))
    const statementPanel = meetingPanel.getByTestId('statement-panel')
    await statementPanel.getByText('De inwoner staat centraal.').waitFor()
    await statementPanel.getByText('Later herschreven stip.').waitFor({ state: 'detached' })
    const principles = meetingPanel.getByTestId('principles-panel').getByTestId('principle-item')
    expect(await principles.allInnerTexts()).toEqual(['Iedereen doet mee'])
    const tasks = meetingPanel.getByTestId('tasks-panel').getByTestId('task-item')
    expect(await tasks.count()).toBe(2)
    // not chosen yet at that moment
    expect(await meetingPanel.getByTestId('tasks-panel').locator('.is-chosen').count()).toBe(0)
    const rounds = meetingPanel.getByTestId('replay-round')
    expect(await rounds.count()).toBe(1)
    expect(await rounds.first().getAttribute('data-status')).toBe('revealed')
    expect(await rounds.first().innerText()).toContain('3 stemmers')
    const results = meetingPanel.getByTestId('results')
    await results.getByRole('heading', { name: 'Uitslag: Welke opgaven eerst?' }).waitFor()
    expect(await results.innerText()).toContain('Eén loket')
    // read-only: nothing in the meeting panel edits
    expect(await meetingPanel.locator('input, textarea, [contenteditable="true"]').count()).toBe(0)
    expect(
      await meetingPanel.getByRole('button', { name: /bewerk|verwijder|toevoegen|kies/i }).count(),
    ).toBe(0)
    // the cards beside it are those of the same moment
    expect(await page.getByTestId('replay-board').getByTestId('card').count()).toBe(1)
    expect(await seriousViolations(page)).toEqual([])
    expect(watch.errors).toEqual([])
  })

  it('shows progress while the history downloads and the timeline is built, then the screen', async () => {
    const { server, ws, info, fac } = await meeting(() => Date.now())
    // enough history that a slow link takes seconds to bring it
    const long =
      'Wat is er nodig om dit samen te doen, over de grenzen van gemeenten heen? '.repeat(6)
    let restore: () => Promise<unknown> = async () => {}
    for (let i = 0; i < 200; i++)
      addCard(fac.board, makeCard({ id: `c${i}`, table: info.tables[i % 3]!.id, text: long }))
    await saved(fac)

    // ~40 KB/s: the history (over 100 KB) takes seconds
    const { page, watch } = await openReplayPage(browser(), server.url, ws, track, async (p) => {
      const cdp = await p.context().newCDPSession(p)
      await cdp.send('Network.enable')
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 0,
        downloadThroughput: 40_000,
        uploadThroughput: -1,
      })
      restore = () =>
        cdp.send('Network.emulateNetworkConditions', {
          offline: false,
          latency: 0,
          downloadThroughput: -1,
          uploadThroughput: -1,
        })
    })
    const bar = page.getByRole('progressbar', { name: 'Terugkijken laden' })
    await bar.waitFor()
    await page.getByRole('status').filter({ hasText: 'Geschiedenis ophalen…' }).waitFor()
    // the bar moves while the bytes come in
    await page.waitForFunction(() => {
      const el = document.querySelector('[data-testid="replay-progress"] progress')
      return el instanceof HTMLProgressElement && el.value > 0 && el.value < 100
    })
    expect(await seriousViolations(page)).toEqual([])
    await restore()
    await page.getByTestId('replay-scrubber').waitFor()
    await bar.waitFor({ state: 'detached' })
    await page.getByTestId('replay-board').getByTestId('card').first().waitFor()
    expect(watch.errors).toEqual([])
  })
})
