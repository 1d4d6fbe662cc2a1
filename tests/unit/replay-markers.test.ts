/**
 * The replay's control side (issue 11 points 8 and 10): markers are read incrementally, an old log
 * that holds follow-me's view at 5 Hz still replays, and a session built in segments and slices (as
 * the replay screen builds it, showing progress) gives the frames of one built at once.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  type Round,
  listRounds,
  readFollow,
  readPhaseId,
  readPhases,
  writeFollow,
  writePhases,
  writeRound,
} from '../../shared/control.ts'
import { DEFAULT_PHASES, goToPhase } from '../../shared/control-actions.ts'
import { type HistoryEntry, type Marker, controlMarkers } from '../../shared/history.ts'
import { addCard, listCards } from '../../shared/schema.ts'
import { sessionOf } from '../helpers/replay-segments.ts'
import { makeCard } from '../fixtures/builders.ts'
import { mulberry32 } from '../fault/rng.ts'

const START = Date.UTC(2026, 10, 23, 18, 0)
/** Follow-me's old write rate: one view every 200 ms. */
const FOLLOW_EVERY_MS = 200

function makeRound(
  id: string,
  openedAt: number,
  overrides: Partial<Pick<Round, 'status' | 'closedAt' | 'voterCount'>> = {},
): Round {
  return {
    id,
    title: `Ronde ${id}`,
    kind: 'dots',
    taskIds: ['t1', 't2'],
    dotsPerPerson: 3,
    maxPerTask: 3,
    status: 'open',
    openedAt,
    closedAt: null,
    voterCount: 0,
    ...overrides,
  }
}

/**
 * A control log as the server kept it before follow-me left the doc: phases, three rounds through
 * open, closed and revealed, and the followed view written at 5 Hz in between.
 */
function oldControlLog(seed: number, minutes: number): HistoryEntry[] {
  const rng = mulberry32(seed)
  const doc = new Y.Doc()
  const log: HistoryEntry[] = []
  let now = START
  doc.on('update', (data: Uint8Array) => log.push({ seq: log.length + 1, time: now, data }))
  writePhases(
    doc,
    DEFAULT_PHASES.nl.map((p, i) => ({ ...p, id: `fase-${i}` })),
  )
  const steps = (minutes * 60_000) / FOLLOW_EVERY_MS
  const events = new Map<number, () => void>()
  const every = Math.floor(steps / 12)
  for (let k = 0; k < 7; k++) events.set(k * every + 1, () => goToPhase(doc, `fase-${k}`, now))
  for (let r = 0; r < 3; r++) {
    const at = (7 + r) * every
    const id = `r${r}`
    const opened = START + at * FOLLOW_EVERY_MS
    events.set(at, () => writeRound(doc, makeRound(id, opened)))
    events.set(at + 10, () => writeRound(doc, makeRound(id, opened, { voterCount: 4 })))
    events.set(at + 20, () =>
      writeRound(doc, makeRound(id, opened, { status: 'closed', closedAt: now, voterCount: 4 })),
    )
    events.set(at + 30, () =>
      writeRound(doc, makeRound(id, opened, { status: 'revealed', closedAt: now, voterCount: 4 })),
    )
  }
  for (let i = 0; i < steps; i++) {
    now += FOLLOW_EVERY_MS
    events.get(i)?.()
    writeFollow(doc, {
      active: true,
      viewport: { x: rng.range(0, 3000), y: rng.range(0, 1200), zoom: 0.3 + rng.next() },
      summon: 0,
    })
  }
  doc.destroy()
  return log
}

/** A board log of `cards` cards added one per entry, `everyMs` apart from START. */
function boardLog(cards: number, everyMs: number): HistoryEntry[] {
  const log: HistoryEntry[] = []
  const doc = new Y.Doc()
  doc.on('update', (data: Uint8Array) =>
    log.push({ seq: log.length + 1, time: START + log.length * everyMs, data }),
  )
  for (let i = 0; i < cards; i++) addCard(doc, makeCard({ id: `c${i}`, text: `Kaart ${i}` }))
  doc.destroy()
  return log
}

/** What the markers were before: every phase and every round re-read after every entry. */
function rereadMarkers(entries: HistoryEntry[]): Marker[] {
  const doc = new Y.Doc()
  const out: Marker[] = []
  let phase: string | null = null
  const seen = new Map<string, string>()
  for (const entry of entries) {
    Y.applyUpdate(doc, entry.data)
    const now = readPhaseId(doc)
    if (now !== phase) {
      phase = now
      const name = readPhases(doc).find((p) => p.id === now)?.name
      if (now !== null) out.push({ time: entry.time, kind: 'phase', label: name ?? now })
    }
    for (const r of listRounds(doc)) {
      if (seen.get(r.id) === r.status) continue
      seen.set(r.id, r.status)
      const kind =
        r.status === 'open' ? 'round-open' : r.status === 'closed' ? 'round-close' : 'round-reveal'
      out.push({ time: entry.time, kind, label: r.title || r.id })
    }
  }
  doc.destroy()
  return out
}

describe('replay markers and old follow-me logs', () => {
  it('markers read incrementally equal a re-read of every phase and round after each entry', () => {
    const log = oldControlLog(11, 20)
    expect(log.length).toBeGreaterThan(6000)
    const markers = controlMarkers(log)
    expect(markers).toEqual(rereadMarkers(log))
    expect(markers.filter((m) => m.kind === 'phase').map((m) => m.label)).toEqual(
      DEFAULT_PHASES.nl.map((p) => p.name),
    )
    expect(markers.filter((m) => m.kind === 'round-reveal')).toHaveLength(3)
  })

  it('an old log that holds follow views at 5 Hz still replays: phase, rounds and view at a moment', () => {
    const control = oldControlLog(12, 10)
    const board = boardLog(5, 60_000)
    const session = sessionOf({ board, control, snapshots: [] }, 500)
    const middle = session.frameAt(START + 5 * 60_000)
    expect(readFollow(middle.control).active).toBe(true)
    expect(readFollow(middle.control).viewport).toBeDefined()
    expect(readPhaseId(middle.control)).toMatch(/^fase-/)
    expect(listCards(middle.board)).toHaveLength(5)
    expect(session.markers.some((m) => m.kind === 'round-open')).toBe(true)
    session.destroy()
  })

  it('a session built in slices shows the frames of one built at once', () => {
    const control = oldControlLog(13, 4)
    const board = boardLog(200, 1_000)
    const history = { board, control, snapshots: [] }
    // one segment built at once, against small segments built in slices
    const whole = sessionOf(history)
    while (whole.buildSome(Number.MAX_SAFE_INTEGER));
    const sliced = sessionOf(history, 64)
    let slices = 0
    let last = sliced.progress
    while (sliced.buildSome(97)) {
      expect(sliced.progress).toBeGreaterThan(last)
      last = sliced.progress
      slices++
    }
    expect(slices).toBeGreaterThan(5)
    expect(sliced.progress).toBe(1)
    expect(sliced.markers).toEqual(whole.markers)
    for (const at of [START, START + 30_000, START + 120_000, START + 240_000]) {
      const a = whole.frameAt(at)
      const b = sliced.frameAt(at)
      expect(listCards(b.board)).toEqual(listCards(a.board))
      expect(b.control.toJSON()).toEqual(a.control.toJSON())
    }
    whole.destroy()
    sliced.destroy()
  })
})
