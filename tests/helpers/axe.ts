/** axe-core injected from node_modules (no CDN), run with the WCAG 2.x A/AA tag sets. */
import fs from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'

const require = createRequire(import.meta.url)
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

export interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: string[]
  /** axe's own account of each node's failure (which element obscures it, its size), in order. */
  why?: string[]
}

/** Serious and critical violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // evaluate, not a <script> tag: the app's CSP (rightly) refuses inline scripts
  await page.evaluate(`${AXE_SOURCE}\n;void 0`)
  const result = await page.evaluate(async (tags) => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            ctx: Document,
            opts: unknown,
          ) => Promise<{
            violations: {
              id: string
              impact: string | null
              help: string
              nodes: {
                target: string[]
                failureSummary?: string
                any: { relatedNodes?: { target: string[] }[] }[]
              }[]
            }[]
          }>
        }
      }
    ).axe
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags } })
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ')),
      why: v.nodes.map((n) =>
        [
          n.failureSummary ?? '',
          ...n.any.flatMap((c) => (c.relatedNodes ?? []).map((r) => r.target.join(' '))),
        ].join(' | '),
      ),
    }))
  }, AXE_TAGS)
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical')
}
