import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { createWorkshop, lookup, setBoardPolicy, tempDir } from '../helpers/server.ts'
import { useBrowser, newParticipantContext, startAppServer, watchPage } from '../helpers/browser.ts'
import { useCleanups } from '../helpers/lifecycle.ts'
import * as Y from 'yjs'
import { Anonymity, CardEditScope, cardBody, listCards } from '../../shared/schema.ts'
import { plainText } from '../../shared/richtext.ts'
import { DocName } from '../../shared/protocol.ts'

const browser = useBrowser()
const track = useCleanups()

async function joinAs(page: Page, base: string, code: string, name: string, perspective: string) {
  await page.goto(`${base}/j/${code}`)
  await page.getByTestId('join-name').fill(name)
  await page.getByTestId(`join-table-${perspective}`).check()
  await page.getByTestId('join-submit').click()
  await page.getByTestId('board').waitFor()
  await page
    .locator(
      '[data-testid="status"][data-status="saved"], [data-testid="status"][data-status="live"]',
    )
    .waitFor()
  // participants land on their own table; these scenarios look at the other tables too
  await page.getByRole('button', { name: 'Alles in beeld' }).click()
}

/** The card texts of the board as this page's offline cache (IndexedDB) holds them. */
async function cachedCardTexts(page: Page, workshopId: string): Promise<string[]> {
  const updates = await page.evaluate(
    (name) =>
      new Promise<number[][]>((resolve, reject) => {
        const open = indexedDB.open(name)
        open.onerror = () => reject(open.error)
        open.onsuccess = () => {
          const get = open.result.transaction('updates').objectStore('updates').getAll()
          get.onerror = () => reject(get.error)
          get.onsuccess = () => {
            open.result.close()
            resolve((get.result as Uint8Array[]).map((u) => [...u]))
          }
        }
      }),
    `stip:${workshopId}:${DocName.Board}`,
  )
  const doc = new Y.Doc()
  for (const u of updates) Y.applyUpdate(doc, new Uint8Array(u))
  return listCards(doc).map((c) => plainText(cardBody(doc, c.id)!))
}

async function writeCard(page: Page, table: string, text: string) {
  await page.getByTestId(`add-vision-${table}`).click()
  const editor = page.getByTestId('card-editor')
  await editor.locator('[contenteditable="true"]').waitFor()
  await editor.locator('[contenteditable="true"]').click()
  await page.keyboard.type(text)
  await page.keyboard.press('Escape')
  await page.getByTestId('card').filter({ hasText: text }).waitFor()
}

async function participant(base: string, code: string, name: string, perspective: string) {
  const ctx = await newParticipantContext(browser())
  track(() => ctx.close())
  const page = await ctx.newPage()
  const watch = watchPage(page)
  await joinAs(page, base, code, name, perspective)
  return { ctx, page, watch }
}

