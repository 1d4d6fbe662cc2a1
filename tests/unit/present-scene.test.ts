/** Present mode (issue #11 point 1): which scene the meeting asks for, the pick, and the pages. */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  PRESENT_KEY,
  type Phase,
  PresentScene,
  type Round,
  activePresentPick,
  controlRoots,
  readFollow,
  readPresent,
  setPhaseId,
  writePhases,
  writeRound,
} from '../../shared/control.ts'
import { setFollowActive, writePresent } from '../../shared/control-actions.ts'
import {
  meetingScene,
  neighbourScene,
  sceneChoice,
} from '../../client/facilitation/presentScene.ts'
import { paginate } from '../../client/present/pager.ts'
import { type Rect, alignOf, leaderOf, placeLabels } from '../../client/present/labelPlacement.ts'

const phase = (name: string): Phase => ({ id: name, name, minutes: 10 })
const round = (status: Round['status']): Round => ({
  id: 'r1',
  title: '',
  kind: 'dots',
  taskIds: ['a'],
  dotsPerPerson: 3,
  maxPerTask: 2,
  status,
  openedAt: 1,
  closedAt: null,
  voterCount: 0,
})

describe('the scene the meeting asks for', () => {
  it('follows the default agenda, in Dutch and English', () => {
    const scenes = (names: string[]) =>
      names.map((n) => meetingScene({ phase: phase(n), latestRound: null }))
    expect(
      scenes(['Welkom', 'Tafelronde 1', 'Plenair', 'Stemmen', 'Stip op de horizon', 'Afsluiting']),
    ).toEqual(['join', 'tables', 'tables', 'voting', 'outcome', 'outcome'])
    expect(
      scenes(['Welcome', 'Table round 2', 'Voting', 'Point on the horizon', 'Closing']),
    ).toEqual(['join', 'tables', 'voting', 'outcome', 'outcome'])
  })

  it('an open round shows the voting in any phase; a revealed one its results', () => {
    expect(meetingScene({ phase: phase('Plenair'), latestRound: round('open') })).toBe('voting')
    expect(meetingScene({ phase: phase('Stemmen'), latestRound: round('closed') })).toBe('voting')
    expect(meetingScene({ phase: phase('Stemmen'), latestRound: round('revealed') })).toBe(
      'results',
    )
    expect(meetingScene({ phase: null, latestRound: round('revealed') })).toBe('results')
    expect(meetingScene({ phase: null, latestRound: null })).toBe('join')
  })

  it('next and previous walk every scene, skipping the spotlight without a target', () => {
    expect(neighbourScene(PresentScene.Results, 1, false)).toBe(PresentScene.Outcome)
    expect(neighbourScene(PresentScene.Outcome, 1, false)).toBe(PresentScene.Board)
    expect(neighbourScene(PresentScene.Outcome, 1, true)).toBe(PresentScene.Spotlight)
    expect(neighbourScene(PresentScene.Join, -1, false)).toBe(PresentScene.Board)
  })
})

describe('the facilitator’s pick', () => {
  it('holds until the phase changes or the round moves on, and a toggle does not revive it', () => {
    const doc = new Y.Doc()
    writePhases(doc, [phase('a'), phase('b')])
    setPhaseId(doc, 'a')
    writePresent(doc, { scene: PresentScene.Outcome })
    expect(activePresentPick(doc)?.scene).toBe('outcome')
    writeRound(doc, round('open'))
    expect(activePresentPick(doc)).toBeNull()
    writePresent(doc, { scene: PresentScene.Board })
    expect(activePresentPick(doc)?.scene).toBe('board')
    setPhaseId(doc, 'b')
    expect(activePresentPick(doc)).toBeNull()
    writePresent(doc, { perTable: true })
    expect(activePresentPick(doc)).toBeNull()
    expect(readPresent(doc).perTable).toBe(true)
  })

  it('gives way to follow-me, which shows the board until it is turned off', () => {
    const doc = new Y.Doc()
    writePhases(doc, [phase('Welkom')])
    setPhaseId(doc, 'Welkom')
    writePresent(doc, { scene: PresentScene.Outcome })
    const choice = () =>
      sceneChoice(doc, { phase: phase('Welkom'), latestRound: null, follow: readFollow(doc) })
    expect(choice().scene).toBe(PresentScene.Outcome)
    setFollowActive(doc, true)
    expect(choice()).toMatchObject({ scene: PresentScene.Board, picked: false })
    setFollowActive(doc, false)
    expect(choice().scene).toBe(PresentScene.Outcome)
  })

  it('a pick that does not parse is dropped, not trusted', () => {
    const doc = new Y.Doc()
    controlRoots(doc).state.set(PRESENT_KEY.present, { scene: 'everything', context: '|' })
    expect(readPresent(doc).scene).toBeNull()
  })
})

