/**
 * The control doc: agenda, timer, board lock, follow-me viewport, voting rounds and their
 * published results. Only facilitators and the server write it. Values are small JSON records
 * replaced whole, and read back through schemas because a doc is untrusted input.
 */
import * as Y from 'yjs'
import { z } from 'zod'
import { CONTROL_ROOT } from './schema.ts'
import { reportDropped } from './read-issues.ts'

export const CONTROL_KEY = {
  phaseId: 'phaseId',
  timer: 'timer',
  locked: 'locked',
  lockOnTimerEnd: 'lockOnTimerEnd',
  follow: 'follow',
  shownRound: 'shownRound',
  /** The latest restore of the board to a snapshot, so every screen can say it happened. */
  restored: 'restored',
  /** Layout version of the control doc; see {@link CONTROL_SCHEMA_VERSION}. */
  schemaVersion: 'schemaVersion',
} as const

/** Bump with a step in shared/migrations.ts whenever the control doc's layout changes. */
export const CONTROL_SCHEMA_VERSION = 1

export const PhaseSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1).max(80),
  /** Planned length; the timer starts with it. */
  minutes: z.number().int().min(0).max(600),
})
export type Phase = z.infer<typeof PhaseSchema>

export const TimerSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('idle') }),
  /** endsAt is server time (ms); clients correct their clock by the Welcome's serverTime. */
  z.object({ status: z.literal('running'), endsAt: z.number(), durationMs: z.number().nonnegative() }),
  z.object({ status: z.literal('paused'), remainingMs: z.number(), durationMs: z.number().nonnegative() }),
])
export type Timer = z.infer<typeof TimerSchema>

export const ViewportSchema = z.object({ x: z.number().finite(), y: z.number().finite(), zoom: z.number().positive().max(8) })
export type Viewport = z.infer<typeof ViewportSchema>

export const FollowSchema = z.object({
  /** Projector and followers track the facilitator's viewport while on. */
  active: z.boolean(),
  viewport: ViewportSchema,
  /** Bumped when the facilitator summons everyone to this view once. */
  summon: z.number().int().nonnegative(),
})
export type Follow = z.infer<typeof FollowSchema>

export const CriterionSchema = z.object({ id: z.string().min(1).max(40), label: z.string().min(1).max(60) })
export type Criterion = z.infer<typeof CriterionSchema>

export const VoteKind = { Dots: 'dots', Scores: 'scores' } as const
export type VoteKind = (typeof VoteKind)[keyof typeof VoteKind]

export const SCORE_MIN = 1
export const SCORE_MAX = 5

export const RoundStatus = { Open: 'open', Closed: 'closed', Revealed: 'revealed' } as const
export type RoundStatus = (typeof RoundStatus)[keyof typeof RoundStatus]

export const RoundSchema = z.object({
  id: z.string().min(1),
  title: z.string().max(120),
  kind: z.enum([VoteKind.Dots, VoteKind.Scores]),
  taskIds: z.array(z.string().min(1)).min(1).max(100),
  dotsPerPerson: z.number().int().min(1).max(50),
  maxPerTask: z.number().int().min(1).max(50),
  criteria: z.array(CriterionSchema).max(5),
  status: z.enum([RoundStatus.Open, RoundStatus.Closed, RoundStatus.Revealed]),
  openedAt: z.number(),
  closedAt: z.number().nullable(),
  /** Published while open: how many people have voted, never what. */
  voterCount: z.number().int().nonnegative(),
})
export type Round = z.infer<typeof RoundSchema>

export const TaskTallySchema = z.object({
  taskId: z.string(),
  dots: z.number().int().nonnegative(),
  /** Mean score per criterion id (scores rounds), null when nobody scored the task. */
  scores: z.record(z.string(), z.number().nullable()),
  byTable: z.record(
    z.string(),
    z.object({
      dots: z.number().int().nonnegative(),
      scores: z.record(z.string(), z.number().nullable()),
      /** How many at the table scored the task, per criterion: what a pooled mean weighs by. */
      scored: z.record(z.string(), z.number().int().nonnegative()).optional(),
      voters: z.number().int(),
    }),
  ),
})
export type TaskTally = z.infer<typeof TaskTallySchema>

export const TallySchema = z.object({
  roundId: z.string(),
  voters: z.number().int().nonnegative(),
  votersByTable: z.record(z.string(), z.number().int().nonnegative()),
  /** Tables pooled into the "other tables" row (shared/tally-privacy.ts): too few voted there. */
  otherTables: z.array(z.string()).optional(),
  /** The threshold they fell under. */
  pooledBelow: z.number().int().positive().optional(),
  tasks: z.array(TaskTallySchema),
})
export type Tally = z.infer<typeof TallySchema>

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

