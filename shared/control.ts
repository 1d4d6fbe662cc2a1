/**
 * The control doc: agenda, timer, board lock, the follow-me switch, voting rounds and their
 * published results. Only facilitators and the server write it. Values are small JSON records
 * replaced whole, and read back through schemas because a doc is untrusted input.
 */
import type * as Y from 'yjs'
import { type core, z } from 'zod/mini'
import { CONTROL_ROOT } from './schema.ts'
import { reportDropped } from './read-issues.ts'
import { VOTE_KINDS } from './vote-kinds/index.ts'
import { VoteKind } from './vote-kinds/kind.ts'
import {
  type Criterion,
  CriterionSchema,
  SCORE_MAX,
  SCORE_MIN,
  unscoredTasks,
} from './vote-kinds/scores.ts'

export const CONTROL_KEY = {
  phaseId: 'phaseId',
  timer: 'timer',
  locked: 'locked',
  lockOnTimerEnd: 'lockOnTimerEnd',
  follow: 'follow',
  shownRound: 'shownRound',
  /** The latest restore of the board to a snapshot, so every screen can say it happened. */
  restored: 'restored',
  /** Who set the lock last: 'hand' (a facilitator) or 'timer' (the server at the timer's end). */
  lockedBy: 'lockedBy',
  /** endsAt of the timer whose end the server has handled, so an unlock after it sticks. */
  timerLockFor: 'timerLockFor',
  /** Facilitator setting: a phase change keeps the running timer instead of starting the phase's. */
  keepTimerOnPhase: 'keepTimerOnPhase',
  /** Participants joined (server-written on join), in all and per table: the M of "N of M voted". */
  joined: 'joined',
  /** Layout version of the control doc; see {@link CONTROL_SCHEMA_VERSION}. */
  schemaVersion: 'schemaVersion',
} as const

/** Bump with a step in shared/migrations.ts whenever the control doc's layout changes. */
export const CONTROL_SCHEMA_VERSION = 2

export const PhaseSchema = z.object({
  id: z.string().check(z.minLength(1)),
  name: z.string().check(z.minLength(1), z.maxLength(80)),
  /** Planned length; the timer starts with it. */
  minutes: z.int().check(z.minimum(0), z.maximum(600)),
})
export type Phase = z.infer<typeof PhaseSchema>

export const TimerSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('idle') }),
  /** endsAt is server time (ms); clients correct their clock by the Welcome's serverTime. */
  z.object({
    status: z.literal('running'),
    endsAt: z.number(),
    durationMs: z.number().check(z.nonnegative()),
  }),
  z.object({
    status: z.literal('paused'),
    remainingMs: z.number(),
    durationMs: z.number().check(z.nonnegative()),
  }),
])
export type Timer = z.infer<typeof TimerSchema>

export const ViewportSchema = z.object({
  x: z.number(),
  y: z.number(),
  zoom: z.number().check(z.positive(), z.maximum(8)),
})
export type Viewport = z.infer<typeof ViewportSchema>

/**
 * Follow-me's decisions, written rarely. The view the projector tracks while follow is on is not
 * here: it changes at ~5 Hz and travels in the facilitator's awareness (shared/presence.ts), so
 * it never enters the durable log. Logs from before hold it here at 5 Hz; they still parse.
 */
export const FollowSchema = z.object({
  /** Projector and followers track the facilitator's viewport while on. */
  active: z.boolean(),
  /** Where the latest summon took everyone (and, in old logs, the followed view). */
  viewport: z.optional(ViewportSchema),
  /** Bumped when the facilitator summons everyone to `viewport` once. */
  summon: z.int().check(z.nonnegative()),
})
export type Follow = z.infer<typeof FollowSchema>

export { CriterionSchema, type Criterion, SCORE_MAX, SCORE_MIN, unscoredTasks }
export { VoteKind }

export const RoundStatus = { Open: 'open', Closed: 'closed', Revealed: 'revealed' } as const
export type RoundStatus = (typeof RoundStatus)[keyof typeof RoundStatus]

