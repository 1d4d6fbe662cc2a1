/**
 * Issue #11 points 2 and 6 in Chromium: the handover after creating a workshop (links to copy,
 * the printable table card), the facilitator link on a fresh device with the full role, "Mijn
 * workshops" across reloads and a cleared storage, co-facilitator links revoked from the menu,
 * the page that replaces a deleted workshop (also after a reload, with the offline copy wiped),
 * and a follow-up workshop opened in a new tab with its header complete.
 */
import { describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { ROUTES } from '../../shared/api.ts'
import { createWorkshop } from '../helpers/server.ts'
import {
  joinInwonerBoard,
  newParticipantContext,
  startAppServer,
  useBrowser,
  watchPage,
} from '../helpers/browser.ts'
import { seriousViolations } from '../helpers/axe.ts'
import { useCleanups } from '../helpers/lifecycle.ts'

const browser = useBrowser()
const track = useCleanups()

/** Pages in a PDF as Chromium writes it: one uncompressed /Type /Page dictionary per page. */
const pdfPages = (pdf: Buffer) =>
  (pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length

async function freshPage(): Promise<{ ctx: BrowserContext; page: Page; errors: string[] }> {
  const ctx = await newParticipantContext(browser())
  track(() => ctx.close())
  const page = await ctx.newPage()
  return { ctx, page, errors: watchPage(page).errors }
}

const axeClean = async (page: Page, screen: string) => {
  const found = await seriousViolations(page)
  expect(found, `${screen}: ${JSON.stringify(found, null, 1)}`).toEqual([])
}

const stipDatabases = (page: Page, workshopId: string) =>
  page.evaluate(
    async (id) =>
      (await indexedDB.databases())
        .map((d) => d.name ?? '')
        .filter((n) => n.startsWith(`stip:${id}:`))
        .sort(),
    workshopId,
  )

/** The facilitator link from the handover, opened on a device that never saw this workshop. */
async function openOnFreshDevice(link: string) {
  const other = await freshPage()
  await other.page.goto(link)
  await other.page.getByTestId('board').waitFor()
  return other
}

async function openOrganiserMenu(page: Page) {
  await page.getByRole('button', { name: 'Organisator' }).click()
  return page.getByRole('dialog', { name: 'Organisator' })
}

describe('handover and recovery (issue #11 point 2)', () => {
  it('after creating, the handover shows links to copy and a one-page A4 table card; the facilitator link gives a fresh device the full role', async () => {
    const server = await startAppServer()
    track(() => server.close())
    const { ctx, page, errors } = await freshPage()
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url })
    await page.goto(server.url + ROUTES.home)
    await page.getByLabel('Titel').fill('Leertuin Participatie')
    await page.getByRole('button', { name: 'Workshop aanmaken' }).click()
    await page
      .getByRole('heading', { name: 'Je workshop is klaar: Leertuin Participatie' })
      .waitFor()

    const participant = page.getByLabel('Deelnemerslink', { exact: true })
    await expect.poll(() => participant.inputValue()).toMatch(/\/j\/[A-Z2-9]{10}$/)
    const joinCode = /\/j\/([A-Z2-9]{10})$/.exec(await participant.inputValue())![1]!
    await page.getByRole('button', { name: 'Deelnemerslink kopiëren' }).click()
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'gekopieerd' }).textContent())
      .toBe('Deelnemerslink gekopieerd.')
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
      await participant.inputValue(),
    )

    const facilitator = page.getByLabel('Begeleiderslink', { exact: true })
    const facLink = await facilitator.inputValue()
    expect(facLink).toMatch(/\/w\/[^/]+\/facilitate#key=[\w-]+&code=[A-Z2-9]{10}$/)
    expect(facLink).toContain(`code=${joinCode}`)
    // the warning is the input's description, so a screen reader hears it with the link
    const described = await facilitator.getAttribute('aria-describedby')
    expect(await page.locator(`[id="${described}"]`).textContent()).toContain(
      'sleutel van je workshop',
    )
    await page.getByRole('button', { name: 'Begeleiderslink kopiëren' }).click()
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(facLink)
    expect(await page.getByTestId('handover-code').textContent()).toBe(
      `${joinCode.slice(0, 5)}-${joinCode.slice(5)}`,
    )
    await page.getByRole('img', { name: /QR-code om mee te doen/ }).waitFor()
    await axeClean(page, 'handover')

    // printing shows the table card alone, on one A4 page, QR and code included
    await page.emulateMedia({ media: 'print' })
    expect(await page.getByRole('heading', { level: 1 }).isVisible()).toBe(false)
    expect(await page.getByTestId('table-card').isVisible()).toBe(true)
    const qr = await page.getByTestId('table-card').getByRole('img').boundingBox()
    expect(qr!.width).toBeGreaterThan(300)
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true })
    expect(pdfPages(pdf)).toBe(1)
    await page.emulateMedia({ media: 'screen' })

    await page.getByRole('link', { name: 'Naar het bord' }).click()
    await page.waitForURL(/\/w\/[^/]+\/facilitate$/)
    await page.getByTestId('board').waitFor()
    expect(await page.getByTestId('board-join-code').textContent()).toContain(joinCode)

    // another device: the board as facilitator with code and projector link, replay and export
    const other = await openOnFreshDevice(facLink)
    expect(new URL(other.page.url()).hash).toBe('')
    expect(await other.page.getByTestId('board-join-code').textContent()).toContain(joinCode)
    expect(await other.page.getByRole('link', { name: 'Projectorweergave' }).count()).toBe(1)
    const menu = await openOrganiserMenu(other.page)
    const download = other.page.waitForEvent('download')
    await menu.getByRole('button', { name: 'Alle gegevens exporteren' }).click()
    expect((await download).suggestedFilename()).toMatch(/\.json$/)
    expect(await menu.getByRole('button', { name: 'Workshop verwijderen' }).count()).toBe(1)
    await menu.getByRole('link', { name: 'Terugkijken' }).click()
    await other.page.waitForURL(/\/replay/)
    await other.page.getByTestId('replay-scrubber').waitFor()
    expect(other.errors).toEqual([])
    expect(errors).toEqual([])
  })

  it('"Mijn workshops" lists this device\'s workshops after a reload; after clearing storage the facilitator link brings one back', async () => {
    const server = await startAppServer()
    track(() => server.close())
    const ws = await createWorkshop(server.url, 'Wijkavond Oost')
    const { page, errors } = await freshPage()
    await page.goto(server.url + ROUTES.facilitate(ws.id, ws.facilitatorKey))
    await page.getByTestId('board').waitFor()

    await page.goto(server.url + ROUTES.home)
    const list = page.getByRole('region', { name: 'Mijn workshops' })
    await list.getByText('Wijkavond Oost').waitFor()
    await page.reload()
    await list.getByText('Wijkavond Oost').waitFor()
    expect(await list.getByText('Begeleider', { exact: true }).count()).toBe(1)
    await axeClean(page, 'home with my workshops')
    await list.getByRole('link', { name: 'Openen' }).click()
    await page.waitForURL(/\/facilitate$/)
    await page.getByTestId('board').waitFor()

    await page.evaluate(() => localStorage.clear())
    await page.goto(server.url + ROUTES.home)
    await list.getByText('Op dit apparaat staan nog geen workshops.').waitFor()
    await page.goto(server.url + ROUTES.facilitate(ws.id, ws.facilitatorKey))
    await page.getByTestId('board').waitFor()
    await page.goto(server.url + ROUTES.home)
    await list.getByText('Wijkavond Oost').waitFor()

    // forgetting asks first, then the entry is gone
    await list.getByRole('button', { name: 'Vergeten' }).click()
    const confirm = page.getByRole('dialog', { name: /vergeten op dit apparaat/ })
    await confirm.getByRole('button', { name: 'Vergeten' }).click()
    await list.getByText('Op dit apparaat staan nog geen workshops.').waitFor()
    expect(errors).toEqual([])
  })

  it('a co-facilitator link opens the board as facilitator, without deletion; revoking it closes that board at once', async () => {
    const server = await startAppServer()
    track(() => server.close())
    const ws = await createWorkshop(server.url)
    const { page } = await freshPage()
    await page.goto(server.url + ROUTES.facilitate(ws.id, ws.facilitatorKey))
    await page.getByTestId('board').waitFor()
    let menu = await openOrganiserMenu(page)
    await menu.getByLabel('Naam (optioneel)').fill('Karin')
    await menu.getByRole('button', { name: 'Co-begeleiderslink maken' }).click()
    const coLink = await menu
      .getByLabel('Co-begeleiderslink voor Karin', { exact: true })
      .inputValue()
    expect(coLink).toContain(`/w/${ws.id}/facilitate#key=`)
    expect(coLink).not.toContain(ws.facilitatorKey)
    await axeClean(page, 'organiser menu with co-facilitator link')

    const co = await openOnFreshDevice(coLink)
    expect(await co.page.getByTestId('board-join-code').textContent()).toContain(ws.joinCode)
    const coMenu = await openOrganiserMenu(co.page)
    await coMenu.getByRole('button', { name: 'Alle gegevens exporteren' }).waitFor()
    expect(await coMenu.getByRole('button', { name: 'Workshop verwijderen' }).count()).toBe(0)
    expect(await coMenu.getByRole('region', { name: 'Co-begeleiders' }).count()).toBe(0)
    await coMenu.getByRole('button', { name: 'Sluiten' }).click()
    await expect.poll(() => co.page.getByTestId('status').getAttribute('data-status')).toBe('live')

    menu = page.getByRole('dialog', { name: 'Organisator' })
    await menu.getByRole('button', { name: 'Intrekken: Karin' }).click()
    await menu.getByText('De link van Karin is ingetrokken').waitFor()
    await expect
      .poll(() => co.page.getByTestId('status').getAttribute('data-status'))
      .toBe('refused')
    expect(await co.page.getByTestId('status').textContent()).toContain('niet (meer) aangemeld')
    // the facilitator's own board is untouched
    expect(await page.getByTestId('status').getAttribute('data-status')).not.toBe('refused')
  })
})

