import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  applyTimerLock,
  boardLocked,
  readLock,
  setKeepTimerOnPhase,
  setLocked,
  readFollow,
  readPhases,
  readTimer,
  setLockOnTimerEnd,
  timerRemainingMs,
  writePhases,
  writeTimer,
} from '../../shared/control.ts'
import {
  DEFAULT_PHASES,
  goToPhase,
  neighbourPhase,
  extendTimer,
  pauseTimer,
  resumeTimer,
  startTimer,
} from '../../shared/control-actions.ts'
import { addTask, listTasks, mergeTasks, promoteCard, readTask } from '../../shared/tasks.ts'
import { addCard } from '../../shared/schema.ts'
import { checkBallot, tally } from '../../server/voting/ballots.ts'
import { makeCard } from '../fixtures/builders.ts'

describe('timer in server time', () => {
  it('runs, pauses, resumes and extends without drift', () => {
    let t = startTimer(10 * 60_000, 1_000)
    expect(timerRemainingMs(t, 61_000)).toBe(9 * 60_000)
    t = pauseTimer(t, 61_000)
    expect(timerRemainingMs(t, 999_999)).toBe(9 * 60_000) // paused: time does not pass
    t = resumeTimer(t, 100_000)
    expect(timerRemainingMs(t, 100_000)).toBe(9 * 60_000)
    t = extendTimer(t, 5 * 60_000, 100_000)
    expect(timerRemainingMs(t, 100_000)).toBe(14 * 60_000)
    expect(timerRemainingMs(t, 10_000_000)).toBe(0)
  })

  it('locks the board at the end only when lock-on-end is set', () => {
    const doc = new Y.Doc()
    writeTimer(doc, startTimer(1_000, 0))
    expect(applyTimerLock(doc, 2_000)).toBe(false)
    expect(boardLocked(doc)).toBe(false)
    setLockOnTimerEnd(doc, true)
    expect(applyTimerLock(doc, 500)).toBe(false)
    expect(boardLocked(doc)).toBe(false)
    expect(applyTimerLock(doc, 2_000)).toBe(true)
    expect(readLock(doc)).toEqual({ locked: true, by: 'timer' })
  })

  it('one unlock opens a board the timer locked, and the same timer end does not lock it again', () => {
    const doc = new Y.Doc()
    setLockOnTimerEnd(doc, true)
    writeTimer(doc, startTimer(1_000, 0))
    applyTimerLock(doc, 1_000)
    setLocked(doc, false)
    expect(applyTimerLock(doc, 5_000)).toBe(false)
    expect(readLock(doc)).toEqual({ locked: false, by: null })
    // a new timer locks again at its own end
    writeTimer(doc, startTimer(1_000, 6_000))
    expect(applyTimerLock(doc, 7_000)).toBe(true)
    expect(boardLocked(doc)).toBe(true)
  })

  it('a phase change starts its planned timer, lifts a timer lock, and keeps the running timer when asked', () => {
    const doc = new Y.Doc()
    writePhases(doc, [
      { id: 'a', name: 'Tafelronde 1', minutes: 25 },
      { id: 'b', name: 'Stemmen', minutes: 10 },
    ])
    goToPhase(doc, 'a', 0)
    setLockOnTimerEnd(doc, true)
    applyTimerLock(doc, 25 * 60_000)
    expect(boardLocked(doc)).toBe(true)
    expect(neighbourPhase(doc, 1)?.id).toBe('b')
    goToPhase(doc, 'b', 25 * 60_000 + 9_000)
    expect(timerRemainingMs(readTimer(doc), 25 * 60_000 + 9_000)).toBe(10 * 60_000)
    expect(boardLocked(doc)).toBe(false)
    setLocked(doc, true)
    setKeepTimerOnPhase(doc, true)
    goToPhase(doc, 'a', 26 * 60_000 + 9_000)
    // kept: still the Stemmen countdown; and a lock by hand stays
    expect(timerRemainingMs(readTimer(doc), 26 * 60_000 + 9_000)).toBe(9 * 60_000)
    expect(readLock(doc)).toEqual({ locked: true, by: 'hand' })
    expect(neighbourPhase(doc, -1)).toBeNull()
  })

  it('reads defaults for missing or malformed values instead of crashing', () => {
    const doc = new Y.Doc()
    expect(readTimer(doc)).toEqual({ status: 'idle' })
    expect(readFollow(doc).active).toBe(false)
    writePhases(
      doc,
      DEFAULT_PHASES.nl.map((p, i) => ({ ...p, id: `p${i}` })),
    )
    expect(readPhases(doc).map((p) => p.name)).toContain('Stip op de horizon')
  })
})

