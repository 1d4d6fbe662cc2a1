/**
 * The agenda: phases with name and planned minutes; add, remove, reorder, and set the current
 * phase (which starts its timer, as the phase bar does). Names and minutes are committed on blur or
 * Enter, so half-typed values never reach the doc. A name wraps in its field, never cut off.
 */
import { useId, useState } from 'react'
import type * as Y from 'yjs'
import { type Phase, setPhaseId, writePhases } from '../../shared/control.ts'
import { goToPhase } from '../../shared/control-actions.ts'
import { useI18n } from '../i18n/index.ts'
import { newPhaseId } from '../model/ids.ts'
import { serverNowOf } from './serverClock.ts'

const MAX_PHASE_NAME = 80
const MAX_MINUTES = 600
const NEW_PHASE_MINUTES = 10

interface Props {
  control: Y.Doc
  phases: Phase[]
  currentId: string | null
}

function PhaseRow({
  phase,
  index,
  count,
  current,
  onChange,
  onMove,
  onRemove,
  onSetCurrent,
}: {
  phase: Phase
  index: number
  count: number
  current: boolean
  onChange(p: Phase): void
  onMove(delta: -1 | 1): void
  onRemove(): void
  onSetCurrent(): void
}) {
  const { t } = useI18n()
  const [name, setName] = useState(phase.name)
  const [minutes, setMinutes] = useState(String(phase.minutes))
  // a remote rename shows up unless we are typing in the field
  const [focused, setFocused] = useState<'name' | 'minutes' | null>(null)
  const shownName = focused === 'name' ? name : phase.name
  const shownMinutes = focused === 'minutes' ? minutes : String(phase.minutes)

  const commit = () => {
    const clean = name.trim().slice(0, MAX_PHASE_NAME)
    const m = Math.min(MAX_MINUTES, Math.max(0, Math.round(Number(minutes))))
    const next = {
      ...phase,
      name: clean || phase.name,
      minutes: Number.isFinite(m) ? m : phase.minutes,
    }
    if (next.name !== phase.name || next.minutes !== phase.minutes) onChange(next)
    setFocused(null)
  }
  const onKey = (e: React.KeyboardEvent<HTMLInputElement | HTMLTextAreaElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault()
      e.currentTarget.blur()
    }
  }
  return (
    <li
      className={`phase-row${current ? ' is-current' : ''}`}
      data-testid="phase-row"
      aria-current={current ? 'step' : undefined}
    >
      <button
        type="button"
        className="btn btn-small phase-set"
        data-testid={`phase-${index}`}
        aria-pressed={current}
        onClick={onSetCurrent}
      >
        <span className="visually-hidden">{t('fac.setPhase')}: </span>
        {index + 1}
      </button>
      <textarea
        className="phase-name-input"
        rows={1}
        data-testid="phase-name-input"
        aria-label={t('fac.phaseName', { n: index + 1 })}
        value={shownName}
        maxLength={MAX_PHASE_NAME}
        onFocus={() => (setName(phase.name), setFocused('name'))}
        onChange={(e) => setName(e.target.value)}
        onBlur={commit}
        onKeyDown={onKey}
      />
      <input
        className="phase-minutes-input"
        type="number"
        min={0}
        max={MAX_MINUTES}
        aria-label={t('fac.phaseMinutes', { n: index + 1 })}
        value={shownMinutes}
        onFocus={() => (setMinutes(String(phase.minutes)), setFocused('minutes'))}
        onChange={(e) => setMinutes(e.target.value)}
        onBlur={commit}
        onKeyDown={onKey}
      />
      <span className="phase-tools">
        <button
          type="button"
          className="btn btn-small"
          aria-label={t('fac.phaseUp', { n: index + 1 })}
          disabled={index === 0}
          onClick={() => onMove(-1)}
        >
          <span aria-hidden="true">↑</span>
        </button>
        <button
          type="button"
          className="btn btn-small"
          aria-label={t('fac.phaseDown', { n: index + 1 })}
          disabled={index === count - 1}
          onClick={() => onMove(1)}
        >
          <span aria-hidden="true">↓</span>
        </button>
        <button
          type="button"
          className="btn btn-small btn-danger"
          aria-label={t('fac.phaseRemove', { n: index + 1 })}
          onClick={onRemove}
        >
          <span aria-hidden="true">×</span>
        </button>
      </span>
    </li>
  )
}

export function AgendaEditor({ control, phases, currentId }: Props) {
  const { t } = useI18n()
  const headingId = useId()
  const write = (next: Phase[]) => writePhases(control, next)

  const move = (index: number, delta: -1 | 1) => {
    const next = [...phases]
    const [p] = next.splice(index, 1)
    if (!p) return
    next.splice(index + delta, 0, p)
    write(next)
  }

  return (
    <section className="side-section" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('fac.agenda')}</h3>
      <p className="hint" id={`${headingId}-hint`}>
        {t('fac.agendaHint')}
      </p>
      <ol className="phase-list" aria-describedby={`${headingId}-hint`}>
        {phases.map((p, i) => (
          <PhaseRow
            key={p.id}
            phase={p}
            index={i}
            count={phases.length}
            current={p.id === currentId}
            onChange={(np) => write(phases.map((x) => (x.id === np.id ? np : x)))}
            onMove={(d) => move(i, d)}
            onRemove={() => {
              write(phases.filter((x) => x.id !== p.id))
              if (p.id === currentId) setPhaseId(control, null)
            }}
            onSetCurrent={() => goToPhase(control, p.id, serverNowOf(control))}
          />
        ))}
      </ol>
      <button
        type="button"
        className="btn btn-small"
        data-testid="phase-add"
        onClick={() =>
          write([
            ...phases,
            { id: newPhaseId(), name: t('fac.newPhase'), minutes: NEW_PHASE_MINUTES },
          ])
        }
      >
        {t('fac.addPhase')}
      </button>
    </section>
  )
}
