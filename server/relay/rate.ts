/** A token bucket: `perSecond` events per second on average, bursts up to `burst` (one second's worth by default). */
import type { Clock } from '../deps.ts'

export class RateBudget {
  private tokens: number
  private last: number

  constructor(
    private readonly perSecond: number,
    private readonly clock: Clock,
    private readonly burst = perSecond,
  ) {
    this.tokens = burst
    this.last = clock.now()
  }

  take(): boolean {
    const now = this.clock.now()
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond)
    this.last = now
    if (this.tokens < 1) return false
    this.tokens -= 1
    return true
  }
}
