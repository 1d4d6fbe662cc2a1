/**
 * Phase bar, timer, board lock and follow-me controls. Each is a direct write to the control doc,
 * in server time. The lock button shows the one lock state, whatever set it (by hand, or the server
 * when the timer ran out), and its label says what a click does: one click always unlocks.
 */
import { useEffect, useId, useState } from 'react'
import { type Timer, setLockOnTimerEnd, setLocked, writeTimer } from '../../shared/control.ts'
import {
  extendTimer,
  pauseTimer,
  resumeTimer,
  setFollowActive,
  startTimer,
  summonTo,
} from '../../shared/control-actions.ts'
import { useI18n } from '../i18n/index.ts'
import type { WorkshopConnection } from '../sync/connection.ts'
import { serverNow } from './serverClock.ts'
import { PhaseBar } from './PhaseBar.tsx'
import type { FollowHandle } from './useFollowSync.ts'
import type { ControlState } from '../model/useControl.ts'

const MS_PER_MINUTE = 60_000
const MAX_TIMER_MINUTES = 600
const EXTEND_SHORT_MIN = 1
const EXTEND_LONG_MIN = 5

interface Props {
  conn: WorkshopConnection
  control: ControlState
  follow: FollowHandle
}

function defaultMinutes(planned: number | undefined): string {
  return String(planned ?? EXTEND_LONG_MIN)
}

export function TimerControls({ conn, control, follow }: Props) {
  const { t } = useI18n()
  const doc = conn.control
  const minutesId = useId()
  const headingId = useId()
  const [minutes, setMinutes] = useState(() => defaultMinutes(control.phase?.minutes))
  // a new phase brings its own planned length
  const phaseId = control.phase?.id
  const plannedMinutes = control.phase?.minutes
  useEffect(() => setMinutes(defaultMinutes(plannedMinutes)), [phaseId, plannedMinutes])

  const update = (fn: (t: Timer, now: number) => Timer) =>
    writeTimer(doc, fn(control.timer, serverNow(conn)))
  const minutesMs = Math.min(MAX_TIMER_MINUTES, Math.max(0, Number(minutes) || 0)) * MS_PER_MINUTE
  const status = control.timer.status
  const lock = control.lock

  return (
    <>
      <PhaseBar control={doc} state={control} now={() => serverNow(conn)} />
      <section className="side-section" aria-labelledby={headingId}>
        <h3 id={headingId}>{t('timer.heading')}</h3>
        <div className="inline-form">
          <label htmlFor={minutesId} className="inline-label">
            {t('timer.minutes')}
          </label>
          <input
            id={minutesId}
            className="timer-minutes"
            data-testid="timer-minutes"
            type="number"
            min={0}
            max={MAX_TIMER_MINUTES}
            value={minutes}
            onChange={(e) => setMinutes(e.target.value)}
          />
          <button
            type="button"
            className="btn btn-primary"
            data-testid="timer-start"
            disabled={minutesMs <= 0}
            onClick={() => update((_, now) => startTimer(minutesMs, now))}
          >
            {t('timer.start')}
          </button>
        </div>
        <div className="button-row">
          <button
            type="button"
            className="btn"
            data-testid="timer-pause"
            disabled={status !== 'running'}
            onClick={() => update(pauseTimer)}
          >
            {t('timer.pause')}
          </button>
          <button
            type="button"
            className="btn"
            data-testid="timer-resume"
            disabled={status !== 'paused'}
            onClick={() => update(resumeTimer)}
          >
            {t('timer.resume')}
          </button>
          <button
            type="button"
            className="btn"
            data-testid="timer-extend"
            onClick={() =>
              update((tm, now) => extendTimer(tm, EXTEND_SHORT_MIN * MS_PER_MINUTE, now))
            }
          >
            {t('timer.extend', { minutes: EXTEND_SHORT_MIN })}
          </button>
          <button
            type="button"
            className="btn"
            data-testid="timer-extend-5"
            onClick={() =>
              update((tm, now) => extendTimer(tm, EXTEND_LONG_MIN * MS_PER_MINUTE, now))
            }
          >
            {t('timer.extend', { minutes: EXTEND_LONG_MIN })}
          </button>
          <button
            type="button"
            className="btn"
            data-testid="timer-reset"
            disabled={status === 'idle'}
            onClick={() => writeTimer(doc, { status: 'idle' })}
          >
            {t('timer.reset')}
          </button>
        </div>

        <h3>{t('fac.lockHeading')}</h3>
        <p className={`lock-state${lock.locked ? ' is-locked' : ''}`} data-testid="lock-state">
          {t(
            lock.by === 'timer'
              ? 'lock.stateTimer'
              : lock.locked
                ? 'lock.stateHand'
                : 'lock.stateOpen',
          )}
        </p>
        <div className="button-row">
          {/* the label names the action, so no aria-pressed: a toggle's name must not change */}
          <button
            type="button"
            className={`btn${lock.locked ? ' btn-primary' : ''}`}
            data-testid="lock-toggle"
            data-locked={lock.locked}
            onClick={() => setLocked(doc, !lock.locked)}
          >
            {t(lock.locked ? 'lock.unlock' : 'lock.lock')}
          </button>
          <label className="radio">
            <input
              type="checkbox"
              data-testid="lock-on-end"
              checked={control.lockOnTimerEnd}
              onChange={(e) => setLockOnTimerEnd(doc, e.target.checked)}
            />
            <span>{t('fac.lockOnEnd')}</span>
          </label>
        </div>

        <h3>{t('fac.followHeading')}</h3>
        <div className="button-row">
          <button
            type="button"
            className="btn"
            data-testid="follow-toggle"
            aria-pressed={control.follow.active}
            onClick={() => setFollowActive(doc, !control.follow.active)}
          >
            {t('fac.follow')}
          </button>
          <button
            type="button"
            className="btn"
            data-testid="summon"
            onClick={() => summonTo(doc, follow.sharedView())}
          >
            {t('fac.summon')}
          </button>
        </div>
        <p className="hint">{t('fac.followHint')}</p>
      </section>
    </>
  )
}
