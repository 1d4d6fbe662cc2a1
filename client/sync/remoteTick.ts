/**
 * One clock for what other people change on screen. Their card writes (model/model.ts) and their
 * pointers (canvas/cursorMotion.ts) are shown on the same tick, so 30 people dragging cost one render
 * and one frame per tick instead of a frame for every message. A tick comes at most every
 * REMOTE_TICK_MS: the rate at which one person's drag is written anyway, so nothing moves less
 * smoothly than it was sent.
 */
import { DRAG_WRITE_INTERVAL_MS } from '../../shared/limits.ts'

export const REMOTE_TICK_MS = DRAG_WRITE_INTERVAL_MS

const waiting = new Set<() => void>()
let timer: ReturnType<typeof setTimeout> | null = null
let last = -Infinity

function run(): void {
  timer = null
  last = performance.now()
  const due = [...waiting]
  waiting.clear()
  for (const fn of due) fn()
}

/** Runs `fn` on the next tick (once, however often it is asked for); returns a cancel. */
export function onRemoteTick(fn: () => void): () => void {
  waiting.add(fn)
  timer ??= setTimeout(run, Math.max(0, REMOTE_TICK_MS - (performance.now() - last)))
  return () => waiting.delete(fn)
}
