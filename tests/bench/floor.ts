/**
 * The pan floor: what a pan frame costs on this machine and in this Chromium before any app runs,
 * measured exactly as the client rows measure the boards (client.ts panOnce: a 120-frame drag,
 * main-thread task and CPU time per frame, the median of three drags). Two static pages, no
 * server: an empty canvas, and 1,000 plain text boxes (the bench board's grid and card text)
 * in one transformed layer at the text view's zoom. The figures give the boards' rows a scale:
 * what is left above the floor is the app's own cost.
 */
import type { Browser, Page } from 'playwright-core'
import { CLIENT_CARDS, TEXT_VIEW_SCALE, chromiumMetrics, median, panRuns } from './client.ts'

export interface FloorPan {
  msPerFrame: number
  cpuMsPerFrame: number
}

export interface FloorResult {
  empty: FloorPan
  boxes: FloorPan
}

/** A canvas that pans its one layer on drag, with `boxes` plain text boxes in it. */
function floorPage(boxes: number): string {
  const box = (i: number) =>
    `<div class="b" style="left:${(i % 40) * 120}px;top:${Math.floor(i / 40) * 80}px">` +
    `Kaart ${i}: over vijf jaar één loket voor inwoners van de wijk</div>`
  return `<!doctype html><html lang="nl"><head><style>
    body { margin: 0; overflow: hidden; font: 14px system-ui, sans-serif }
    #canvas { position: absolute; inset: 0; overflow: hidden; contain: strict; background: #f6f6f3 }
    #world { position: absolute; left: 0; top: 0; transform-origin: 0 0; will-change: transform }
    .b { position: absolute; width: 110px; height: 70px; overflow: hidden; box-sizing: border-box;
         padding: 6px; border: 1px solid #999; border-radius: 4px; background: #fff }
  </style></head><body>
  <div id="canvas" data-testid="board"><div id="world">${Array.from({ length: boxes }, (_, i) => box(i)).join('')}</div></div>
  <script>
    const world = document.getElementById('world')
    const scale = ${TEXT_VIEW_SCALE}
    let x = 0, y = 0, from = null
    const place = () => { world.style.transform = 'translate(' + x + 'px, ' + y + 'px) scale(' + scale + ')' }
    place()
    addEventListener('pointerdown', (e) => { from = { x: e.clientX - x, y: e.clientY - y } })
    addEventListener('pointermove', (e) => {
      if (!from) return
      x = e.clientX - from.x
      y = e.clientY - from.y
      place()
    })
    addEventListener('pointerup', () => { from = null })
  </script></body></html>`
}

async function floorPan(page: Page, boxes: number): Promise<FloorPan> {
  await page.setContent(floorPage(boxes))
  await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => r())))
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Performance.enable')
  const metric = chromiumMetrics(cdp)
  // the boards' drags: there, back, there again
  const runs = await panRuns(page, metric, 300, 300)
  await cdp.detach()
  return {
    msPerFrame: median(runs.map((r) => r.perFrame)),
    cpuMsPerFrame: median(runs.map((r) => r.cpuPerFrame)),
  }
}

export async function panFloorWorkload(browser: Browser): Promise<FloorResult> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  try {
    const page = await ctx.newPage()
    return { empty: await floorPan(page, 0), boxes: await floorPan(page, CLIENT_CARDS) }
  } finally {
    await ctx.close()
  }
}