describe('pages of a projector column', () => {
  it('packs rows of cards into pages no taller than the room, never splitting a row', () => {
    expect(paginate([100, 100, 100, 100], 1, 250, 10)).toEqual([
      [0, 1],
      [2, 3],
    ])
    // rows are as tall as their tallest card
    expect(paginate([50, 200, 50, 50, 50], 2, 300, 10)).toEqual([[0, 1, 2, 3], [4]])
    // a card taller than the room gets a page of its own
    expect(paginate([500, 50], 1, 300, 10)).toEqual([[0], [1]])
    expect(paginate([], 2, 300, 10)).toEqual([])
  })
})

describe('matrix labels', () => {
  it('go beside their marker where they cover no other label or marker, inside the plot', () => {
    // two markers drawn apart from a tie, one against the right edge
    const items = [
      { mx: 200, my: 200, r: 15, w: 120, h: 40 },
      { mx: 200, my: 234, r: 15, w: 120, h: 40 },
      { mx: 390, my: 100, r: 8, w: 100, h: 20 },
    ]
    const rects = placeLabels(items, 400)
    const hit = (a: Rect, b: Rect) =>
      a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
    for (const [i, a] of rects.entries()) {
      expect(a.x).toBeGreaterThanOrEqual(0)
      expect(a.x + a.w).toBeLessThanOrEqual(400)
      for (const [j, b] of rects.entries()) if (i !== j) expect(hit(a, b)).toBe(false)
      for (const m of items)
        expect(hit(a, { x: m.mx - m.r, y: m.my - m.r, w: 2 * m.r, h: 2 * m.r })).toBe(false)
    }
    // the one at the right edge goes left of its marker
    expect(rects[2]!.x + rects[2]!.w).toBeLessThanOrEqual(390 - 8)
  })

  it('do not go where another marker is nearer than their own', () => {
    // right of A its label would end a pixel from B's marker and read as B's
    const a = { mx: 150, my: 200, r: 10, w: 120, h: 40 }
    const b = { mx: 295, my: 200, r: 10, w: 120, h: 40 }
    const [ra, rb] = placeLabels([a, b], 440)
    expect(ra!.x + ra!.w).toBeLessThanOrEqual(a.mx - a.r)
    expect(rb!.x).toBeGreaterThanOrEqual(b.mx + b.r)
  })

  it('align their lines towards their marker', () => {
    const it = { mx: 100, my: 100, r: 10, w: 50, h: 20 }
    expect(alignOf(it, { x: 36, y: 90, w: 50, h: 20 })).toBe('right')
    expect(alignOf(it, { x: 114, y: 90, w: 50, h: 20 })).toBe('left')
    expect(alignOf(it, { x: 75, y: 60, w: 50, h: 20 })).toBe('center')
  })

  it('a label away from its marker gets a line to it, one beside it none', () => {
    const it = { mx: 100, my: 100, r: 10, w: 50, h: 20 }
    expect(leaderOf(it, { x: 114, y: 90, w: 50, h: 20 }, [it])).toBeNull()
    // beside its own, but another marker touches it
    const other = { mx: 176, my: 100, r: 10, w: 50, h: 20 }
    expect(leaderOf(it, { x: 114, y: 90, w: 50, h: 20 }, [it, other])).not.toBeNull()
    expect(leaderOf(it, { x: 200, y: 90, w: 50, h: 20 }, [it])).toEqual({
      x1: 110,
      y1: 100,
      x2: 200,
      y2: 100,
    })
  })
})