describe('candidate tasks', () => {
  it('promotes a card to a task that keeps its origin, and merges duplicates', () => {
    const doc = new Y.Doc()
    addCard(doc, makeCard({ id: 'c1', text: 'Gezamenlijke subsidieverwerving\nmet de regio' }))
    addCard(doc, makeCard({ id: 'c2', text: 'Subsidies samen aanvragen' }))
    promoteCard(doc, 'c1', { id: 't1', author: 'a', created: 1 })
    promoteCard(doc, 'c2', { id: 't2', author: 'b', created: 2 })
    expect(readTask(doc, 't1')).toMatchObject({
      title: 'Gezamenlijke subsidieverwerving',
      origin: ['c1'],
    })
    mergeTasks(doc, 't1', ['t2'])
    expect(listTasks(doc).map((t) => t.id)).toEqual(['t1'])
    expect(readTask(doc, 't1')!.origin).toEqual(['c1', 'c2'])
    expect(readTask(doc, 't2')!.mergedInto).toBe('t1')
  })

  it('adds a task directly', () => {
    const doc = new Y.Doc()
    addTask(doc, { id: 'x', title: 'Collegiale consultatie', origin: [], author: 'f', created: 0 })
    expect(listTasks(doc)).toHaveLength(1)
  })
})

describe('ballot rules', () => {
  const round = {
    id: 'r',
    title: '',
    kind: 'dots' as const,
    taskIds: ['a', 'b'],
    dotsPerPerson: 3,
    maxPerTask: 2,
    criteria: [],
    status: 'open' as const,
    openedAt: 0,
    closedAt: null,
    voterCount: 0,
  }
  it('accepts up to the limits and drops zero entries', () => {
    const dots = (o: Record<string, number>) => new Map(Object.entries(o))
    expect(checkBallot(round, { dots: dots({ a: 2, b: 1 }) })).toEqual({
      ok: true,
      ballot: { dots: { a: 2, b: 1 }, scores: {} },
    })
    expect(checkBallot(round, { dots: dots({ a: 2, b: 0 }) })).toEqual({
      ok: true,
      ballot: { dots: { a: 2 }, scores: {} },
    })
    // an empty ballot is not a vote
    expect(checkBallot(round, { dots: dots({ a: 0 }) })).toMatchObject({
      ok: false,
      status: 400,
      code: 'EMPTY_BALLOT',
    })
  })
  it('tallies totals and per table', () => {
    // named: one voter per table is shown as is (the anonymous modes pool it, tests/unit/tally-privacy)
    const t = tally(
      round,
      [
        { participantId: 'p1', tableId: 'T1', dots: { a: 2 }, scores: {} },
        { participantId: 'p2', tableId: 'T2', dots: { a: 1, b: 2 }, scores: {} },
      ],
      { anonymity: 'named', minTableVoters: 3 },
    )
    expect(t.tasks.map((x) => x.dots)).toEqual([3, 2])
    expect(t.tasks[0]!.byTable.T1!.dots).toBe(2)
    expect(t.votersByTable).toEqual({ T1: 1, T2: 1 })
  })
})
