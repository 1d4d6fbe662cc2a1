/** How the timer reads: whole seconds rounded up, so "0:00" means the time is really up. */
import { type Timer, timerRemainingMs } from '../../shared/control.ts'

export type TimerState = 'idle' | 'running' | 'paused' | 'ended'

const MS_PER_SECOND = 1000
const SECONDS_PER_MINUTE = 60

export function timerState(timer: Timer, serverNow: number): TimerState {
  if (timer.status === 'running')
    return timerRemainingMs(timer, serverNow) > 0 ? 'running' : 'ended'
  return timer.status
}

/** `m:ss` below ten minutes, `mm:ss` (or more) above. */
export function formatRemaining(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / MS_PER_SECOND))
  const m = Math.floor(total / SECONDS_PER_MINUTE)
  const s = total % SECONDS_PER_MINUTE
  return `${m}:${String(s).padStart(2, '0')}`
}
