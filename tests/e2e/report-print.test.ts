/**
 * The report printed (issue #11 point 7) and small tables pooled on screen (point 5), in Chromium:
 * the HTML report laid out for A4 print keeps every line of text inside the page and inside every
 * box that clips, and prints to a PDF of a plausible page count; the results view shows the pooled
 * "other tables" row, never the lone voter's table.
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { HISTORY_API, ROUTES } from '../../shared/api.ts'
import { OTHER_TABLES } from '../../shared/tally-privacy.ts'
import {
  PAGE_WAIT_MS,
  newParticipantContext,
  startAppServer,
  useBrowser,
  watchPage,
} from '../helpers/browser.ts'
import { useCleanups } from '../helpers/lifecycle.ts'
import { TASK_IDS, reportMeeting } from '../helpers/report-meeting.ts'
import { seriousViolations } from '../helpers/axe.ts'

const browser = useBrowser()
const track = useCleanups()

/** A4 at 96 px per inch, less the report's @page margins (16 mm top and bottom, 15 mm left and right). */
const MM_PX = 96 / 25.4
const PAGE_CONTENT = { width: (210 - 2 * 15) * MM_PX, height: (297 - 2 * 16) * MM_PX }
/** Sub-pixel rounding of text boxes. */
const EPS_PX = 0.5

/**
 * Every text line's boxes, checked against the page's content box and against each ancestor that
 * clips (overflow other than visible). Returns the lines that stick out, with their text.
 */
const cutText = (page: Page, width: number) =>
  page.evaluate(
    ({ width, eps }) => {
      const cut: string[] = []
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.textContent?.trim()) continue
        const range = document.createRange()
        range.selectNodeContents(node)
        const clippers: DOMRect[] = []
        for (let el = node.parentElement; el; el = el.parentElement) {
          const s = getComputedStyle(el)
          if (s.overflowX !== 'visible' || s.overflowY !== 'visible')
            clippers.push(el.getBoundingClientRect())
        }
        for (const r of range.getClientRects()) {
          if (r.width === 0 && r.height === 0) continue
          const outside =
            r.left < -eps ||
            r.right > width + eps ||
            clippers.some(
              (c) =>
                r.left < c.left - eps ||
                r.right > c.right + eps ||
                r.top < c.top - eps ||
                r.bottom > c.bottom + eps,
            )
          if (outside)
            cut.push(
              `${node.textContent.trim().slice(0, 40)} @ ${Math.round(r.left)}–${Math.round(r.right)}`,
            )
        }
      }
      return cut
    },
    { width, eps: EPS_PX },
  )

