/**
 * Moves the remote pointers without React: the cursor layer renders each person's pointer once
 * (name and colour) and this writes their positions straight to the nodes, on the remote tick. 30
 * people dragging move their pointers 600 times a second; a React commit per tick for that was a
 * third of a watching client's style and commit time.
 *
 * A pointer that stops moving fades after IDLE_SHOW_MS (the `is-idle` class, whose opacity
 * transition is in the cursor CSS), so a parked label never hides what is under it. A pointer that
 * keeps moving costs no timer or animation per move: one timer wakes when the earliest of them may
 * have gone idle.
 */

import type { Box } from '../../shared/layout.ts'

/** A pointer shows this long after it last moved, then fades. */
export const IDLE_SHOW_MS = 3000

export const IDLE_CLASS = 'is-idle'

/** The part of a pointer's DOM node this writes (an HTMLElement; a plain object in unit tests). */
export interface CursorNode {
  style: { translate: string }
  hidden: boolean | string
  classList: { toggle(token: string, force: boolean): unknown }
}

export interface MotionClock {
  now(): number
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

interface Shown {
  node: CursorNode
  /** The last position heard (NaN: none yet). */
  x: number
  y: number
  /** The position the node's transform shows. */
  drawnX: number
  drawnY: number
  hidden: boolean
  movedAt: number
  idle: boolean
}

export type Pointers = ReadonlyMap<string, { x: number; y: number }>

export class CursorMotion {
  private readonly shown = new Map<string, Shown>()
  private pointers: Pointers = new Map()
  private cull: Box | null = null
  private timer: unknown = null

  constructor(private readonly clock: MotionClock) {}

  /** A person's pointer node came (or went: null). A new node is placed at once. */
  attach(key: string, node: CursorNode | null): void {
    if (!node) {
      this.shown.delete(key)
      return
    }
    // as a pointer not shown (below): hidden and faded until it has a position
    const s: Shown = {
      node,
      x: NaN,
      y: NaN,
      drawnX: NaN,
      drawnY: NaN,
      hidden: true,
      movedAt: -Infinity,
      idle: true,
    }
    node.hidden = true
    node.classList.toggle(IDLE_CLASS, true)
    this.shown.set(key, s)
    this.place(s, this.pointers.get(key), this.clock.now())
    this.wake()
  }

  /** The pointers as they are now, by person key: moves the nodes whose pointer moved. */
  show(pointers: Pointers): void {
    this.pointers = pointers
    this.placeAll()
  }

  /**
   * Pointers outside this world box (the canvas's cull box: the view and a margin) are not drawn,
   * so the many that move out of sight cost no style, paint or compositing. Null: none drawn.
   */
  setCull(box: Box | null): void {
    this.cull = box
    this.placeAll()
  }

  dispose(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer)
    this.timer = null
  }

  private placeAll(): void {
    const now = this.clock.now()
    for (const [key, s] of this.shown) this.place(s, this.pointers.get(key), now)
    this.wake()
  }

  private place(s: Shown, p: { x: number; y: number } | undefined, now: number): void {
    if (p && (p.x !== s.x || p.y !== s.y)) {
      s.x = p.x
      s.y = p.y
      s.movedAt = now
    }
    const c = this.cull
    const drawn = !!p && !!c && p.x >= c.x && p.x <= c.x + c.w && p.y >= c.y && p.y <= c.y + c.h
    if (!drawn) {
      if (!s.hidden) {
        s.hidden = true
        s.node.hidden = true
      }
      return
    }
    if (s.x !== s.drawnX || s.y !== s.drawnY) {
      s.drawnX = s.x
      s.drawnY = s.y
      // the `translate` property alone (the zoom's counter-scale is `scale` in the cursor CSS): a
      // plain length pair is the cheapest style write there is, and 30 pointers make 600 a second
      s.node.style.translate = `${s.x}px ${s.y}px`
    }
    // a pointer that comes into view parked is shown faded (a hidden node does not transition)
    const idle = now - s.movedAt >= IDLE_SHOW_MS
    if (idle !== s.idle) {
      s.idle = idle
      s.node.classList.toggle(IDLE_CLASS, idle)
    }
    if (s.hidden) {
      s.hidden = false
      s.node.hidden = false
    }
  }

  /** Fades the drawn pointers idle long enough; sleeps until the next one may be. */
  private readonly fade = () => {
    this.timer = null
    const now = this.clock.now()
    for (const s of this.shown.values())
      if (!s.hidden && !s.idle && now - s.movedAt >= IDLE_SHOW_MS) {
        s.idle = true
        s.node.classList.toggle(IDLE_CLASS, true)
      }
    this.wake()
  }

  private wake(): void {
    if (this.timer !== null) return
    let next = Infinity
    for (const s of this.shown.values())
      if (!s.hidden && !s.idle) next = Math.min(next, s.movedAt + IDLE_SHOW_MS)
    if (next === Infinity) return
    this.timer = this.clock.setTimeout(this.fade, Math.max(0, next - this.clock.now()))
  }
}