const RoundCommonSchema = z.object({
  id: z.string().check(z.minLength(1)),
  title: z.string().check(z.maxLength(120)),
  taskIds: z.array(z.string().check(z.minLength(1))).check(z.minLength(1), z.maxLength(100)),
  status: z.enum([RoundStatus.Open, RoundStatus.Closed, RoundStatus.Revealed]),
  openedAt: z.number(),
  closedAt: z.nullable(z.number()),
  /** Published while open: how many people have voted, never what. */
  voterCount: z.int().check(z.nonnegative()),
})

const roundOf = <K extends VoteKind, C extends core.$ZodShape>(
  kind: K,
  config: z.ZodMiniObject<C>,
) => z.extend(RoundCommonSchema, { kind: z.literal(kind), ...config.shape })

/**
 * A round: the common fields and its kind's settings (shared/vote-kinds/). A round stored flat by
 * an earlier build, with every kind's fields, still reads: the other kinds' fields are dropped.
 */
export const RoundSchema = z.discriminatedUnion('kind', [
  roundOf(VoteKind.Dots, VOTE_KINDS.dots.config),
  roundOf(VoteKind.Scores, VOTE_KINDS.scores.config),
])
export type Round = z.infer<typeof RoundSchema>
export type RoundOf<K extends VoteKind> = Extract<Round, { kind: K }>

/** A kind in VoteKind without its round shape above stops the build here. */
const _everyKindHasARound: [VoteKind] extends [Round['kind']] ? true : never = true

/** The criteria a round scores on; none for a kind without them. */
export const roundCriteria = (round: Round): readonly Criterion[] =>
  // each kind reads only its own fields; TypeScript cannot pair round.kind with its entry's type
  VOTE_KINDS[round.kind].criteria(round as never)

export const TaskTallySchema = z.object({
  taskId: z.string(),
  dots: z.int().check(z.nonnegative()),
  /** Mean score per criterion id (scores rounds), null when nobody scored the task. */
  scores: z.record(z.string(), z.nullable(z.number())),
  byTable: z.record(
    z.string(),
    z.object({
      dots: z.int().check(z.nonnegative()),
      scores: z.record(z.string(), z.nullable(z.number())),
      /** How many at the table scored the task, per criterion: what a pooled mean weighs by. */
      scored: z.optional(z.record(z.string(), z.int().check(z.nonnegative()))),
      voters: z.int(),
    }),
  ),
})
export type TaskTally = z.infer<typeof TaskTallySchema>

export const TallySchema = z.object({
  roundId: z.string(),
  voters: z.int().check(z.nonnegative()),
  votersByTable: z.record(z.string(), z.int().check(z.nonnegative())),
  /** Tables pooled into the "other tables" row (shared/tally-privacy.ts): too few voted there. */
  otherTables: z.optional(z.array(z.string())),
  /** The threshold they fell under. */
  pooledBelow: z.optional(z.int().check(z.positive())),
  tasks: z.array(TaskTallySchema),
})
export type Tally = z.infer<typeof TallySchema>

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
const parseOr = <T>(schema: z.ZodMiniType<T>, value: unknown, fallback: T): T => {
  const r = schema.safeParse(value)
  if (!r.success && value !== undefined) reportDropped(CONTROL_ROOT.state, 1)
  return r.success ? r.data : fallback
}

/** 0 when absent: a doc from before versions. */
export const readControlSchemaVersion = (doc: Y.Doc): number =>
  parseOr(z.int().check(z.nonnegative()), controlRoots(doc).state.get(CONTROL_KEY.schemaVersion), 0)
export const writeControlSchemaVersion = (doc: Y.Doc, version: number) =>
  controlRoots(doc).state.set(CONTROL_KEY.schemaVersion, version)