/** Pages in a PDF as Chromium writes it: one uncompressed /Type /Page dictionary per page. */
const pdfPages = (pdf: Buffer) =>
  (pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length

describe('the report printed to A4, small tables pooled (Chromium)', () => {
  it('printing the HTML report gives A4 pages with no text cut, rich text and the matrix in place', async () => {
    const server = await startAppServer()
    track(() => server.close())
    const m = await reportMeeting(server, track)
    const html = await (
      await m.asFacilitator('GET', `${HISTORY_API.report(m.ws.id)}?format=html`)
    ).text()

    const ctx = await browser().newContext({
      locale: 'nl-NL',
      viewport: { width: Math.floor(PAGE_CONTENT.width), height: 1000 },
    })
    track(() => ctx.close())
    const page = await ctx.newPage()
    const watch = watchPage(page)
    await page.setContent(html)
    await page.emulateMedia({ media: 'print' })

    // rich text survived: the bold lead-in and the list of every vision card
    expect(await page.locator('.card strong', { hasText: 'Over vijf jaar' }).count()).toBe(3)
    expect(await page.locator('.card ul > li').count()).toBe(9)
    // the matrix: one marker per scored task, the tied two apart
    const markers = await page
      .locator('svg.matrix g.marker circle')
      .evaluateAll((cs) => cs.map((c) => c.getBoundingClientRect()))
    expect(markers).toHaveLength(5)
    for (const [i, a] of markers.entries()) {
      for (const b of markers.slice(i + 1)) {
        const overlap =
          Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left)) *
          Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top))
        expect(overlap).toBe(0)
      }
    }
    // bars ranked, a long title wraps beside its value instead of under or through it
    const bars = await page
      .locator('figure')
      .first()
      .locator('li.bar')
      .evaluateAll((rows) =>
        rows.map((r) => {
          const label = r.querySelector('.bar-label')!.getBoundingClientRect()
          const value = r.querySelector('.bar-value')!
          return {
            label,
            value: value.getBoundingClientRect(),
            n: parseInt(value.textContent ?? '', 10),
          }
        }),
      )
    expect(bars.length).toBe(TASK_IDS.length)
    expect(bars.map((b) => b.n)).toEqual([...bars.map((b) => b.n)].sort((a, b) => b - a))
    for (const b of bars) expect(b.label.right).toBeLessThanOrEqual(b.value.left)

    // nothing sticks out of the page or of a box that clips
    expect(await cutText(page, PAGE_CONTENT.width)).toEqual([])
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      Math.ceil(PAGE_CONTENT.width),
    )

    const laidOut = await page.evaluate(() => document.documentElement.scrollHeight)
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true })
    const pages = pdfPages(pdf)
    // at least the layout's height in pages; break-inside: avoid may add one or two part-filled ones
    const least = Math.ceil(laidOut / PAGE_CONTENT.height)
    expect(pages).toBeGreaterThanOrEqual(least)
    expect(pages).toBeLessThanOrEqual(least + 2)
    // every page is A4 (595 × 842 pt)
    const boxes = [
      ...pdf.toString('latin1').matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g),
    ].map((b) => [Math.round(Number(b[1])), Math.round(Number(b[2]))])
    expect(boxes.length).toBeGreaterThanOrEqual(1)
    for (const b of boxes) expect(b).toEqual([595, 842])
    console.warn(
      `report-print: ${pages} A4 pages for ${Math.round(laidOut)} px of print layout (at least ${least})`,
    )
    expect(watch.requests.filter((u) => !u.startsWith('about:') && !u.startsWith('data:'))).toEqual(
      [],
    )
    expect(watch.errors).toEqual([])
  })

  it('the facilitator’s results view pools the table of one voter into "Overige tafels" and says why', async () => {
    const server = await startAppServer()
    track(() => server.close())
    const m = await reportMeeting(server, track)
    const ctx = await newParticipantContext(browser())
    track(() => ctx.close())
    const fac = await ctx.newPage()
    fac.setDefaultTimeout(PAGE_WAIT_MS)
    const watch = watchPage(fac)
    await fac.goto(`${server.url}${ROUTES.facilitate(m.ws.id, m.ws.facilitatorKey)}`)
    await fac.getByTestId('facilitator-panel').waitFor()
    // the dots round (tabs: scores is the newest)
    await fac.getByTestId('results-tab').first().click()
    await fac.getByTestId('results-chart').waitFor()
    await fac.getByTestId('results-per-table').click()
    const lone = m.info.tables[1]!.id
    const ids = await fac
      .getByTestId('result-table-bar')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-table-id')))
    expect(ids.length).toBeGreaterThan(0)
    expect(ids).not.toContain(lone)
    expect(ids).toContain(OTHER_TABLES)
    // the pool of 1 takes in the 3-voter table (total minus the rest would give it away), so
    // every per-table row is the pool, and it is named as such
    expect(new Set(ids)).toEqual(new Set([m.info.tables[0]!.id, OTHER_TABLES]))
    expect(
      await fac.getByTestId('result-table-bar').first().locator('.bar-label').textContent(),
    ).toMatch(/Inwoner|Overige tafels/)
    expect(await fac.getByTestId('results-pooled-note').textContent()).toContain(
      'minder dan 3 stemmers',
    )
    expect(await fac.getByTestId('results-pooled-note').textContent()).toContain(
      m.info.tables[1]!.name,
    )
    expect(await seriousViolations(fac)).toEqual([])
    expect(watch.errors).toEqual([])
  })
})
