/**
 * The facilitator's phase bar: where the meeting is in its agenda, with previous and next. A phase
 * change starts that phase's planned timer, unless "keep the running timer" is on (a setting in
 * the control doc, so a co-facilitator's bar does the same).
 */
import { useId } from 'react'
import type * as Y from 'yjs'
import { goToPhase, setKeepTimerOnPhase } from '../../shared/control.ts'
import { useI18n } from '../i18n/index.ts'
import type { ControlState } from './useControl.ts'

interface Props {
  control: Y.Doc
  state: ControlState
  /** Server time now. */
  now(): number
}

export function PhaseBar({ control, state, now }: Props) {
  const { t } = useI18n()
  const headingId = useId()
  const index = state.phase ? state.phases.findIndex((p) => p.id === state.phase!.id) : -1
  const prev = index > 0 ? state.phases[index - 1]! : null
  const next = index === -1 ? (state.phases[0] ?? null) : (state.phases[index + 1] ?? null)
  return (
    <section className="side-section phase-bar" aria-labelledby={headingId} data-testid="phase-bar">
      <h3 id={headingId}>{t('phaseBar.heading')}</h3>
      <p className="phase-bar-now" data-testid="phase-bar-now">
        {state.phase ? (
          <>
            <span className="phase-bar-step">{t('phaseBar.step', { n: index + 1, total: state.phases.length })}</span>
            <span className="phase-bar-name">{state.phase.name}</span>
          </>
        ) : (
          t('fac.noPhase')
        )}
      </p>
      <div className="phase-bar-nav">
        <button
          type="button"
          className="btn"
          data-testid="phase-prev"
          disabled={!prev}
          aria-label={prev ? t('phaseBar.prevTo', { name: prev.name }) : t('phaseBar.prev')}
          onClick={() => prev && goToPhase(control, prev.id, now())}
        >
          <span aria-hidden="true">← </span>
          {t('phaseBar.prev')}
        </button>
        <button
          type="button"
          className="btn btn-primary"
          data-testid="phase-next"
          disabled={!next}
          aria-label={next ? t('phaseBar.nextTo', { name: next.name }) : t('phaseBar.next')}
          onClick={() => next && goToPhase(control, next.id, now())}
        >
          {t('phaseBar.next')}
          <span aria-hidden="true"> →</span>
        </button>
      </div>
      <label className="radio">
        <input
          type="checkbox"
          data-testid="keep-timer"
          checked={state.keepTimerOnPhase}
          onChange={(e) => setKeepTimerOnPhase(control, e.target.checked)}
        />
        <span>{t('phaseBar.keepTimer')}</span>
      </label>
    </section>
  )
}
