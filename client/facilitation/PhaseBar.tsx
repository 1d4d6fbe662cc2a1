/**
 * The facilitator's phase bar: where the meeting is in its agenda, with previous and next. A phase
 * change starts that phase's planned timer, unless "keep the running timer" is on (a setting in
 * the control doc, so a co-facilitator's bar does the same).
 */
import { useId } from 'react'
import type * as Y from 'yjs'
import { type Phase, setKeepTimerOnPhase } from '../../shared/control.ts'
import { goToPhase } from '../../shared/control-actions.ts'
import { useI18n } from '../i18n/index.ts'
import type { ControlState } from '../model/useControl.ts'

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
  const go = (p: Phase) => goToPhase(control, p.id, now())
  return (
    <section className="side-section phase-bar" aria-labelledby={headingId} data-testid="phase-bar">
      <h3 id={headingId}>{t('phaseBar.heading')}</h3>
      <p className="phase-bar-now" data-testid="phase-bar-now">
        {state.phase ? (
          <>
            <span className="phase-bar-step">
              {t('phaseBar.step', { n: index + 1, total: state.phases.length })}
            </span>
            <span className="phase-bar-name">{state.phase.name}</span>
          </>
        ) : (
          t('fac.noPhase')
        )}
      </p>
      <div className="phase-bar-nav">
        <StepButton
          testId="phase-prev"
          to={prev}
          label={t('phaseBar.prev')}
          labelTo={(name) => t('phaseBar.prevTo', { name })}
          go={go}
        />
        <StepButton
          testId="phase-next"
          to={next}
          label={t('phaseBar.next')}
          labelTo={(name) => t('phaseBar.nextTo', { name })}
          go={go}
          primary
        />
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
      <p className="hint">{t('phaseBar.hint')}</p>
    </section>
  )
}

/** Previous or next: its name says where it goes; the arrow points the way, for sighted users only. */
function StepButton(p: {
  testId: string
  to: Phase | null
  label: string
  labelTo(name: string): string
  go(p: Phase): void
  primary?: boolean
}) {
  const arrow = p.primary ? ' →' : '← '
  return (
    <button
      type="button"
      className={`btn${p.primary ? ' btn-primary' : ''}`}
      data-testid={p.testId}
      disabled={!p.to}
      aria-label={p.to ? p.labelTo(p.to.name) : p.label}
      onClick={() => p.to && p.go(p.to)}
    >
      {!p.primary && <span aria-hidden="true">{arrow}</span>}
      {p.label}
      {p.primary && <span aria-hidden="true">{arrow}</span>}
    </button>
  )
}
