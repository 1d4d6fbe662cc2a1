/**
 * The server for the heavy-routes bench (heavy.ts): server/main.ts's setup with the pool size from
 * HEAVY_WORKERS (0: heavy routes on the main thread, as before the worker), plus an event-loop delay
 * monitor of this process that the bench resets and reads over stdin ("reset" / "report").
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import readline from 'node:readline'
import { createServer } from '../../server/app.ts'
import { openSqliteWorkerStore } from '../../server/store/sqlite-worker.ts'
import { silentLogger, systemClock } from '../../server/deps.ts'
import { systemRandom } from '../../server/identity.ts'

/** Sampling step of the monitor; a block shows up as one delay of about its length. */
const RESOLUTION_MS = 5
const env = process.env
const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS })
delay.enable()

const server = await createServer({
  host: '127.0.0.1',
  port: 0,
  store: await openSqliteWorkerStore({ dataDir: env.DATA_DIR!, synchronous: 'FULL' }),
  staticDir: null,
  allowedOrigins: [],
  publicUrl: null,
  clock: systemClock,
  random: systemRandom,
  log: silentLogger,
  heavyWorkers: Number(env.HEAVY_WORKERS ?? 1),
})
process.stdout.write(`STIP_LISTENING ${server.port}\n`)

const ms = (ns: number) => ns / 1e6
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'reset') {
    delay.reset()
    process.stdout.write('ELD_RESET\n')
  } else if (line === 'report') {
    const figures = {
      maxMs: ms(delay.max),
      p50Ms: ms(delay.percentile(50)),
      p99Ms: ms(delay.percentile(99)),
      meanMs: ms(delay.mean),
    }
    process.stdout.write(`ELD ${JSON.stringify(figures)}\n`)
  }
})
