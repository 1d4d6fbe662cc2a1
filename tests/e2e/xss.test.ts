import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { API, HISTORY_API, ROUTES } from '../../shared/api.ts'
import { addCard, listTables, boardRoot } from '../../shared/schema.ts'
import { addTask } from '../../shared/tasks.ts'
import { joinTable, lookup } from '../helpers/server.ts'
import { connectClient, live, saved } from '../helpers/clients.ts'
import { useBrowser, newParticipantContext, startAppServer } from '../helpers/browser.ts'
import { INJECTED_SELECTOR, XSS_PAYLOADS } from '../fixtures/xss.ts'
import { makeCard } from '../fixtures/builders.ts'
import { useCleanups } from '../helpers/lifecycle.ts'

const browser = useBrowser()
const track = useCleanups()

async function guardedPage(): Promise<{ page: Page; hits: number[]; dialogs: string[] }> {
  const ctx = await newParticipantContext(browser())
  track(() => ctx.close())
  const page = await ctx.newPage()
  const hits: number[] = []
  const dialogs: string[] = []
  await page.exposeFunction('__xssHit', (n: number) => hits.push(n))
  page.on('dialog', (d) => {
    dialogs.push(d.message())
    void d.dismiss()
  })
  return { page, hits, dialogs }
}

describe('XSS payloads never execute (Chromium)', () => {
  it(`${XSS_PAYLOADS.length} payloads in card text, names, table names, title and the report`, async () => {
    expect(XSS_PAYLOADS.length).toBeGreaterThanOrEqual(50)
    const server = await startAppServer()
    track(() => server.close())
    const created = await fetch(server.url + API.workshops, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        title: XSS_PAYLOADS[0],
        question: XSS_PAYLOADS[1],
        anonymity: 'named',
      }),
    })
    const ws = (await created.json()) as { id: string; joinCode: string; facilitatorKey: string }
    const info = await lookup(server.url, ws.joinCode)
    const fac = connectClient(server.wsUrl, ws.id, { kind: 'facilitator', key: ws.facilitatorKey })
    track(() => fac.destroy())
    await live(fac)
    // table names, card bodies and task titles carry payloads
    listTables(fac.board).forEach((t, i) =>
      boardRoot(fac.board)
        .tables.get(t.id)!
        .set('name', XSS_PAYLOADS[2 + i]!),
    )
    XSS_PAYLOADS.forEach((text, i) =>
      addCard(
        fac.board,
        makeCard({
          id: `x${i}`,
          table: info.tables[i % 3]!.id,
          x: 20 + (i % 3) * 240,
          y: 100 + Math.floor(i / 3) * 150,
          text,
        }),
      ),
    )
    XSS_PAYLOADS.slice(0, 10).forEach((title, i) =>
      addTask(fac.board, { id: `t${i}`, title, origin: [], author: 'f', created: i }),
    )
    await saved(fac)
    // participant names
    const people = await Promise.all(
      XSS_PAYLOADS.slice(5, 8).map((name, i) =>
        joinTable(server.url, ws.joinCode, name.slice(0, 60), info.tables[i]!.id),
      ),
    )

    const { page, hits, dialogs } = await guardedPage()
    await page.goto(server.url + ROUTES.join(ws.joinCode))
    await page.getByTestId('join-name').fill(XSS_PAYLOADS[9]!.slice(0, 60))
    await page.getByTestId(`join-table-inwoner`).check()
    await page.getByTestId('join-submit').click()
    await page.getByTestId('board').waitFor()
    await page.getByTestId('fit').click()
    await page.getByTestId('card').nth(10).waitFor()
    // the payload is there as text
    await page.getByText(XSS_PAYLOADS[1]!, { exact: false }).first().waitFor()
    expect(await page.locator(INJECTED_SELECTOR).count()).toBe(0)

    // another participant's name shows up in presence
    const other = await guardedPage()
    await other.page.goto(server.url + ROUTES.board(ws.id))
    await other.page.evaluate(
      ([id, p]) => localStorage.setItem(`stip:p:${id}`, JSON.stringify(p)),
      [ws.id, people[0]] as const,
    )
    await other.page.goto(server.url + ROUTES.board(ws.id))
    await other.page.getByTestId('board').waitFor()
    await page.getByRole('button', { name: /^Aanwezig/ }).click()
    await page
      .getByTestId('presence-list')
      .getByText(XSS_PAYLOADS[5]!.slice(0, 20), { exact: false })
      .waitFor()
    expect(await page.locator(INJECTED_SELECTOR).count()).toBe(0)

    // the exported report, opened as a page
    const auth = { authorization: `Bearer ${ws.facilitatorKey}` }
    const html = await (
      await fetch(`${server.url}${HISTORY_API.report(ws.id)}?format=html`, { headers: auth })
    ).text()
    const md = await (
      await fetch(`${server.url}${HISTORY_API.report(ws.id)}?format=md`, { headers: auth })
    ).text()
    const report = await guardedPage()
    await report.page.setContent(html)
    expect(
      await report.page
        .locator('[onerror],[onload],[ontoggle],[onfocus],iframe,object,embed,script')
        .count(),
    ).toBe(0)
    expect(await report.page.locator('body').textContent()).toContain(XSS_PAYLOADS[3]!.slice(0, 10))
    // Markdown: every < is backslash-escaped, so renderers show it as text
    expect(md).not.toMatch(/(^|[^\\])</m)

    expect(hits).toEqual([])
    expect(other.hits).toEqual([])
    expect(report.hits).toEqual([])
    expect([...dialogs, ...other.dialogs, ...report.dialogs]).toEqual([])
  })
})
