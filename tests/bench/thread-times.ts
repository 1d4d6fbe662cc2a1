/** Per-thread CPU of a process from Linux /proc, for the benches that split a server's CPU by thread. */
import fs from 'node:fs'

const CLOCK_TICK_MS = 10

/** user and system ms so far of each thread of `pid`, by thread id. */
export function threadTimes(pid: number | 'self'): Map<string, { user: number; system: number }> {
  const out = new Map<string, { user: number; system: number }>()
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    let stat: string
    try {
      stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')
    } catch {
      continue // the thread ended meanwhile
    }
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    out.set(tid, {
      user: Number(f[11]) * CLOCK_TICK_MS,
      system: Number(f[12]) * CLOCK_TICK_MS,
    })
  }
  return out
}