describe('participants are told (issue #11 point 6)', () => {
  it("a deleted workshop replaces the participant's board with a clear page and wipes its local copy, also after a reload", async () => {
    const server = await startAppServer()
    track(() => server.close())
    const ws = await createWorkshop(server.url)
    const anna = await joinInwonerBoard(browser(), server.url, ws.joinCode, track)
    await expect
      .poll(() => stipDatabases(anna, ws.id))
      .toEqual([`stip:${ws.id}:board`, `stip:${ws.id}:control`])

    // deleted from another device with the facilitator link
    const fac = await openOnFreshDevice(server.url + ROUTES.facilitate(ws.id, ws.facilitatorKey))
    const menu = await openOrganiserMenu(fac.page)
    await menu.getByRole('button', { name: 'Workshop verwijderen' }).click()
    await menu.getByLabel('Typ “verwijderen” om te bevestigen').fill('verwijderen')
    await menu.getByRole('button', { name: 'Definitief verwijderen' }).click()
    await fac.page.waitForURL(server.url + ROUTES.home)

    await anna.getByRole('heading', { name: 'Deze workshop is verwijderd' }).waitFor()
    expect(await anna.getByTestId('board').count()).toBe(0)
    await expect.poll(() => stipDatabases(anna, ws.id)).toEqual([])
    expect(await anna.evaluate((id) => localStorage.getItem(`stip:p:${id}`), ws.id)).toBeNull()
    await axeClean(anna, 'deleted workshop')

    await anna.reload()
    await anna.getByRole('heading', { name: 'Deze workshop is verwijderd' }).waitFor()
    expect(await anna.getByTestId('board').count()).toBe(0)
    expect(await stipDatabases(anna, ws.id)).toEqual([])
  })

  it('a follow-up workshop opens in a new tab with code and projector link in its header; the current workshop stays', async () => {
    const server = await startAppServer()
    track(() => server.close())
    const ws = await createWorkshop(server.url, 'Leertuin Participatie')
    const { ctx, page, errors } = await freshPage()
    const boardUrl = server.url + ROUTES.board(ws.id) + '/facilitate'
    await page.goto(server.url + ROUTES.facilitate(ws.id, ws.facilitatorKey))
    await page.getByTestId('board').waitFor()
    const menu = await openOrganiserMenu(page)
    await menu.getByTestId('snap-label').fill('Einde ronde 1')
    await menu.getByTestId('snap-save').click()
    await menu.getByTestId('snap-item').first().waitFor()
    await menu.getByTestId('snap-follow-up').first().click()
    await menu.getByLabel('Titel van de vervolgworkshop').fill('Leertuin deel 2')
    await menu.getByRole('button', { name: 'Vervolgworkshop starten' }).click()
    const open = menu.getByRole('link', { name: 'Vervolgworkshop openen (nieuw tabblad)' })
    const [next] = await Promise.all([ctx.waitForEvent('page'), open.click()])
    await next.getByTestId('board').waitFor()
    const nextId = /\/w\/([^/]+)\/facilitate/.exec(next.url())![1]!
    expect(nextId).not.toBe(ws.id)
    await expect.poll(() => next.getByTestId('board-join-code').count()).toBe(1)
    expect(await next.getByTestId('board-join-code').textContent()).toMatch(/[A-Z2-9]{10}/)
    expect(await next.getByRole('link', { name: 'Projectorweergave' }).count()).toBe(1)
    // the title arrives with the board doc's sync, which may come after the header's code
    await next.getByRole('heading', { name: 'Leertuin deel 2' }).first().waitFor()

    // the facilitator was not taken away from the current workshop
    expect(page.url()).toBe(boardUrl)
    expect(await page.getByTestId('board').count()).toBe(1)
    expect(await page.getByTestId('board-join-code').textContent()).toContain(ws.joinCode)
    expect(errors).toEqual([])
  })
})
