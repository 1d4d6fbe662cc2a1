import { describe, expect, it } from 'vitest'
import fs from 'node:fs'
import { HISTORY_API, ROUTES } from '../../shared/api.ts'
import { addCard, deleteCard, listCards } from '../../shared/schema.ts'
import { addTask } from '../../shared/tasks.ts'
import { setChosen } from '../../shared/control.ts'
import { createWorkshop, lookup } from '../helpers/server.ts'
import { connectClient, live, saved } from '../helpers/clients.ts'
import { openReplayPage, useBrowser, startAppServer } from '../helpers/browser.ts'
import { SEED_TASKS, makeCard } from '../fixtures/builders.ts'
import { useCleanups } from '../helpers/lifecycle.ts'
import { seriousViolations } from '../helpers/axe.ts'
import { DIFF_ITEMS_SHOWN } from '../../client/organiser/DiffView.tsx'
import { bearerFetch } from '../helpers/scenario.ts'
import { until } from '../helpers/wait.ts'

const browser = useBrowser()
const track = useCleanups()

const openReplay = (base: string, ws: { id: string; facilitatorKey: string }) =>
  openReplayPage(browser(), base, ws, track)

describe('replay and report (Chromium)', () => {
  it('the organiser scrubs to the middle of the meeting, sees the board as it was, and exports the report', async () => {
    // the server's clock is driven by the test: the meeting spans two hours
    let now = Date.UTC(2026, 10, 22, 18, 0)
    const server = await startAppServer({ clock: { now: () => now } })
    track(() => server.close())
    const ws = await createWorkshop(server.url, 'Leertuin Participatie')
    const info = await lookup(server.url, ws.joinCode)
    const fac = connectClient(server.wsUrl, ws.id, { kind: 'facilitator', key: ws.facilitatorKey })
    track(() => fac.destroy())
    await live(fac)
    const early = ['Eén loket', 'Werk naar vermogen', 'Leren van elkaar']
    early.forEach((text, i) =>
      addCard(fac.board, makeCard({ id: `early-${i}`, table: info.tables[i]!.id, text })),
    )
    await saved(fac)
    now += 60 * 60_000
    const middle = now
    now += 60 * 60_000
    ;['Regionale aanpak', 'Subsidies samen'].forEach((text, i) =>
      addCard(fac.board, makeCard({ id: `late-${i}`, table: info.tables[i]!.id, text })),
    )
    addTask(fac.board, {
      id: 'task-1',
      title: SEED_TASKS[3],
      origin: ['early-2'],
      author: 'f',
      created: 1,
    })
    setChosen(fac.control, 'task-1', true)
    await saved(fac)

    const { page, watch } = await openReplay(server.url, ws)
    const scrubber = page.getByTestId('replay-scrubber')
    await scrubber.waitFor()
    await scrubber.fill(String(middle))
    const board = page.getByTestId('replay-board')
    // the board drew the meeting's end before the scrub: the middle's cards show once the later
    // ones are gone, and only then is the count the middle's
    await board.getByTestId('card').filter({ hasText: 'Leren van elkaar' }).waitFor()
    await board.getByText('Regionale aanpak').waitFor({ state: 'detached' })
    expect(await board.getByTestId('card').count()).toBe(3)

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('report-download-md').click(),
    ])
    const text = fs.readFileSync((await download.path())!, 'utf8')
    expect(text).toContain('Collegiale consultatie')
    expect(text).toMatch(/Gekozen opgaven[\s\S]*Collegiale consultatie/)
    expect(watch.errors).toEqual([])
  })

  it('opening a snapshot shows the state it stored, even one taken in the same millisecond as a restore', async () => {
    let now = Date.UTC(2026, 10, 22, 18, 0)
    const server = await startAppServer({ clock: { now: () => now } })
    track(() => server.close())
    const ws = await createWorkshop(server.url, 'Leertuin Participatie')
    const info = await lookup(server.url, ws.joinCode)
    const call = bearerFetch(server.url, ws.facilitatorKey)
    const fac = connectClient(server.wsUrl, ws.id, { kind: 'facilitator', key: ws.facilitatorKey })
    track(() => fac.destroy())
    await live(fac)
    addCard(fac.board, makeCard({ id: 'oud', table: info.tables[0]!.id, text: 'Eén loket' }))
    await saved(fac)
    expect((await call('POST', HISTORY_API.snapshots(ws.id), { label: 'voor' })).status).toBe(201)
    const before = (await (await call('GET', HISTORY_API.snapshots(ws.id))).json()) as {
      id: string
    }[]

    // past the automatic interval, so this edit also brings an unlabelled automatic snapshot
    now += 30 * 60_000
    let autos = 0
    server.snapshots.on('taken', (m) => void (m.kind === 'auto' && autos++))
    deleteCard(fac.board, 'oud')
    addCard(
      fac.board,
      makeCard({ id: 'nieuw', table: info.tables[1]!.id, text: 'Regionale aanpak' }),
    )
    await saved(fac)
    await until('automatic snapshot', [[server.snapshots, 'taken']], () => autos === 1)

    // the restore's own snapshot and its edits share one server millisecond (within the automatic
    // interval, so the restore's edits bring no second automatic snapshot)
    now += 60_000
    expect((await call('POST', HISTORY_API.restore(ws.id, before[0]!.id), {})).status).toBe(200)
    await until('restore arrives', [[fac.board, 'update']], () =>
      listCards(fac.board).some((c) => c.id === 'oud'),
    )
    await saved(fac)
    const list = (await (await call('GET', HISTORY_API.snapshots(ws.id))).json()) as {
      id: string
      kind: string
    }[]
    const restoreSnap = list.find((s) => s.kind === 'restore')!

    const { page, watch } = await openReplay(server.url, ws)
    const board = page.getByTestId('replay-board')
    await board.getByText('Eén loket').waitFor() // the end of the meeting: restored
    const restoreItem = page.locator(
      `[data-testid="snap-item"][data-snapshot-id="${restoreSnap.id}"]`,
    )
    await restoreItem.getByTestId('snap-open').click()
    await board.getByText('Regionale aanpak').waitFor()
    await board.getByText('Eén loket').waitFor({ state: 'detached' })
    expect(await board.getByTestId('card').count()).toBe(1)
    await page
      .getByTestId('replay-snapshot-note')
      .filter({ hasText: '“Voor terugzetten voor”' })
      .waitFor()
    expect(await seriousViolations(page)).toEqual([])

    // each snapshot names its kind once; the automatic one has no label of its own
    const titles = await page
      .locator('[data-testid="snap-item"] .snap-title')
      .evaluateAll((els) => els.map((el) => (el as HTMLElement).innerText.split('\n')[0]?.trim()))
    expect(titles).toEqual(['Voor terugzetten voor', 'Automatisch', 'Handmatig voor'])

    // the same through a link, as the board's organiser menu opens it (a fresh load, not a hash change)
    await page.goto('about:blank')
    await page.goto(
      `${server.url}${ROUTES.replay(ws.id, ws.facilitatorKey)}&snapshot=${restoreSnap.id}`,
    )
    await page.getByTestId('replay-board').getByText('Regionale aanpak').waitFor()
    expect(await page.getByTestId('replay-board').getByTestId('card').count()).toBe(1)
    expect(watch.errors).toEqual([])
  })

  it('a long comparison shows the first items and a "show N more" button that reveals the rest and moves focus to it', async () => {
    const server = await startAppServer({ clock: { now: () => Date.UTC(2026, 10, 22, 18, 0) } })
    track(() => server.close())
    const ws = await createWorkshop(server.url, 'Leertuin Participatie')
    const info = await lookup(server.url, ws.joinCode)
    const fac = connectClient(server.wsUrl, ws.id, { kind: 'facilitator', key: ws.facilitatorKey })
    track(() => fac.destroy())
    await live(fac)
    expect(
      (
        await bearerFetch(server.url, ws.facilitatorKey)('POST', HISTORY_API.snapshots(ws.id), {
          label: 'leeg',
        })
      ).status,
    ).toBe(201)
    const total = DIFF_ITEMS_SHOWN + 7
    for (let i = 0; i < total; i++) {
      addCard(
        fac.board,
        makeCard({
          id: `k${String(i).padStart(2, '0')}`,
          table: info.tables[i % 3]!.id,
          text: `Kaart ${i}`,
          created: i,
        }),
      )
    }
    await saved(fac)

    const { page, watch } = await openReplay(server.url, ws)
    await page.getByTestId('snap-compare').click()
    const added = page.getByTestId('diff-cards-added')
    await added
      .getByRole('heading')
      .filter({ hasText: `(${total})` })
      .waitFor()
    expect(await added.getByRole('listitem').count()).toBe(DIFF_ITEMS_SHOWN)
    const more = added.getByRole('button', { name: 'Nog 7 tonen' })
    expect(await more.getAttribute('aria-controls')).toBe(
      await added.getByRole('list').getAttribute('id'),
    )
    await more.focus()
    await page.keyboard.press('Enter')
    await more.waitFor({ state: 'detached' })
    expect(await added.getByRole('listitem').count()).toBe(total)
    // focus lands on the first item that was hidden
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(
      `Kaart ${DIFF_ITEMS_SHOWN}`,
    )
    // short groups get no button
    expect(await page.getByTestId('diff-show-more').count()).toBe(0)
    expect(await seriousViolations(page)).toEqual([])
    expect(watch.errors).toEqual([])
  })
})
