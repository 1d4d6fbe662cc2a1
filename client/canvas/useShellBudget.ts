/**
 * How many culled shells the canvas may mount yet. The first draw mounts only the cards in view
 * (what the person sees first); the shells of the rest follow in idle slices, so a 1,000-card
 * board paints its table without first building 1,000 elements nobody sees. Once every card has
 * its shell the budget is unlimited: the tab order (and every card's name) is complete from then on.
 */
import { useEffect, useState } from 'react'

/** Shells mounted per idle slice. */
export const SHELL_SLICE = 150
/** An idle slice waits at most this long (a busy page still gets its tab order soon). */
const SLICE_TIMEOUT_MS = 200

type Idle = (fn: () => void) => () => void

const idle: Idle =
  typeof requestIdleCallback === 'function'
    ? (fn) => {
        const id = requestIdleCallback(fn, { timeout: SLICE_TIMEOUT_MS })
        return () => cancelIdleCallback(id)
      }
    : (fn) => {
        const id = setTimeout(fn, 0)
        return () => clearTimeout(id)
      }

/** `started`: the first real view is drawn (before that no card is mounted at all). */
export function useShellBudget(started: boolean, culled: number): number {
  const [budget, setBudget] = useState(0)
  const done = budget === Infinity
  useEffect(() => {
    if (!started || done) return
    return idle(() => setBudget((b) => (b + SHELL_SLICE >= culled ? Infinity : b + SHELL_SLICE)))
  }, [started, done, budget, culled])
  return budget
}
