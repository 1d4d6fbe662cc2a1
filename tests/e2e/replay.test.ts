import { describe, expect, it } from 'vitest'
import fs from 'node:fs'
import { ROUTES } from '../../shared/api.ts'
import { addCard } from '../../shared/schema.ts'
import { addTask } from '../../shared/tasks.ts'
import { setChosen } from '../../shared/control.ts'
import { createWorkshop, lookup } from '../helpers/server.ts'
import { connectClient, live, saved } from '../helpers/clients.ts'
import { useBrowser, newParticipantContext, startAppServer, watchPage } from '../helpers/browser.ts'
import { SEED_TASKS, makeCard } from '../fixtures/builders.ts'
import { useCleanups } from '../helpers/lifecycle.ts'

const browser = useBrowser()
const track = useCleanups()

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
    early.forEach((text, i) => addCard(fac.board, makeCard({ id: `early-${i}`, table: info.tables[i]!.id, text })))
    await saved(fac)
    now += 60 * 60_000
    const middle = now
    now += 60 * 60_000
    ;['Regionale aanpak', 'Subsidies samen'].forEach((text, i) =>
      addCard(fac.board, makeCard({ id: `late-${i}`, table: info.tables[i]!.id, text })),
    )
    addTask(fac.board, { id: 'task-1', title: SEED_TASKS[3], origin: ['early-2'], author: 'f', created: 1 })
    setChosen(fac.control, 'task-1', true)
    await saved(fac)

    const ctx = await newParticipantContext(browser())
    track(() => ctx.close())
    const page = await ctx.newPage()
    const watch = watchPage(page)
    await page.goto(server.url + ROUTES.replay(ws.id, ws.facilitatorKey))
    const scrubber = page.getByTestId('replay-scrubber')
    await scrubber.waitFor()
    await scrubber.fill(String(middle))
    const board = page.getByTestId('replay-board')
    await board.getByTestId('card').filter({ hasText: 'Leren van elkaar' }).waitFor()
    expect(await board.getByTestId('card').count()).toBe(3)
    await board.getByText('Regionale aanpak').waitFor({ state: 'detached' })

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-download-md').click()])
    const text = fs.readFileSync((await download.path())!, 'utf8')
    expect(text).toContain('Collegiale consultatie')
    expect(text).toMatch(/Gekozen opgaven[\s\S]*Collegiale consultatie/)
    expect(watch.errors).toEqual([])
  })
})
