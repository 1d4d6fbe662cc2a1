/**
 * Where a relay's CPU goes at workshop load (30 clients, 10 dragging at 10 Hz), thread by thread,
 * for ours and the stock y-websocket server: `tsx tests/bench/relay-threads.ts [--warm=S]` (under
 * the browser lock, like every bench). Each server first runs the workload unmeasured for S
 * seconds (default 15), so both are measured with their hot paths compiled.
 */
import { fanOut } from './relay.ts'
import { type Target, startOurs, startYws, stopTarget } from './targets.ts'
import { threadTimes } from './thread-times.ts'

const warmArg = process.argv.find((a) => a.startsWith('--warm='))
const warmS = warmArg ? Number(warmArg.slice('--warm='.length)) : 15

async function measure(t: Target): Promise<void> {
  await fanOut(t, 30, 10, 10, warmS)
  const before = threadTimes(t.pid)
  const r = await fanOut(t, 30, 10, 10)
  const after = threadTimes(t.pid)
  console.log(
    `${t.name}: p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, CPU ${r.serverCpuPct.toFixed(1)} %`,
  )
  // the first thread is the event loop; the others are V8's helpers, libuv's pool, workers
  for (const [tid, a] of after) {
    const b = before.get(tid) ?? { user: 0, system: 0 }
    const user = a.user - b.user
    const system = a.system - b.system
    if (user + system > 0)
      console.log(
        `  thread ${tid}${tid === String(t.pid) ? ' (main)' : ''}: user ${user} ms, system ${system} ms`,
      )
  }
}

for (const start of [startOurs, startYws]) {
  const t = await start()
  try {
    await measure(t)
  } finally {
    await stopTarget(t)
  }
}
process.exit(0)
