/**
 * [finding 13, client side] An edit the server refuses (here: a participant's new table, which
 * only facilitators may add, left in the tab's offline cache) is named in a toast; "Lokaal
 * bewaren" keeps it and the status says "not saved"; "Weggooien" clears the cache and the board is
 * the server's again.
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import * as decoding from 'lib0/decoding'
import { MessageType } from '../../shared/protocol.ts'
import { createWorkshop } from '../helpers/server.ts'
import {
  cacheForgedTable,
  joinOnPage,
  newParticipantContext,
  savedStatus,
  startAppServer,
  useBrowser,
  watchPage,
} from '../helpers/browser.ts'
import { useCleanups } from '../helpers/lifecycle.ts'

const browser = useBrowser()
const track = useCleanups()

const status = (page: Page, s: string) => page.locator(`[data-testid="status"][data-status="${s}"]`)

/** Inge joined at her table; her offline cache then holds a table only facilitators may add. */
async function ingeWithForgedTable() {
  const server = await startAppServer()
  track(() => server.close())
  const ws = await createWorkshop(server.url)
  const ctx = await newParticipantContext(browser())
  track(() => ctx.close())
  const page = await ctx.newPage()
  const watch = watchPage(page)
  await joinOnPage(page, server.url, ws.joinCode, 'Inge')
  await savedStatus(page).waitFor()

  await cacheForgedTable(page, ws.id, 'forged-table')
  return { page, watch }
}

describe('a refused edit (Chromium)', () => {
  it('is named in a toast; keep leaves it unsaved, discard brings the board back to the server state', async () => {
    const { page, watch } = await ingeWithForgedTable()
    await page.reload()

    const toast = page.locator('[data-testid="notice"][data-code="FORBIDDEN"][data-root="tables"]')
    await toast.waitFor()
    expect(await toast.textContent()).toContain('Je wijziging aan de tafels is niet opgeslagen')
    const forgedZone = page.locator('[data-table-id="forged-table"]')
    await forgedZone.waitFor({ state: 'attached' })
    await page.getByTestId('keep-local').click()
    await toast.waitFor({ state: 'detached' })
    await status(page, 'not-saved').waitFor()
    expect(await page.getByTestId('status').textContent()).toContain('Niet opgeslagen')

    // the next visit asks again; this time the person discards it
    await page.reload()
    await toast.waitFor()
    await Promise.all([page.waitForEvent('load'), page.getByTestId('discard-local').click()])
    await page.getByTestId('board').waitFor()
    // saved: the edits the offline cache replays (the control doc's) are acked again
    await savedStatus(page).waitFor()
    await page.getByTestId('zone-inwoner').waitFor()
    expect(await forgedZone.count()).toBe(0)
    expect(await page.getByText('Verboden tafel').count()).toBe(0)
    expect(await toast.count()).toBe(0)
    expect(watch.errors.filter((e) => !/WebSocket/.test(e))).toEqual([])
  }, 60_000)

  it('that arrives before the toasts’ code is put into the polite region the board drew from the start', async () => {
    const { page } = await ingeWithForgedTable()
    // the toasts are a chunk of their own (client/widgets/LazyNotices.tsx): hold it back
    let release = () => {}
    const late = new Promise<void>((resolve) => (release = resolve))
    await page.route(/\/assets\/Notices-[^/]+\.js$/, async (route) => {
      await late
      await route.continue()
    })
    let heard = () => {}
    const noticeHeard = new Promise<void>((resolve) => (heard = resolve))
    page.on('websocket', (ws) =>
      ws.on('framereceived', ({ payload }) => {
        if (typeof payload === 'string') return
        const d = decoding.createDecoder(new Uint8Array(payload))
        if (decoding.readVarUint(d) === MessageType.Notice) heard()
      }),
    )
    await page.reload()
    await noticeHeard
    const region = page.getByRole('region', { name: 'Melding' })
    await region.waitFor({ state: 'attached' })
    expect(await region.getAttribute('aria-live')).toBe('polite')
    expect(await region.getByTestId('notice').count()).toBe(0)
    release()
    await region.locator('[data-testid="notice"][data-code="FORBIDDEN"]').waitFor()
  })
})
