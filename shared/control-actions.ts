/**
 * What the facilitator's tools (and the server) do to the control doc beyond setting one field:
 * timer steps, moving through the agenda, follow-me and summons, removing a round, ranking a
 * round's tasks, the projector's pick, and the defaults a new workshop starts with. Apart from
 * ./control.ts, which the board's own path reads, so a participant's first load does not carry them.
 */
import type * as Y from 'yjs'
import {
  type Criterion,
  LockedBy,
  type Phase,
  PRESENT_KEY,
  type Present,
  PresentSchema,
  type Round,
  type Tally,
  type TaskTally,
  type Timer,
  type Viewport,
  type VoteKind,
  activePresentPick,
  controlRoots,
  presentContext,
  readFollow,
  readKeepTimerOnPhase,
  readLock,
  readPhaseId,
  readPhases,
  readPresent,
  readShownRound,
  readTimer,
  setLocked,
  setPhaseId,
  timerRemainingMs,
  writeFollow,
  writeShownRound,
  writeTimer,
} from './control.ts'
import { VOTE_KINDS } from './vote-kinds/index.ts'

const MS_PER_MINUTE = 60_000

export const startTimer = (ms: number, serverNow: number): Timer => ({
  status: 'running',
  endsAt: serverNow + ms,
  durationMs: ms,
})
export function pauseTimer(t: Timer, serverNow: number): Timer {
  return t.status === 'running'
    ? { status: 'paused', remainingMs: timerRemainingMs(t, serverNow), durationMs: t.durationMs }
    : t
}
export function resumeTimer(t: Timer, serverNow: number): Timer {
  return t.status === 'paused'
    ? { status: 'running', endsAt: serverNow + t.remainingMs, durationMs: t.durationMs }
    : t
}
export function extendTimer(t: Timer, ms: number, serverNow: number): Timer {
  switch (t.status) {
    case 'idle':
      return startTimer(ms, serverNow)
    case 'paused':
      return { ...t, remainingMs: t.remainingMs + ms, durationMs: t.durationMs + ms }
    case 'running':
      return { ...t, endsAt: Math.max(t.endsAt, serverNow) + ms, durationMs: t.durationMs + ms }
  }
}

/**
 * Makes `phaseId` the current phase (null: none). The new phase's planned timer starts, unless the
 * keep-timer setting is on and a timer is running or paused. A lock the timer set ends with its
 * phase; a lock by hand stays.
 */
export function goToPhase(doc: Y.Doc, phaseId: string | null, serverNow: number): void {
  const phase = phaseId === null ? null : (readPhases(doc).find((p) => p.id === phaseId) ?? null)
  doc.transact(() => {
    setPhaseId(doc, phase?.id ?? null)
    const keep = readKeepTimerOnPhase(doc) && readTimer(doc).status !== 'idle'
    if (!keep)
      writeTimer(
        doc,
        phase && phase.minutes > 0
          ? startTimer(phase.minutes * MS_PER_MINUTE, serverNow)
          : { status: 'idle' },
      )
    if (readLock(doc).by === LockedBy.Timer) setLocked(doc, false)
  })
}

/** The phase before or after the current one (the first when none is current and delta is 1). */
export function neighbourPhase(doc: Y.Doc, delta: -1 | 1): Phase | null {
  const phases = readPhases(doc)
  const index = phases.findIndex((p) => p.id === readPhaseId(doc))
  if (index === -1) return delta === 1 ? (phases[0] ?? null) : null
  return phases[index + delta] ?? null
}

/**
 * Turns follow-me on or off. No view goes with it (the summon's is dropped too: followers jump
 * only when the summon count grows), so the log holds no view of a followed session.
 */
export function setFollowActive(doc: Y.Doc, active: boolean): void {
  writeFollow(doc, { active, summon: readFollow(doc).summon })
}

/** Takes everybody to `view` once: a decision, so its view is logged. */
export function summonTo(doc: Y.Doc, view: Viewport): void {
  const current = readFollow(doc)
  writeFollow(doc, { active: current.active, viewport: view, summon: current.summon + 1 })
}