/** Parses each value, counting the ones that do not parse under `root`. */
function parseEach<T>(root: string, schema: z.ZodMiniType<T>, values: Iterable<unknown>): T[] {
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

export const readPhases = (doc: Y.Doc): Phase[] =>
  parseEach(CONTROL_ROOT.phases, PhaseSchema, controlRoots(doc).phases.toArray())

export function writePhases(doc: Y.Doc, phases: Phase[]): void {
  const valid = phases.map((p) => PhaseSchema.parse(p))
  const arr = controlRoots(doc).phases
  doc.transact(() => {
    arr.delete(0, arr.length)
    arr.insert(0, valid)
  })
}

export const readPhaseId = (doc: Y.Doc): string | null =>
  parseOr(z.nullable(z.string()), controlRoots(doc).state.get(CONTROL_KEY.phaseId) ?? null, null)

export const setPhaseId = (doc: Y.Doc, id: string | null) =>
  controlRoots(doc).state.set(CONTROL_KEY.phaseId, id)

export const readTimer = (doc: Y.Doc): Timer =>
  parseOr(TimerSchema, controlRoots(doc).state.get(CONTROL_KEY.timer), { status: 'idle' })

export const writeTimer = (doc: Y.Doc, t: Timer) =>
  controlRoots(doc).state.set(CONTROL_KEY.timer, TimerSchema.parse(t))

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

export const LockedBy = { Hand: 'hand', Timer: 'timer' } as const
export type LockedBy = (typeof LockedBy)[keyof typeof LockedBy]

export interface LockState {
  locked: boolean
  /** What set the lock that holds now; null while open. */
  by: LockedBy | null
}

/**
 * The one truth about the lock: the `locked` field. A lock by hand and a lock at the timer's end
 * both write it (the latter by the server, see {@link applyTimerLock}), and one unlock clears it
 * whatever set it. Participants' board writes are refused while it is set.
 */
export const boardLocked = (doc: Y.Doc): boolean =>
  controlRoots(doc).state.get(CONTROL_KEY.locked) === true

export function readLock(doc: Y.Doc): LockState {
  const locked = boardLocked(doc)
  const by =
    controlRoots(doc).state.get(CONTROL_KEY.lockedBy) === LockedBy.Timer
      ? LockedBy.Timer
      : LockedBy.Hand
  return { locked, by: locked ? by : null }
}

/** A facilitator locks or unlocks by hand. */
export function setLocked(doc: Y.Doc, locked: boolean): void {
  const state = controlRoots(doc).state
  doc.transact(() => {
    state.set(CONTROL_KEY.locked, locked)
    state.set(CONTROL_KEY.lockedBy, LockedBy.Hand)
  })
}

const readTimerLockFor = (doc: Y.Doc): number | null =>
  parseOr(
    z.nullable(z.number()),
    controlRoots(doc).state.get(CONTROL_KEY.timerLockFor) ?? null,
    null,
  )

/**
 * When the server must lock the board for the running timer's end: lock-on-end is set and this
 * timer's end was not handled yet. Null when there is nothing to do.
 */
export function timerLockAt(doc: Y.Doc): number | null {
  if (controlRoots(doc).state.get(CONTROL_KEY.lockOnTimerEnd) !== true) return null
  const t = readTimer(doc)
  if (t.status !== 'running' || readTimerLockFor(doc) === t.endsAt) return null
  return t.endsAt
}

/** A timer end that is due at `serverNow` and not yet handled. */
export function timerLockDue(doc: Y.Doc, serverNow: number): boolean {
  const at = timerLockAt(doc)
  return at !== null && at <= serverNow
}

/**
 * The server's duty at the timer's end: set the lock (once per timer end, so a facilitator who
 * unlocks afterwards is not overruled). Returns whether it handled an end now.
 */
export function applyTimerLock(doc: Y.Doc, serverNow: number): boolean {
  const at = timerLockAt(doc)
  if (at === null || at > serverNow) return false
  const state = controlRoots(doc).state
  doc.transact(() => {
    if (!boardLocked(doc)) {
      state.set(CONTROL_KEY.locked, true)
      state.set(CONTROL_KEY.lockedBy, LockedBy.Timer)
    }
    state.set(CONTROL_KEY.timerLockFor, at)
  })
  return true
}

/** Copies just what {@link boardLocked} and {@link timerLockAt} read, into a small doc of its own. */
export function copyLockSettings(from: Y.Doc, to: Y.Doc): void {
  const src = controlRoots(from).state
  const dst = controlRoots(to).state
  for (const key of [
    CONTROL_KEY.locked,
    CONTROL_KEY.lockedBy,
    CONTROL_KEY.lockOnTimerEnd,
    CONTROL_KEY.timer,
    CONTROL_KEY.timerLockFor,
  ]) {
    if (src.has(key)) dst.set(key, src.get(key))
  }
}

export const setLockOnTimerEnd = (doc: Y.Doc, on: boolean) =>
  controlRoots(doc).state.set(CONTROL_KEY.lockOnTimerEnd, on)
export const readLockOnTimerEnd = (doc: Y.Doc) =>
  controlRoots(doc).state.get(CONTROL_KEY.lockOnTimerEnd) === true
/** Whether the board is locked, whatever locked it (the name predates the timer's lock). */
export const readManualLock = boardLocked

export const readKeepTimerOnPhase = (doc: Y.Doc) =>
  controlRoots(doc).state.get(CONTROL_KEY.keepTimerOnPhase) === true
export const setKeepTimerOnPhase = (doc: Y.Doc, keep: boolean) =>
  controlRoots(doc).state.set(CONTROL_KEY.keepTimerOnPhase, keep)

export const JoinedSchema = z.object({
  total: z.int().check(z.nonnegative()),
  byTable: z.record(z.string(), z.int().check(z.nonnegative())),
})
export type Joined = z.infer<typeof JoinedSchema>
export const readJoined = (doc: Y.Doc): Joined =>
  parseOr(JoinedSchema, controlRoots(doc).state.get(CONTROL_KEY.joined), { total: 0, byTable: {} })
export const writeJoined = (doc: Y.Doc, j: Joined) =>
  controlRoots(doc).state.set(CONTROL_KEY.joined, JoinedSchema.parse(j))

export const readFollow = (doc: Y.Doc): Follow =>
  parseOr(FollowSchema, controlRoots(doc).state.get(CONTROL_KEY.follow), {
    active: false,
    summon: 0,
  })
export const writeFollow = (doc: Y.Doc, f: Follow) =>
  controlRoots(doc).state.set(CONTROL_KEY.follow, FollowSchema.parse(f))

export const RestoredSchema = z.object({
  /** Bumped per restore: a screen tells a new one from the one it saw when it joined. */
  count: z.int().check(z.nonnegative()),
  /** Server time (ms). */
  at: z.number(),
  /** The snapshot's label (or id) the board went back to. */
  label: z.string().check(z.maxLength(200)),
})
export type Restored = z.infer<typeof RestoredSchema>

export const readRestored = (doc: Y.Doc): Restored =>
  parseOr(RestoredSchema, controlRoots(doc).state.get(CONTROL_KEY.restored), {
    count: 0,
    at: 0,
    label: '',
  })

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
  return parseEach(CONTROL_ROOT.rounds, RoundSchema, controlRoots(doc).rounds.values()).sort(
    (a, b) => a.openedAt - b.openedAt,
  )
}