export function controlRoots(doc: Y.Doc) {
  return {
    state: doc.getMap<unknown>(CONTROL_ROOT.state),
    phases: doc.getArray<unknown>(CONTROL_ROOT.phases),
    rounds: doc.getMap<unknown>(CONTROL_ROOT.rounds),
    tallies: doc.getMap<unknown>(CONTROL_ROOT.tallies),
    chosen: doc.getMap<unknown>(CONTROL_ROOT.chosen),
  }
}

/** A present value that does not parse is dropped and counted; an absent one is just absent. */
const parseOr = <T>(schema: z.ZodType<T>, value: unknown, fallback: T): T => {
  const r = schema.safeParse(value)
  if (!r.success && value !== undefined) reportDropped(CONTROL_ROOT.state, 1)
  return r.success ? r.data : fallback
}

/** 0 when absent: a doc from before versions. */
export const readControlSchemaVersion = (doc: Y.Doc): number =>
  parseOr(z.number().int().nonnegative(), controlRoots(doc).state.get(CONTROL_KEY.schemaVersion), 0)
export const writeControlSchemaVersion = (doc: Y.Doc, version: number) =>
  controlRoots(doc).state.set(CONTROL_KEY.schemaVersion, version)

/** Parses each value, counting the ones that do not parse under `root`. */
function parseEach<T>(root: string, schema: z.ZodType<T>, values: Iterable<unknown>): T[] {
  const out: T[] = []
  let dropped = 0
  for (const v of values) {
    const r = schema.safeParse(v)
    if (r.success) out.push(r.data)
    else dropped++
  }
  reportDropped(root, dropped)
  return out
}

export const readPhases = (doc: Y.Doc): Phase[] => parseEach(CONTROL_ROOT.phases, PhaseSchema, controlRoots(doc).phases.toArray())

export function writePhases(doc: Y.Doc, phases: Phase[]): void {
  const valid = phases.map((p) => PhaseSchema.parse(p))
  const arr = controlRoots(doc).phases
  doc.transact(() => {
    arr.delete(0, arr.length)
    arr.insert(0, valid)
  })
}

export const readPhaseId = (doc: Y.Doc): string | null =>
  parseOr(z.string().nullable(), controlRoots(doc).state.get(CONTROL_KEY.phaseId) ?? null, null)

export const setPhaseId = (doc: Y.Doc, id: string | null) => controlRoots(doc).state.set(CONTROL_KEY.phaseId, id)

export const readTimer = (doc: Y.Doc): Timer =>
  parseOr(TimerSchema, controlRoots(doc).state.get(CONTROL_KEY.timer), { status: 'idle' })

export const writeTimer = (doc: Y.Doc, t: Timer) => controlRoots(doc).state.set(CONTROL_KEY.timer, TimerSchema.parse(t))

export function timerRemainingMs(t: Timer, serverNow: number): number {
  switch (t.status) {
    case 'idle':
      return 0
    case 'paused':
      return Math.max(0, t.remainingMs)
    case 'running':
      return Math.max(0, t.endsAt - serverNow)
  }
}