/**
 * The `top` best-placed tasks of a round, in rank order, among `known` (tasks still on the board:
 * merged or deleted ones are passed over). Tasks tied with the last one taken come too, since
 * cutting a tie would pick between equals by list order.
 */
export function topTaskIds(
  round: Round,
  tally: Tally,
  top: number,
  known: ReadonlySet<string>,
): string[] {
  const ranked = rankedTaskIds(round, tally).filter((id) => known.has(id))
  const byId = new Map(tally.tasks.map((t) => [t.taskId, t]))
  const standing = (id: string) => {
    const t = byId.get(id)
    return t ? taskStanding(round.kind, t) : null
  }
  let end = Math.min(top, ranked.length)
  if (end === 0) return []
  const cut = standing(ranked[end - 1]!)
  while (end < ranked.length && standing(ranked[end]!) === cut) end++
  return ranked.slice(0, end)
}

/** Removes a round (one never revealed: it has no tally) and its pick on the projector. */
export function deleteRound(doc: Y.Doc, id: string): void {
  const roots = controlRoots(doc)
  doc.transact(() => {
    roots.rounds.delete(id)
    roots.tallies.delete(id)
    if (readShownRound(doc) === id) writeShownRound(doc, null)
  })
}

/** A task's standing in a tally: its dots, or the mean of its criteria's mean scores. */
export const taskStanding = (kind: VoteKind, t: TaskTally): number | null =>
  VOTE_KINDS[kind].standing(t)

/**
 * The round's tasks from first to last place; equal standing keeps the round's order, and a task
 * nobody scored comes after every scored one.
 */
export function rankedTaskIds(round: Round, tally: Tally): string[] {
  const byId = new Map(tally.tasks.map((t) => [t.taskId, t]))
  const rows = round.taskIds.map((id, order) => {
    const t = byId.get(id)
    return { id, order, value: t ? taskStanding(round.kind, t) : null }
  })
  rows.sort((a, b) => (b.value ?? -Infinity) - (a.value ?? -Infinity) || a.order - b.order)
  return rows.map((r) => r.id)
}

/** The meeting's default phases: their lengths are one plan, their names follow the language. */
const DEFAULT_PHASE_MINUTES = [10, 25, 25, 20, 10, 20, 5]
const DEFAULT_PHASE_NAMES: Record<'nl' | 'en', string[]> = {
  nl: [
    'Welkom',
    'Tafelronde 1',
    'Tafelronde 2',
    'Plenair',
    'Stemmen',
    'Stip op de horizon',
    'Afsluiting',
  ],
  en: [
    'Welcome',
    'Table round 1',
    'Table round 2',
    'Plenary',
    'Voting',
    'Point on the horizon',
    'Closing',
  ],
}
const defaultPhasesIn = (language: 'nl' | 'en'): Omit<Phase, 'id'>[] =>
  DEFAULT_PHASE_NAMES[language].map((name, i) => ({ name, minutes: DEFAULT_PHASE_MINUTES[i]! }))

export const DEFAULT_PHASES: Record<'nl' | 'en', Omit<Phase, 'id'>[]> = {
  nl: defaultPhasesIn('nl'),
  en: defaultPhasesIn('en'),
}

export const DEFAULT_CRITERIA = {
  nl: [
    { id: 'energie', label: 'Energie' },
    { id: 'impact', label: 'Impact' },
  ],
  en: [
    { id: 'energie', label: 'Energy' },
    { id: 'impact', label: 'Impact' },
  ],
} as const satisfies Record<'nl' | 'en', Criterion[]>

/**
 * The facilitator's pick: `scene` null hands the projector back to the meeting. A pick that no
 * longer holds is not revived by a change of something else (the per-table toggle).
 */
export function writePresent(doc: Y.Doc, pick: Partial<Omit<Present, 'context'>>): void {
  const current = readPresent(doc)
  const base = activePresentPick(doc) ?? { ...current, scene: null, spotlight: null }
  const next = { ...base, ...pick, context: presentContext(doc) }
  controlRoots(doc).state.set(PRESENT_KEY.present, PresentSchema.parse(next))
}
