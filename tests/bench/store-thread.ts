/**
 * What one durable commit costs through the SQLite thread store (server/store/sqlite-worker.ts),
 * per thread: `tsx tests/bench/store-thread.ts [--commits=N]` (under the browser lock, like every
 * bench). Commits run back to back, then spaced as a busy room spaces them (COMMIT_SPACING_MS), so
 * the difference is what waking each thread from idle costs on this machine; the relay pays that
 * wake-up on every commit and the stock y-websocket server, which keeps nothing, never does.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import * as Y from 'yjs'
import { COMMIT_SPACING_MS } from '../../shared/limits.ts'
import { openSqliteWorkerStore } from '../../server/store/sqlite-worker.ts'
import type { LoggedUpdate } from '../../server/store/store.ts'
import { threadTimes } from './thread-times.ts'

const WARM_COMMITS = 100
const commitsArg = process.argv.find((a) => a.startsWith('--commits='))
const commits = commitsArg ? Number(commitsArg.slice('--commits='.length)) : 500

/** CPU ms so far of each thread of this process, by thread id. */
function threadCpuMs(): Map<string, number> {
  return new Map([...threadTimes('self')].map(([tid, t]) => [tid, t.user + t.system]))
}

/** A card drag's updates, one per commit, as a dragging participant sends them. */
function dragUpdates(n: number): Uint8Array[] {
  const doc = new Y.Doc()
  const card = new Y.Map<number>()
  doc.getMap('bench').set('card', card)
  const out: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => out.push(u))
  for (let i = 0; i < n; i++)
    doc.transact(() => {
      card.set('x', i)
      card.set('y', i)
    })
  return out
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stip-store-thread-'))
const store = await openSqliteWorkerStore({ dataDir: dir, synchronous: 'FULL' })
try {
  const updates = dragUpdates(WARM_COMMITS + 2 * commits)
  let next = 0
  const row = (): LoggedUpdate[] => [
    {
      workshopId: 'bench',
      doc: 'board',
      time: Date.now(),
      participantId: null,
      data: updates[next++]!,
    },
  ]
  for (let i = 0; i < WARM_COMMITS; i++) await store.appendUpdates(row())
  for (const gap of [0, COMMIT_SPACING_MS]) {
    const before = threadCpuMs()
    const t0 = performance.now()
    for (let i = 0; i < commits; i++) {
      await store.appendUpdates(row())
      if (gap) await sleep(gap)
    }
    const wall = performance.now() - t0
    const after = threadCpuMs()
    console.log(
      `${gap ? `spaced ${gap} ms` : 'back to back'}: ${(wall / commits).toFixed(3)} ms wall per commit`,
    )
    for (const [tid, ms] of after) {
      const used = ms - (before.get(tid) ?? 0)
      if (used > 0)
        console.log(
          `  thread ${tid}${tid === String(process.pid) ? ' (main)' : ''}: ${(used / commits).toFixed(3)} ms CPU per commit`,
        )
    }
  }
} finally {
  await store.close()
  fs.rmSync(dir, { recursive: true, force: true })
}
