/**
 * Issue #12: peers get edits before they are on disk, so after a crash a tab may hold someone
 * else's edit the server lost. Here the tab's offline cache holds such an edit (a card under the
 * facilitator's client id, past what the server has) and one of Anna's own. The server takes
 * hers, cuts the other and says the copy diverged; the toast's reload saves her card first, then
 * shows the board as the server has it.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { addCard } from '../../shared/schema.ts'
import { setPhaseId, writePhases } from '../../shared/control.ts'
import { createWorkshop, lookup } from '../helpers/server.ts'
import { connectClient, live, saved } from '../helpers/clients.ts'
import {
  addToOfflineCache,
  joinInwonerBoard,
  savedStatus,
  startAppServer,
  useBrowser,
} from '../helpers/browser.ts'
import { makeCard } from '../fixtures/builders.ts'
import { useCleanups } from '../helpers/lifecycle.ts'

const browser = useBrowser()
const track = useCleanups()

describe('a copy that diverged from the server (Chromium)', () => {
  it('names it in a toast; its reload keeps her own card and drops the edit the server lost', async () => {
    const server = await startAppServer()
    track(() => server.close())
    const ws = await createWorkshop(server.url)
    const table = (await lookup(server.url, ws.joinCode)).tables.find(
      (t) => t.perspective === 'inwoner',
    )!.id
    const page = await joinInwonerBoard(browser(), server.url, ws.joinCode, track)
    await savedStatus(page).waitFor()

    // the facilitator's client id is on disk once it wrote something
    const fac = connectClient(server.wsUrl, ws.id, { kind: 'facilitator', key: ws.facilitatorKey })
    await live(fac)
    addCard(fac.board, makeCard({ id: 'fac-card', table, author: 'facilitator', text: 'Gebleven' }))
    await saved(fac)
    const atServer = Y.encodeStateVector(fac.board)
    // what a crash could leave in a tab: the facilitator's next card, relayed, never committed
    const copy = new Y.Doc()
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(fac.board))
    fac.destroy()
    copy.clientID = fac.board.clientID
    addCard(copy, makeCard({ id: 'lost-card', table, author: 'facilitator', text: 'Verloren' }))
    copy.clientID = 987_654_321
    addCard(copy, makeCard({ id: 'anna-card', table, author: 'ignored', text: 'Van Anna' }))
    await addToOfflineCache(page, `stip:${ws.id}:board`, Y.encodeStateAsUpdate(copy, atServer))
    await page.reload()

    const toast = page.locator('[data-testid="notice"][data-code="DIVERGED"]')
    await toast.waitFor()
    expect(await toast.textContent()).toContain('Na een storing mist de server')
    await page.locator('[data-card-id="lost-card"]').waitFor({ state: 'attached' })
    await Promise.all([page.waitForEvent('load'), page.getByTestId('diverged-reload').click()])
    await page.getByTestId('board').waitFor()
    await savedStatus(page).waitFor()
    await page.locator('[data-card-id="anna-card"]').waitFor({ state: 'attached' })
    expect({
      lost: await page.locator('[data-card-id="lost-card"]').count(),
      kept: await page.locator('[data-card-id="fac-card"]').count(),
      toast: await toast.count(),
    }).toEqual({ lost: 0, kept: 1, toast: 0 })
  })

  it("a participant's read-only control copy with a phase the server lost: the toast's reload shows the server's phase", async () => {
    const server = await startAppServer()
    track(() => server.close())
    const ws = await createWorkshop(server.url)
    const fac = connectClient(server.wsUrl, ws.id, { kind: 'facilitator', key: ws.facilitatorKey })
    track(() => fac.destroy())
    await live(fac)
    writePhases(fac.control, [
      { id: 'ph-1', name: 'Verkennen', minutes: 20 },
      { id: 'ph-2', name: 'Kiezen', minutes: 20 },
    ])
    setPhaseId(fac.control, 'ph-1')
    await saved(fac)
    const page = await joinInwonerBoard(browser(), server.url, ws.joinCode, track)
    await page.getByTestId('phase-name').filter({ hasText: 'Verkennen' }).waitFor()
    // what a crash could leave in her tab: the facilitator's next phase, relayed, never committed
    const atServer = Y.encodeStateVector(fac.control)
    const copy = new Y.Doc()
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(fac.control))
    copy.clientID = fac.control.clientID
    setPhaseId(copy, 'ph-2')
    await addToOfflineCache(page, `stip:${ws.id}:control`, Y.encodeStateAsUpdate(copy, atServer))
    await page.reload()

    const toast = page.locator('[data-testid="notice"][data-code="DIVERGED"]')
    await toast.waitFor()
    await page.getByTestId('phase-name').filter({ hasText: 'Kiezen' }).waitFor()
    await Promise.all([page.waitForEvent('load'), page.getByTestId('diverged-reload').click()])
    await page.getByTestId('board').waitFor()
    await page.getByTestId('phase-name').filter({ hasText: 'Verkennen' }).waitFor()
    expect(await toast.count()).toBe(0)
  })
})