describe('two participants at different tables (Chromium)', () => {
  it('co-edit one card and see each other’s text and caret', async () => {
    const server = await startAppServer()
    track(() => server.close())
    // names on carets are shown only in a named workshop (the default hides them from others)
    const ws = await createWorkshop(server.url, 'Diner pensant Culemborg', Anonymity.Named)
    // Bram writes on Anna's card at another table: a board open to everyone (the default is own table)
    await setBoardPolicy(server.url, ws, { cardScope: CardEditScope.Everyone })
    const anna = await participant(server.url, ws.joinCode, 'Anna', 'inwoner')
    const bram = await participant(server.url, ws.joinCode, 'Bram', 'management')

    await anna.page.getByTestId('add-vision-inwoner').click()
    const annaCard = anna.page.getByTestId('card').first()
    await annaCard.waitFor()
    const editorA = anna.page.getByTestId('card-editor')
    if (!(await editorA.isVisible())) await annaCard.dblclick()
    await editorA.locator('[contenteditable="true"]').click()
    await anna.page.keyboard.type('Over 5 jaar: één loket voor inwoners')

    const bramCard = bram.page.getByTestId('card').filter({ hasText: 'één loket voor inwoners' })
    await bramCard.waitFor()
    await bramCard.dblclick()
    const editorB = bram.page.getByTestId('card-editor').locator('[contenteditable="true"]')
    await editorB.click()
    await bram.page.keyboard.press('End')
    await bram.page.keyboard.type(' (tafel management)')

    await anna.page
      .getByTestId('card-editor')
      .filter({ hasText: 'één loket voor inwoners (tafel management)' })
      .waitFor()
    await anna.page.locator('.collaboration-carets__label', { hasText: 'Bram' }).waitFor()
    await bram.page.locator('.collaboration-carets__label', { hasText: 'Anna' }).waitFor()
    await anna.page.keyboard.press('Escape')
    await anna.page.getByTestId('status').and(anna.page.locator('[data-status="saved"]')).waitFor()
    expect(anna.watch.errors).toEqual([])
    expect(bram.watch.errors).toEqual([])
  })

  it('in an anonymous-with-table workshop others see "Deelnemer" at the table, never the name', async () => {
    const server = await startAppServer()
    track(() => server.close())
    const ws = await createWorkshop(server.url, 'Diner pensant Culemborg')
    // Bram writes on Anna's card at another table: a board open to everyone (the default is own table)
    await setBoardPolicy(server.url, ws, { cardScope: CardEditScope.Everyone })
    const anna = await participant(server.url, ws.joinCode, 'Anna', 'inwoner')
    const bram = await participant(server.url, ws.joinCode, 'Bram', 'management')
    await anna.page.getByTestId('add-vision-inwoner').click()
    const editorA = anna.page.getByTestId('card-editor')
    if (!(await editorA.isVisible())) await anna.page.getByTestId('card').first().dblclick()
    await editorA.locator('[contenteditable="true"]').click()
    await anna.page.keyboard.type('Samen aan tafel')
    const bramCard = bram.page.getByTestId('card').filter({ hasText: 'Samen aan tafel' })
    await bramCard.waitFor()
    await bramCard.dblclick()
    await bram.page.getByTestId('card-editor').locator('[contenteditable="true"]').click()

    await bram.page.locator('.collaboration-carets__label', { hasText: 'Deelnemer' }).waitFor()
    await anna.page.locator('.collaboration-carets__label', { hasText: 'Deelnemer' }).waitFor()
    // the presence list is a drawer (closed at 1280 px for a participant), opened after the caret
    // checks: the click takes the focus from Bram's editor
    await bram.page.getByRole('button', { name: /^Aanwezig/ }).click()
    const presence = bram.page.getByTestId('presence-list')
    await presence.getByText('Deelnemer', { exact: true }).waitFor()
    await presence.getByText('aan tafel Inwoner').waitFor()
    // names never reach the other screen, only each person's own
    expect(await bram.page.getByText('Anna').count()).toBe(0)
    expect(await anna.page.getByText('Bram').count()).toBe(0)
    await presence.getByText('Bram (jij)').waitFor()
  })
  it('after a reload the status returns to saved, and a new edit is saved again', async () => {
    const server = await startAppServer()
    track(() => server.close())
    const ws = await createWorkshop(server.url)
    const anna = await participant(server.url, ws.joinCode, 'Anna', 'inwoner')
    await anna.page.getByTestId('add-need-inwoner').click()
    await anna.page.keyboard.press('Escape')
    await anna.page.locator('[data-testid="status"][data-status="saved"]').waitFor()

    // the offline cache replays both docs into the page; the read-only control doc is never acked
    await anna.page.reload()
    await anna.page.getByTestId('card').first().waitFor()
    await anna.page.locator('[data-testid="status"][data-status="saved"]').waitFor()
    await anna.page.getByTestId('add-vision-inwoner').click()
    await anna.page.keyboard.press('Escape')
    await anna.page.getByTestId('card').nth(1).waitFor()
    await anna.page.locator('[data-testid="status"][data-status="saved"]').waitFor()
    expect(anna.watch.errors).toEqual([])
  })

  it('pause live updates: the board holds still while others edit, own edits show, resume catches up', async () => {
    const server = await startAppServer()
    track(() => server.close())
    const ws = await createWorkshop(server.url)
    const anna = await participant(server.url, ws.joinCode, 'Anna', 'inwoner')
    const bram = await participant(server.url, ws.joinCode, 'Bram', 'management')
    const cards = (p: Page) => p.getByTestId('card')

    await anna.page.getByTestId('pause-live').click()
    await anna.page.locator('[data-testid="pause-live"][aria-pressed="true"]').waitFor()
    await bram.page.getByTestId('add-vision-management').click()
    await bram.page.getByTestId('card-editor').locator('[contenteditable="true"]').click()
    await bram.page.keyboard.type('Tijdens de pauze')
    await bram.page.keyboard.press('Escape')
    await cards(bram.page).filter({ hasText: 'Tijdens de pauze' }).waitFor()
    // the held-back changes are counted, not shown, and not announced
    await anna.page.getByTestId('live-waiting').filter({ hasNotText: ' 0 ' }).waitFor()
    expect(await cards(anna.page).count()).toBe(0)
    expect(await anna.page.getByTestId('announcer').textContent()).not.toContain('Management')

    // resuming shows everything that arrived meanwhile
    await anna.page.getByTestId('pause-live').click()
    await cards(anna.page).filter({ hasText: 'Tijdens de pauze' }).waitFor()
    await anna.page.locator('[data-testid="pause-live"][aria-pressed="false"]').waitFor()

    // paused again: her own new card still shows
    await anna.page.getByTestId('pause-live').click()
    await anna.page.getByTestId('add-need-inwoner').click()
    await anna.page.keyboard.press('Escape')
    await cards(anna.page).nth(1).waitFor()
    expect(anna.watch.errors).toEqual([])
  })

  it('a card created while the server is down appears for the other after reconnect', async () => {
    const dataDir = tempDir()
    const first = await startAppServer({ dataDir })
    const port = first.port
    const ws = await createWorkshop(first.url)
    await lookup(first.url, ws.joinCode)
    const anna = await participant(first.url, ws.joinCode, 'Anna', 'inwoner')
    const bram = await participant(first.url, ws.joinCode, 'Bram', 'openbaar-bestuur')
    await first.close()
    await anna.page.locator('[data-testid="status"][data-status^="offline"]').waitFor()

    await anna.page.getByTestId('add-vision-inwoner').click()
    const editor = anna.page.getByTestId('card-editor')
    if (!(await editor.isVisible())) await anna.page.getByTestId('card').first().dblclick()
    await editor.locator('[contenteditable="true"]').click()
    await anna.page.keyboard.type('Offline bedacht: buurtteams')
    await anna.page.keyboard.press('Escape')
    await anna.page.getByTestId('card').filter({ hasText: 'Offline bedacht: buurtteams' }).waitFor()
    await anna.page.locator('[data-testid="status"][data-status^="offline"]').waitFor()

    const second = await startAppServer({ dataDir, port })
    track(() => second.close())
    await bram.page
      .getByTestId('card')
      .filter({ hasText: 'Offline bedacht: buurtteams' })
      .waitFor({ timeout: 20_000 })
    await anna.page
      .locator('[data-testid="status"][data-status="saved"]')
      .waitFor({ timeout: 20_000 })
  })

  it('the device cache holds what others wrote and deleted, stored in batches', async () => {
    const server = await startAppServer()
    track(() => server.close())
    const ws = await createWorkshop(server.url)
    const anna = await participant(server.url, ws.joinCode, 'Anna', 'inwoner')
    const bram = await participant(server.url, ws.joinCode, 'Bram', 'management')
    await writeCard(bram.page, 'management', 'Van Bram: wijkbudget')
    await writeCard(bram.page, 'management', 'Weg ermee')
    const gone = bram.page.getByTestId('card').filter({ hasText: 'Weg ermee' })
    await gone.hover()
    await gone.getByRole('button', { name: 'Kaart verwijderen' }).click()
    await gone.waitFor({ state: 'detached' })
    await anna.page.getByTestId('card').filter({ hasText: 'Van Bram: wijkbudget' }).waitFor()
    // others' writes are stored in batches (client/sync/offlineCache.ts): wait until these are
    await expect
      .poll(() => cachedCardTexts(anna.page, ws.id), { timeout: 10_000 })
      .toEqual(['Van Bram: wijkbudget'])
    // a later batch adds to what the cache holds
    await writeCard(bram.page, 'management', 'Nog een van Bram')
    await expect
      .poll(async () => (await cachedCardTexts(anna.page, ws.id)).sort(), { timeout: 10_000 })
      .toEqual(['Nog een van Bram', 'Van Bram: wijkbudget'])
    // and a reload reads it back: the board is whole before and after the server's answer
    await anna.page.reload()
    await anna.page.getByTestId('card').filter({ hasText: 'Nog een van Bram' }).waitFor()
    expect(await anna.page.getByTestId('card').filter({ hasText: 'Weg ermee' }).count()).toBe(0)
    expect(anna.watch.errors).toEqual([])
  })
})
