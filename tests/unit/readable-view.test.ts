import { describe, expect, it } from 'vitest'
import {
  CARD_TEXT_PX,
  LANDING_TEXT_PX,
  besideDelta,
  landingBox,
} from '../../client/board/readableView.ts'
import { type Box, fitBox } from '../../client/model/viewport.ts'

const ZONE: Box = { x: 840, y: 0, w: 760, h: 900 }
const INSET = 72
const rect = (x: number, y: number, w: number, h: number) =>
  new DOMRectLike(x, y, w, h) as unknown as DOMRect

/** DOMRect is not in Node; the function reads only these fields. */
class DOMRectLike {
  constructor(
    readonly left: number,
    readonly top: number,
    readonly width: number,
    readonly height: number,
  ) {}
  get right() {
    return this.left + this.width
  }
  get bottom() {
    return this.top + this.height
  }
}

/** Where the zone lands on screen when its landing box is fitted to a width × height canvas. */
function landed(width: number, height: number) {
  const box = landingBox(ZONE, width, height, INSET)!
  const v = fitBox(box, width, height, INSET)
  return {
    scale: v.scale,
    left: ZONE.x * v.scale + v.x,
    right: (ZONE.x + ZONE.w) * v.scale + v.x,
    top: ZONE.y * v.scale + v.y,
  }
}

describe('the landing view on a participant’s own table', () => {
  it('zooms so card text is at least the landing size on a narrow canvas, from the zone’s left edge', () => {
    const v = landed(660, 690)
    expect(v.scale * CARD_TEXT_PX).toBeGreaterThanOrEqual(LANDING_TEXT_PX - 1e-9)
    expect(v.left).toBeGreaterThan(0)
    expect(v.left).toBeLessThan(40)
    expect(v.top).toBeGreaterThanOrEqual(INSET)
    expect(v.top).toBeLessThan(INSET + 40)
  })

  it('shows the whole zone width when it fits readably, and never zooms past 100 %', () => {
    const mid = landed(960, 690)
    expect(mid.scale).toBeCloseTo(1)
    expect(mid.left).toBeGreaterThan(0)
    expect(mid.right).toBeLessThan(960)
    const big = landed(1600, 960)
    expect(big.scale).toBeCloseTo(1)
    // centred, the neighbours in view on both sides
    expect(big.left).toBeCloseTo(1600 - big.right)
  })

  it('has no box for a canvas not measured yet', () => {
    expect(landingBox(ZONE, 0, 0, INSET)).toBeNull()
  })
})

describe('keeping the edited card beside the editor panel', () => {
  const canvas = rect(0, 100, 1000, 700)
  const panel = rect(508, 112, 480, 500)

  it('moves a covered card to the left of the panel', () => {
    const card = rect(600, 200, 220, 140)
    const dx = besideDelta(card, panel, canvas)
    expect(card.right + dx).toBe(panel.left - 24)
  })

  it('leaves a card in sight alone, and one that cannot fit beside the panel', () => {
    expect(besideDelta(rect(100, 200, 220, 140), panel, canvas)).toBe(0)
    expect(besideDelta(rect(600, 200, 220, 140), rect(100, 112, 880, 500), canvas)).toBe(0)
  })
})
