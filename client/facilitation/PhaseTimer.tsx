/** Current phase and the timer, in every board header (participants, facilitator, projector). */
import { timerRemainingMs } from '../../shared/control.ts'
import { useI18n } from '../i18n/index.ts'
import type { WorkshopConnection } from '../sync/connection.ts'
import { useServerNow } from './serverClock.ts'
import { formatRemaining, timerState } from './timerFormat.ts'
import { useControl } from '../model/useControl.ts'

/** A quarter second keeps two screens within a second of each other without busy rendering. */
const TICK_MS = 250
const MS_PER_MINUTE = 60_000

export function PhaseTimer({ conn }: { conn: WorkshopConnection }) {
  const { t } = useI18n()
  const control = useControl(conn.control)
  const running = control.timer.status === 'running'
  const now = useServerNow(conn, TICK_MS, running)
  const state = timerState(control.timer, now)
  const remaining =
    control.timer.status === 'idle'
      ? (control.phase?.minutes ?? 0) * MS_PER_MINUTE
      : timerRemainingMs(control.timer, now)
  return (
    <div className="phase-timer" data-state={state}>
      <span className="phase-name" data-testid="phase-name">
        <span className="visually-hidden">{t('fac.currentPhase')}: </span>
        {control.phase?.name ?? t('fac.noPhase')}
      </span>
      <span className="timer-box">
        <span className="visually-hidden">{t(`timer.state.${state}`)}: </span>
        <span role="timer" className="timer" data-testid="timer" data-state={state}>
          {formatRemaining(remaining)}
        </span>
        {state !== 'running' && state !== 'idle' && (
          <span className="timer-state" aria-hidden="true">
            {t(`timer.state.${state}`)}
          </span>
        )}
      </span>
    </div>
  )
}