export const startTimer = (ms: number, serverNow: number): Timer => ({ status: 'running', endsAt: serverNow + ms, durationMs: ms })
export function pauseTimer(t: Timer, serverNow: number): Timer {
  return t.status === 'running' ? { status: 'paused', remainingMs: timerRemainingMs(t, serverNow), durationMs: t.durationMs } : t
}
export function resumeTimer(t: Timer, serverNow: number): Timer {
  return t.status === 'paused' ? { status: 'running', endsAt: serverNow + t.remainingMs, durationMs: t.durationMs } : t
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

/** The board is locked by hand, or by a timer that ran out while lock-on-end is set. */
export function boardLocked(doc: Y.Doc, serverNow: number): boolean {
  const state = controlRoots(doc).state
  if (state.get(CONTROL_KEY.locked) === true) return true
  if (state.get(CONTROL_KEY.lockOnTimerEnd) !== true) return false
  const t = readTimer(doc)
  return t.status === 'running' && t.endsAt <= serverNow
}

/** Copies just what {@link boardLocked} reads, into a small doc of its own. */
export function copyLockSettings(from: Y.Doc, to: Y.Doc): void {
  const src = controlRoots(from).state
  const dst = controlRoots(to).state
  for (const key of [CONTROL_KEY.locked, CONTROL_KEY.lockOnTimerEnd, CONTROL_KEY.timer]) {
    if (src.has(key)) dst.set(key, src.get(key))
  }
}

export const setLocked = (doc: Y.Doc, locked: boolean) => controlRoots(doc).state.set(CONTROL_KEY.locked, locked)
export const setLockOnTimerEnd = (doc: Y.Doc, on: boolean) => controlRoots(doc).state.set(CONTROL_KEY.lockOnTimerEnd, on)
export const readLockOnTimerEnd = (doc: Y.Doc) => controlRoots(doc).state.get(CONTROL_KEY.lockOnTimerEnd) === true
export const readManualLock = (doc: Y.Doc) => controlRoots(doc).state.get(CONTROL_KEY.locked) === true

export const readFollow = (doc: Y.Doc): Follow =>
  parseOr(FollowSchema, controlRoots(doc).state.get(CONTROL_KEY.follow), {
    active: false,
    viewport: { x: 0, y: 0, zoom: 1 },
    summon: 0,
  })
export const writeFollow = (doc: Y.Doc, f: Follow) => controlRoots(doc).state.set(CONTROL_KEY.follow, FollowSchema.parse(f))

export const RestoredSchema = z.object({
  /** Bumped per restore: a screen tells a new one from the one it saw when it joined. */
  count: z.number().int().nonnegative(),
  /** Server time (ms). */
  at: z.number(),
  /** The snapshot's label (or id) the board went back to. */
  label: z.string().max(200),
})
export type Restored = z.infer<typeof RestoredSchema>

export const readRestored = (doc: Y.Doc): Restored =>
  parseOr(RestoredSchema, controlRoots(doc).state.get(CONTROL_KEY.restored), { count: 0, at: 0, label: '' })

/** Written by the server after it restored the board. */
export function markRestored(doc: Y.Doc, at: number, label: string): void {
  const next = { count: readRestored(doc).count + 1, at, label: label.slice(0, 200) }
  controlRoots(doc).state.set(CONTROL_KEY.restored, RestoredSchema.parse(next))
}

export function readRound(doc: Y.Doc, id: string): Round | null {
  const value = controlRoots(doc).rounds.get(id)
  const r = RoundSchema.safeParse(value)
  if (!r.success && value !== undefined) reportDropped(CONTROL_ROOT.rounds, 1)
  return r.success ? r.data : null
}

export function listRounds(doc: Y.Doc): Round[] {
  return parseEach(CONTROL_ROOT.rounds, RoundSchema, controlRoots(doc).rounds.values()).sort((a, b) => a.openedAt - b.openedAt)
}

export const writeRound = (doc: Y.Doc, r: Round) => controlRoots(doc).rounds.set(r.id, RoundSchema.parse(r))

export function readTally(doc: Y.Doc, roundId: string): Tally | null {
  const value = controlRoots(doc).tallies.get(roundId)
  const r = TallySchema.safeParse(value)
  if (!r.success && value !== undefined) reportDropped(CONTROL_ROOT.tallies, 1)
  return r.success ? r.data : null
}
export const writeTally = (doc: Y.Doc, t: Tally) => controlRoots(doc).tallies.set(t.roundId, TallySchema.parse(t))

export const readChosen = (doc: Y.Doc): string[] =>
  [...controlRoots(doc).chosen.entries()].filter(([, v]) => v === true).map(([k]) => k).sort()
export const setChosen = (doc: Y.Doc, taskId: string, chosen: boolean) =>
  chosen ? controlRoots(doc).chosen.set(taskId, true) : controlRoots(doc).chosen.delete(taskId)

export const DEFAULT_PHASES: Record<'nl' | 'en', Omit<Phase, 'id'>[]> = {
  nl: [
    { name: 'Welkom', minutes: 10 },
    { name: 'Tafelronde 1', minutes: 25 },
    { name: 'Tafelronde 2', minutes: 25 },
    { name: 'Plenair', minutes: 20 },
    { name: 'Stemmen', minutes: 10 },
    { name: 'Stip op de horizon', minutes: 20 },
    { name: 'Afsluiting', minutes: 5 },
  ],
  en: [
    { name: 'Welcome', minutes: 10 },
    { name: 'Table round 1', minutes: 25 },
    { name: 'Table round 2', minutes: 25 },
    { name: 'Plenary', minutes: 20 },
    { name: 'Voting', minutes: 10 },
    { name: 'Point on the horizon', minutes: 20 },
    { name: 'Closing', minutes: 5 },
  ],
}

/**
 * The revealed round the facilitator puts on the projector; null (or a round that is gone or not
 * revealed) means the newest revealed one.
 */
export const readShownRound = (doc: Y.Doc): string | null =>
  parseOr(z.string().min(1).nullable(), controlRoots(doc).state.get(CONTROL_KEY.shownRound) ?? null, null)
export const writeShownRound = (doc: Y.Doc, roundId: string | null) => controlRoots(doc).state.set(CONTROL_KEY.shownRound, roundId)
