/**
 * The replay rows alone, and where their time goes (npm run bench -- --only=replay runs the screen row):
 *   npx tsx tests/bench/replay-profile.ts            in Node: the Yjs pass alone, the timeline
 *                                                    build, history encode/decode
 *   npx tsx tests/bench/replay-profile.ts --chromium the replay screen row (replay-ui.ts), `runs`
 *                                                    times, on a built client (vite build first)
 * Same meeting and seek seeds as npm run bench. Figures are noisy on a shared machine: take medians.
 */
import { performance } from 'node:perf_hooks'
import * as Y from 'yjs'
import { BoardTimeline } from '../../shared/board-timeline.ts'
import { decodeHistory, encodeHistory } from '../../shared/history.ts'
import { BOARD_LAYOUT } from '../../shared/schema.ts'
import { launchBrowser } from '../helpers/chromium.ts'
import { APP_DIST } from './bundle.ts'
import { simulateMeeting } from './history.ts'
import { replayUi } from './replay-ui.ts'
import { startOurs, stopTarget } from './targets.ts'

const MEETING_SEED = 20261123
const SEEK_SEED = 7
const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 3)

const log = simulateMeeting(MEETING_SEED)
console.log('entries', log.entries.length, 'log KiB', (log.bytes / 1024).toFixed(0))

function time(label: string, fn: () => void): void {
  const t0 = performance.now()
  fn()
  console.log(label, (performance.now() - t0).toFixed(0), 'ms')
}

if (process.argv.includes('--chromium')) {
  const browser = await launchBrowser()
  const ours = await startOurs(APP_DIST)
  try {
    for (let i = 0; i < runs; i++) console.log(await replayUi(browser, ours, log, SEEK_SEED))
  } finally {
    await stopTarget(ours)
    await browser.close()
  }
} else {
  for (let run = 0; run < runs; run++) {
    time('apply each, no listener', () => {
      const doc = new Y.Doc()
      for (const e of log.entries) Y.applyUpdate(doc, e.data)
      doc.destroy()
    })
    time('apply each, afterTransaction listener', () => {
      const doc = new Y.Doc()
      doc.on('afterTransaction', () => {})
      for (const e of log.entries) Y.applyUpdate(doc, e.data)
      doc.destroy()
    })
    time('apply each, all in one transaction', () => {
      const doc = new Y.Doc()
      doc.transact(() => {
        for (const e of log.entries) Y.applyUpdate(doc, e.data)
      })
      doc.destroy()
    })
    time('decodeUpdate each', () => {
      for (const e of log.entries) Y.decodeUpdate(e.data)
    })
    time('BoardTimeline build', () => new BoardTimeline(log.entries, BOARD_LAYOUT).destroy())
    let bytes: Uint8Array = new Uint8Array()
    time('encodeHistory', () => {
      bytes = encodeHistory({ board: log.entries, control: [], snapshots: [] })
    })
    console.log('history KiB', (bytes.length / 1024).toFixed(0))
    time('decodeHistory', () => void decodeHistory(bytes))
  }
}
process.exit(0)
