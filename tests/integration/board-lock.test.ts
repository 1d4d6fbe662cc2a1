import { describe, expect, it } from 'vitest'
import { ErrorCode } from '../../shared/protocol.ts'
import { addCard, listCards } from '../../shared/schema.ts'
import {
  readLock,
  readManualLock,
  setLocked,
  setLockOnTimerEnd,
  writeTimer,
} from '../../shared/control.ts'
import type { After } from '../../server/deps.ts'
import { createWorkshop, joinTable, lookup, startTestServer } from '../helpers/server.ts'
import { connectClient, live, saved } from '../helpers/clients.ts'
import { nextEvent, until } from '../helpers/wait.ts'
import { useCleanups } from '../helpers/lifecycle.ts'

const track = useCleanups()

async function setup(now: () => number, after?: After) {
  const server = await startTestServer({ clock: { now }, ...(after && { after }) })
  track(() => server.close())
  const ws = await createWorkshop(server.url)
  const info = await lookup(server.url, ws.joinCode)
  const p = await joinTable(server.url, ws.joinCode, 'Jan', info.tables[0]!.id)
  const fac = connectClient(server.wsUrl, ws.id, { kind: 'facilitator', key: ws.facilitatorKey })
  const part = connectClient(server.wsUrl, ws.id, { kind: 'participant', token: p.token })
  track(() => fac.destroy())
  track(() => part.destroy())
  await Promise.all([live(fac), live(part)])
  const card = (id: string) => ({
    id,
    kind: 'vision' as const,
    table: info.tables[0]!.id,
    x: 0,
    y: 0,
    w: 1,
    h: 1,
    author: 'j',
    created: 1,
  })
  return { server, ws, fac, part, card }
}

/** A clock the test moves, and the server's one-off duties, fired by the test instead of a real timeout. */
function manualTime() {
  const time = { now: 1_000_000 }
  const duties: { fn: () => void; at: number; cancelled: boolean }[] = []
  const after: After = (fn, ms) => {
    const d = { fn, at: time.now + ms, cancelled: false }
    duties.push(d)
    return () => (d.cancelled = true)
  }
  return { time, duties, after }
}

describe('board lock (server-enforced)', () => {
  it('refuses participant writes while locked, keeps them, and merges them once unlocked', async () => {
    const { fac, part, card } = await setup(() => Date.now())
    setLocked(fac.control, true)
    await saved(fac)
    await until('participant sees lock', [[part.control, 'update']], () =>
      readManualLock(part.control),
    )
    const refused = nextEvent<[{ code: string }]>(
      part,
      'notice',
      (n) => n.code === ErrorCode.BoardLocked,
    )
    addCard(part.board, card('during-lock'))
    await refused
    expect(part.status).toMatchObject({ kind: 'live', saved: false })
    expect(listCards(fac.board)).toEqual([])
    // facilitators may still write
    addCard(fac.board, card('by-facilitator'))
    await saved(fac)
    setLocked(fac.control, false)
    await saved(part)
    await until('facilitator receives the kept card', [[fac.board, 'update']], () =>
      listCards(fac.board).some((c) => c.id === 'during-lock'),
    )
  })

  it('locks when the timer runs out if lock-on-end is set (server time)', async () => {
    let now = 1_000_000
    const { fac, part, card } = await setup(() => now)
    setLockOnTimerEnd(fac.control, true)
    writeTimer(fac.control, { status: 'running', endsAt: now + 60_000, durationMs: 60_000 })
    await saved(fac)
    addCard(part.board, card('in-time'))
    await saved(part)
    now += 61_000
    const refused = nextEvent<[{ code: string }]>(
      part,
      'notice',
      (n) => n.code === ErrorCode.BoardLocked,
    )
    addCard(part.board, card('too-late'))
    await refused
    expect(listCards(fac.board).map((c) => c.id)).toEqual(['in-time'])
  })

  it('at the timer end the server sets the one lock field; one unlock by hand opens the board for good', async () => {
    const { time, duties, after } = manualTime()
    const { fac, part, card } = await setup(() => time.now, after)
    setLockOnTimerEnd(fac.control, true)
    writeTimer(fac.control, { status: 'running', endsAt: time.now + 60_000, durationMs: 60_000 })
    await saved(fac)
    const pending = duties.filter((d) => !d.cancelled)
    expect(pending.map((d) => d.at)).toEqual([time.now + 60_000])
    time.now += 60_000
    pending[0]!.fn()
    // without any board write: every screen reads the lock from the doc
    await until(
      'participant sees the timer lock',
      [[part.control, 'update']],
      () => readLock(part.control).locked,
    )
    await until(
      'facilitator sees the timer lock',
      [[fac.control, 'update']],
      () => readLock(fac.control).locked,
    )
    expect(readLock(fac.control)).toEqual({ locked: true, by: 'timer' })
    // one click unlocks, and the timer (still at 0:00 with lock-on-end) does not lock again
    setLocked(fac.control, false)
    await saved(fac)
    await until(
      'participant sees the board open',
      [[part.control, 'update']],
      () => !readLock(part.control).locked,
    )
    time.now += 5_000
    addCard(part.board, card('after-unlock'))
    await saved(part)
    expect(readLock(fac.control).locked).toBe(false)
    expect(duties.filter((d) => !d.cancelled && d.at > time.now)).toEqual([])
  })

  it('locks at the timer end even when its timeout fires before the wall clock reaches it', async () => {
    const { time, duties, after } = manualTime()
    const { fac, part } = await setup(() => time.now, after)
    setLockOnTimerEnd(fac.control, true)
    writeTimer(fac.control, { status: 'running', endsAt: time.now + 60_000, durationMs: 60_000 })
    await saved(fac)
    // timeouts run on a monotonic clock in whole milliseconds; Date.now() can still read one
    // millisecond short of the end when the timeout fires
    time.now += 59_999
    const early = duties.filter((d) => !d.cancelled)
    expect(early).toHaveLength(1)
    early[0]!.fn()
    const replanned = duties.filter((d) => !d.cancelled && d !== early[0])
    expect(replanned.map((d) => d.at)).toEqual([time.now + 1])
    time.now += 1
    replanned[0]!.fn()
    await until(
      'participant sees the timer lock',
      [[part.control, 'update']],
      () => readLock(part.control).locked,
    )
  })
})