export const writeRound = (doc: Y.Doc, r: Round) =>
  controlRoots(doc).rounds.set(r.id, RoundSchema.parse(r))

export function readTally(doc: Y.Doc, roundId: string): Tally | null {
  const value = controlRoots(doc).tallies.get(roundId)
  const r = TallySchema.safeParse(value)
  if (!r.success && value !== undefined) reportDropped(CONTROL_ROOT.tallies, 1)
  return r.success ? r.data : null
}
export const writeTally = (doc: Y.Doc, t: Tally) =>
  controlRoots(doc).tallies.set(t.roundId, TallySchema.parse(t))

export const readChosen = (doc: Y.Doc): string[] =>
  [...controlRoots(doc).chosen.entries()]
    .filter(([, v]) => v === true)
    .map(([k]) => k)
    .sort()
export const setChosen = (doc: Y.Doc, taskId: string, chosen: boolean) =>
  chosen ? controlRoots(doc).chosen.set(taskId, true) : controlRoots(doc).chosen.delete(taskId)

/**
 * The revealed round the facilitator puts on the projector; null (or a round that is gone or not
 * revealed) means the newest revealed one.
 */
export const readShownRound = (doc: Y.Doc): string | null =>
  parseOr(
    z.nullable(z.string().check(z.minLength(1))),
    controlRoots(doc).state.get(CONTROL_KEY.shownRound) ?? null,
    null,
  )
