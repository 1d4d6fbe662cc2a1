/**
 * Our client's rows of the Chromium bench alone, for profiling a change without the peers' runs:
 * `tsx tests/bench/probe.ts [pan] [watch] [--pin]` (under the browser lock, after vite build).
 * --pin puts this process and the Chromium it starts on core 1, as the full `npm run bench` does
 * (run.ts main); without it Chromium may use both cores, as `--only=client` lets it. With
 * BENCH_TRACE_DIR set, the pan's first drag of each view is traced and the watch is profiled.
 */
import { execFileSync } from 'node:child_process'
import { launchBrowser } from '../helpers/chromium.ts'
import { APP_DIST } from './bundle.ts'
import { clientOurs, clientWatch } from './client.ts'
import { PIN } from './env.ts'
import { startOurs, stopTarget } from './targets.ts'

const args = process.argv.slice(2)
const parts = args.filter((a) => !a.startsWith('--'))
const want = (p: string) => parts.length === 0 || parts.includes(p)
if (args.includes('--pin') && PIN)
  execFileSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' })

const browser = await launchBrowser()
const ours = await startOurs(APP_DIST)
try {
  if (want('pan')) console.log('pan', JSON.stringify(await clientOurs(browser, ours)))
  if (want('watch')) console.log('watch', JSON.stringify(await clientWatch(browser, ours)))
} finally {
  await stopTarget(ours)
  await browser.close()
}
process.exit(0)
