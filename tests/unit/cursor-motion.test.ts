import { describe, expect, it } from 'vitest'
import {
  CursorMotion,
  type CursorNode,
  IDLE_CLASS,
  IDLE_SHOW_MS,
} from '../../client/canvas/cursorMotion.ts'

/** A clock whose timers run when the test moves time on. */
function fakeClock() {
  let now = 0
  let timers: { at: number; fn: () => void }[] = []
  return {
    now: () => now,
    setTimeout(fn: () => void, ms: number) {
      const t = { at: now + ms, fn }
      timers.push(t)
      return t
    },
    clearTimeout(h: unknown) {
      timers = timers.filter((t) => t !== h)
    },
    advance(ms: number) {
      const end = now + ms
      for (;;) {
        const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0]
        if (!due) break
        timers = timers.filter((t) => t !== due)
        now = due.at
        due.fn()
      }
      now = end
    },
    pending: () => timers.length,
  }
}

function node() {
  const classes = new Set<string>()
  const n: CursorNode & { idle(): boolean } = {
    style: { translate: '' },
    hidden: true,
    classList: { toggle: (c: string, on: boolean) => (on ? classes.add(c) : classes.delete(c)) },
    idle: () => classes.has(IDLE_CLASS),
  }
  return n
}

const ALL = { x: -1e6, y: -1e6, w: 2e6, h: 2e6 }

describe('remote pointers without React', () => {
  it('places a pointer where it is, hides one without a position', () => {
    const clock = fakeClock()
    const m = new CursorMotion(clock)
    m.setCull(ALL)
    const a = node()
    const b = node()
    m.show(new Map([['a', { x: 10, y: 20 }]]))
    m.attach('a', a)
    m.attach('b', b)
    expect(a.hidden).toBe(false)
    expect(a.style.translate).toBe('10px 20px')
    expect(b.hidden).toBe(true)
    m.show(new Map([['b', { x: 1, y: 2 }]]))
    expect(a.hidden).toBe(true)
    expect(b.hidden).toBe(false)
    expect(b.idle()).toBe(false)
  })

  it('fades a pointer idle for a few seconds and brings it back when it moves', () => {
    const clock = fakeClock()
    const m = new CursorMotion(clock)
    m.setCull(ALL)
    const a = node()
    m.attach('a', a)
    m.show(new Map([['a', { x: 0, y: 0 }]]))
    clock.advance(IDLE_SHOW_MS - 1)
    expect(a.idle()).toBe(false)
    // the same position again is no move
    m.show(new Map([['a', { x: 0, y: 0 }]]))
    clock.advance(1)
    expect(a.idle()).toBe(true)
    m.show(new Map([['a', { x: 5, y: 0 }]]))
    expect(a.idle()).toBe(false)
    clock.advance(IDLE_SHOW_MS)
    expect(a.idle()).toBe(true)
    expect(clock.pending()).toBe(0)
  })

  it('keeps one timer however often pointers move', () => {
    const clock = fakeClock()
    const m = new CursorMotion(clock)
    m.setCull(ALL)
    const nodes = [node(), node(), node()]
    nodes.forEach((n, i) => m.attach(`p${i}`, n))
    for (let t = 0; t < 100; t++) {
      m.show(new Map(nodes.map((_, i) => [`p${i}`, { x: t, y: i }])))
      clock.advance(50)
      expect(clock.pending()).toBeLessThanOrEqual(1)
    }
    expect(nodes.some((n) => n.idle())).toBe(false)
    clock.advance(IDLE_SHOW_MS)
    expect(nodes.every((n) => n.idle())).toBe(true)
  })

  it('draws no pointer outside the cull box; one that comes into view parked shows faded', () => {
    const clock = fakeClock()
    const m = new CursorMotion(clock)
    m.setCull({ x: 0, y: 0, w: 100, h: 100 })
    const a = node()
    m.attach('a', a)
    m.show(new Map([['a', { x: 500, y: 50 }]]))
    expect(a.hidden).toBe(true)
    m.show(new Map([['a', { x: 600, y: 50 }]]))
    expect(a.style.translate).toBe('')
    expect(clock.pending()).toBe(0)
    m.show(new Map([['a', { x: 50, y: 50 }]]))
    expect(a.hidden).toBe(false)
    expect(a.idle()).toBe(false)
    m.show(new Map([['a', { x: 700, y: 50 }]]))
    clock.advance(IDLE_SHOW_MS)
    m.setCull({ x: 600, y: 0, w: 200, h: 100 })
    expect(a.hidden).toBe(false)
    expect(a.style.translate).toBe('700px 50px')
    expect(a.idle()).toBe(true)
  })
})