export const writeShownRound = (doc: Y.Doc, roundId: string | null) =>
  controlRoots(doc).state.set(CONTROL_KEY.shownRound, roundId)

// --- Present mode (issue #11 point 1): the projector's scene, picked by the phase or the facilitator

/** The present mode's keys in the control doc's state map. */
export const PRESENT_KEY = {
  /** The facilitator's pick for the projector (see {@link PresentSchema}). */
  present: 'present',
  /** Who has voted per table in the open round (server-written with each ballot). */
  roundVoted: 'roundVoted',
} as const

export const PresentScene = {
  Join: 'join',
  Tables: 'tables',
  Voting: 'voting',
  Results: 'results',
  Outcome: 'outcome',
  Spotlight: 'spotlight',
  /** The live board itself (following the facilitator's view when follow-me is on). */
  Board: 'board',
} as const
export type PresentScene = (typeof PresentScene)[keyof typeof PresentScene]
/** The order "next scene" and "previous scene" walk. */
export const PRESENT_SCENES = [
  PresentScene.Join,
  PresentScene.Tables,
  PresentScene.Voting,
  PresentScene.Results,
  PresentScene.Outcome,
  PresentScene.Spotlight,
  PresentScene.Board,
] as const satisfies readonly PresentScene[]

export const SpotlightSchema = z.object({
  kind: z.enum(['card', 'task']),
  id: z.string().check(z.minLength(1), z.maxLength(100)),
})
export type Spotlight = z.infer<typeof SpotlightSchema>

export const PresentSchema = z.object({
  /** null: the scene follows the phase. */
  scene: z.nullable(z.enum(PRESENT_SCENES)),
  spotlight: z.nullable(SpotlightSchema),
  /** The results per table rather than in total, as the facilitator toggled them. */
  perTable: z.boolean(),
  /**
   * The phase and round the pick was made in ({@link presentContext}): once the phase changes or
   * a round opens, closes or is revealed, the scene follows the meeting again.
   */
  context: z.string().check(z.maxLength(400)),
})
export type Present = z.infer<typeof PresentSchema>

export const NO_PRESENT_PICK: Present = {
  scene: null,
  spotlight: null,
  perTable: false,
  context: '',
}

/** What a pick holds for: the current phase and the newest round's state. */
export function presentContext(doc: Y.Doc): string {
  const round = listRounds(doc).at(-1)
  return `${readPhaseId(doc) ?? ''}|${round ? `${round.id}:${round.status}` : ''}`
}

export const readPresent = (doc: Y.Doc): Present =>
  parseOr(PresentSchema, controlRoots(doc).state.get(PRESENT_KEY.present), NO_PRESENT_PICK)

/** The pick, if it still holds in the meeting's current state. */
export function activePresentPick(doc: Y.Doc): Present | null {
  const pick = readPresent(doc)
  return pick.scene !== null && pick.context === presentContext(doc) ? pick : null
}

export const RoundVotedSchema = z.object({
  roundId: z.string().check(z.minLength(1)),
  byTable: z.record(z.string(), z.int().check(z.nonnegative())),
})
export type RoundVoted = z.infer<typeof RoundVotedSchema>

/** How many voted at each table in `roundId`; empty when nothing was published for it. */
export function readRoundVoted(doc: Y.Doc, roundId: string): Record<string, number> {
  const v = parseOr(
    z.nullable(RoundVotedSchema),
    controlRoots(doc).state.get(PRESENT_KEY.roundVoted) ?? null,
    null,
  )
  return v?.roundId === roundId ? v.byTable : {}
}
export const writeRoundVoted = (doc: Y.Doc, v: RoundVoted) =>
  controlRoots(doc).state.set(PRESENT_KEY.roundVoted, RoundVotedSchema.parse(v))
