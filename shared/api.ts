/** REST request and response schemas. Server parses every body with these; client parses replies. */
import { type core, z } from 'zod/mini'
import { ErrorCodeSchema, IdSchema, RoleSchema } from './protocol.ts'
import { AnonymitySchema, CardEditScopeSchema, TableSchema } from './schema.ts'
import { MAX_NAME_CHARS, MAX_TITLE_CHARS } from './limits.ts'
import { MIN_TABLE_VOTERS_RANGE } from './tally-privacy.ts'
import { cleanText } from './clean-text.ts'
import { VOTE_KINDS } from './vote-kinds/index.ts'
import { VoteKind } from './vote-kinds/kind.ts'

export { cleanText }

export const CreateWorkshopRequest = z.object({
  title: cleanText(MAX_TITLE_CHARS),
  question: z.optional(cleanText(400)),
  language: z._default(z.enum(['nl', 'en']), 'nl'),
  anonymity: z._default(AnonymitySchema, 'table'),
})
export type CreateWorkshopRequest = z.input<typeof CreateWorkshopRequest>

export const WorkshopLinks = z.object({
  participant: z.string(),
  facilitator: z.string(),
  projector: z.string(),
})

export const CreateWorkshopResponse = z.object({
  id: IdSchema,
  joinCode: z.string(),
  facilitatorKey: z.string(),
  links: WorkshopLinks,
})
export type CreateWorkshopResponse = z.infer<typeof CreateWorkshopResponse>

/** Join codes are uppercase, without look-alike characters, so they can be read aloud. */
export const JOIN_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'
/**
 * Long enough that guessing is hopeless at the join limit (shared/limits.ts): 32^10 = 1.13e15
 * codes; with 1,000 live workshops and the overall limit of 4 wrong codes per second, the expected
 * time to hit any one of them is 1.13e15 / (1,000 × 4) s = 2.8e11 s, about 8,900 years (README,
 * "Security limits"). Shown in groups of five (formatJoinCode); spaces and dashes are ignored.
 */
export const JOIN_CODE_LENGTH = 10
export const JOIN_CODE_GROUP = 5
/** What a person types or a link holds, with spaces and dashes in any place, in any case. */
export const normalizeJoinCode = (s: string) => s.replace(/[\s-]/g, '').toUpperCase()
export const JoinCodeSchema = z.pipe(
  z.pipe(z.string().check(z.maxLength(4 * JOIN_CODE_LENGTH)), z.transform(normalizeJoinCode)),
  z.string().check(z.regex(new RegExp(`^[${JOIN_CODE_ALPHABET}]{${JOIN_CODE_LENGTH}}$`))),
)
/** `ABCDE-FGHJK`: easier to read aloud and to copy from a projector. */
export const formatJoinCode = (code: string) =>
  normalizeJoinCode(code).replace(new RegExp(`(.{${JOIN_CODE_GROUP}})(?=.)`, 'g'), '$1-')

export const JoinRequest = z.object({
  code: JoinCodeSchema,
  name: cleanText(MAX_NAME_CHARS),
  tableId: z.string().check(z.minLength(1), z.maxLength(64)),
})
export type JoinRequest = z.input<typeof JoinRequest>

export const JoinResponse = z.object({
  workshopId: IdSchema,
  participantId: z.string(),
  token: z.string(),
  tableId: z.string(),
  name: z.string(),
})
export type JoinResponse = z.infer<typeof JoinResponse>

/** In the anonymous modes, how many must vote at a table before its own tally is shown. */
export const MinTableVotersSchema = z
  .int()
  .check(z.minimum(MIN_TABLE_VOTERS_RANGE.min), z.maximum(MIN_TABLE_VOTERS_RANGE.max))

export const WorkshopInfo = z.object({
  id: IdSchema,
  joinCode: z.string(),
  title: z.string(),
  question: z.string(),
  language: z.enum(['nl', 'en']),
  anonymity: AnonymitySchema,
  cardScope: CardEditScopeSchema,
  sharedTextOpen: z.boolean(),
  minTableVoters: MinTableVotersSchema,
  tables: z.array(TableSchema),
  createdAt: z.number(),
})
export type WorkshopInfo = z.infer<typeof WorkshopInfo>

/**
 * The settings a facilitator changes after creation. Title, language, anonymity and the board
 * policy are owned by the workshop row (they govern privacy and who may change what: presence,
 * report, export, the write guard); the board's meta only mirrors them, written by the server. The question lives in meta alone, written by the same route.
 */
export const WorkshopSettingsRequest = z
  .strictObject({
    title: z.optional(cleanText(MAX_TITLE_CHARS)),
    // may be emptied: a workshop without a guiding question is allowed
    question: z.optional(
      z.pipe(
        z.pipe(
          z.string(),
          z.transform((s) => s.replace(/[\u0000-\u001f\u007f]/g, ' ').trim()),
        ),
        z.string().check(z.maxLength(400)),
      ),
    ),
    language: z.optional(z.enum(['nl', 'en'])),
    anonymity: z.optional(AnonymitySchema),
    cardScope: z.optional(CardEditScopeSchema),
    sharedTextOpen: z.optional(z.boolean()),
    minTableVoters: z.optional(MinTableVotersSchema),
  })
  .check(
    z.refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'no setting given' }),
  )
export type WorkshopSettingsRequest = z.input<typeof WorkshopSettingsRequest>

export const WorkshopSettings = z.object({
  title: z.string(),
  question: z.string(),
  language: z.enum(['nl', 'en']),
  anonymity: AnonymitySchema,
  /** Who may change cards, and whether statement and principles are open (shared/permissions.ts). */
  cardScope: CardEditScopeSchema,
  sharedTextOpen: z.boolean(),
  minTableVoters: MinTableVotersSchema,
})
export type WorkshopSettings = z.infer<typeof WorkshopSettings>

export const WhoAmIResponse = z.object({
  workshopId: IdSchema,
  /** Join code, so a facilitator on another device can show it and the projector link. */
  joinCode: z.string(),
  role: RoleSchema,
  participantId: z.nullable(z.string()),
  name: z.nullable(z.string()),
  tableId: z.nullable(z.string()),
  /** A facilitator who came in with a co-facilitator link (no links to make, no deletion). */
  coFacilitator: z._default(z.boolean(), false),
})
export type WhoAmIResponse = z.infer<typeof WhoAmIResponse>

/** The link the QR code encodes; `loopback` when only this computer can open it. */
export const JoinLinkResponse = z.object({ url: z.string(), loopback: z.boolean() })
export type JoinLinkResponse = z.infer<typeof JoinLinkResponse>

export const HealthResponse = z.object({
  ok: z.boolean(),
  rooms: z.number(),
  connections: z.number(),
  storage: z.enum(['ok', 'failing']),
  uptimeMs: z.number(),
  /** Client sockets this instance pipes to the workshop's owner (several instances only). */
  forwarded: z.int().check(z.nonnegative()),
})
export type HealthResponse = z.infer<typeof HealthResponse>

export const ApiError = z.object({
  error: ErrorCodeSchema,
  message: z.string(),
  issues: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
})
export type ApiError = z.infer<typeof ApiError>

/** Route paths, shared so client and server cannot drift. */
export const API = {
  workshops: '/api/workshops',
  workshop: (id: string) => `/api/workshops/${id}`,
  join: '/api/join',
  lookup: (code: string) => `/api/join/${encodeURIComponent(code)}`,
  qr: (code: string) => `/api/join/${encodeURIComponent(code)}/qr.svg`,
  joinLink: (code: string) => `/api/join/${encodeURIComponent(code)}/link`,
  whoami: (id: string) => `/api/workshops/${id}/me`,
  settings: (id: string) => `/api/workshops/${id}/settings`,
  /** A facilitator puts a recently deleted card back (POST). */
  restoreCard: (id: string, cardId: string) =>
    `/api/workshops/${id}/trash/${encodeURIComponent(cardId)}/restore`,
  health: '/api/health',
  config: '/api/config',
} as const

export const RestoreCardResponse = z.object({ restored: z.string() })
export type RestoreCardResponse = z.infer<typeof RestoreCardResponse>

/** What a client needs to know about this server before it creates a workshop. */
export const ServerConfigResponse = z.object({
  /** Creating a workshop needs the organiser key: `Authorization: Bearer <CREATE_KEY>`. */
  createKeyRequired: z.boolean(),
})
export type ServerConfigResponse = z.infer<typeof ServerConfigResponse>

// --- Co-facilitator links (issue #11 point 2) ---
/** Live co-facilitator links per workshop; each is a second secret the facilitator can revoke. */
export const MAX_CO_FACILITATOR_LINKS = 10
export const CoFacilitatorRequest = z.object({
  label: z._default(cleanText(MAX_NAME_CHARS, 0), ''),
})
export const CoFacilitatorInfo = z.object({
  id: IdSchema,
  label: z.string(),
  createdAt: z.number(),
  revokedAt: z.nullable(z.number()),
})
export type CoFacilitatorInfo = z.infer<typeof CoFacilitatorInfo>
/** The secret is in the reply once; the server keeps only its hash. */
export const CreateCoFacilitatorResponse = z.extend(CoFacilitatorInfo, {
  key: z.string(),
  link: z.string(),
})
export type CreateCoFacilitatorResponse = z.infer<typeof CreateCoFacilitatorResponse>
export const CoFacilitatorList = z.object({ links: z.array(CoFacilitatorInfo) })
export type CoFacilitatorList = z.infer<typeof CoFacilitatorList>
export const RevokeCoFacilitatorResponse = z.object({ revoked: IdSchema })
export const CO_FACILITATOR_API = {
  /** GET lists, POST makes one. */
  links: (id: string) => `/api/workshops/${id}/co-facilitators`,
  /** DELETE revokes: its sockets close at once and its key is refused (403) from then on. */
  link: (id: string, linkId: string) => `/api/workshops/${id}/co-facilitators/${linkId}`,
} as const

/** Browser routes, shared so the server can build links. */
export const ROUTES = {
  home: '/',
  join: (code: string) => `/j/${code}`,
  board: (id: string) => `/w/${id}`,
  facilitate: (id: string, key: string) => `/w/${id}/facilitate#key=${key}`,
  present: (id: string, code: string) => `/w/${id}/present#code=${code}`,
  replay: (id: string, key: string) => `/w/${id}/replay#key=${key}`,
  list: (id: string) => `/w/${id}/list`,
} as const

const OpenRoundCommon = z.object({
  title: z._default(cleanText(MAX_TITLE_CHARS, 0), ''),
  /** The tasks to vote on; with `fromRound` the server picks them instead. */
  taskIds: z.optional(
    z
      .array(z.string().check(z.minLength(1), z.maxLength(64)))
      .check(z.minLength(1), z.maxLength(100)),
  ),
  /** Take the `top` highest-ranked tasks of an earlier, revealed round (ties at the cut come too). */
  fromRound: z.optional(
    z.object({
      roundId: z.string().check(z.minLength(1), z.maxLength(64)),
      top: z.int().check(z.minimum(1), z.maximum(100)),
    }),
  ),
})

const requestOf = <K extends VoteKind, S extends core.$ZodShape>(
  kind: K,
  own: z.ZodMiniObject<S>,
) => z.extend(OpenRoundCommon, { kind: z.literal(kind), ...own.shape })

/** The common fields and the kind's own (shared/vote-kinds/); another kind's field is a 400. */
export const OpenRoundRequest = z
  .discriminatedUnion('kind', [
    requestOf(VoteKind.Dots, VOTE_KINDS.dots.request),
    requestOf(VoteKind.Scores, VOTE_KINDS.scores.request),
  ])
  .check(
    z.refine(
      (r) => (r.taskIds === undefined) !== (r.fromRound === undefined),
      'give either taskIds or fromRound',
    ),
  )
export type OpenRoundRequest = z.input<typeof OpenRoundRequest>

export const OpenRoundResponse = z.object({ roundId: z.string() })

/**
 * A JSON object read as a Map of its own keys, never rebuilt as an object: a key like
 * `__proto__` would otherwise set the prototype of the copy and vanish (and an empty ballot would
 * pass). Keys are checked by the caller against what they may name (a round's tasks).
 */
function entriesOf<V extends z.ZodMiniType>(maxKey: number, value: V) {
  return z.pipe(
    z.custom<Record<string, unknown>>(
      (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
      'expected an object',
    ),
    z.transform((obj, ctx) => {
      const out = new Map<string, z.output<V>>()
      for (const [key, raw] of Object.entries(obj)) {
        if (key.length < 1 || key.length > maxKey) {
          ctx.issues.push({
            code: 'custom',
            message: `key over ${maxKey} characters`,
            path: [key.slice(0, maxKey)],
            input: obj,
          })
          return z.NEVER
        }
        const parsed = value.safeParse(raw)
        if (!parsed.success) {
          ctx.issues.push({
            code: 'custom',
            message: parsed.error.issues[0]?.message ?? 'bad value',
            path: [key],
            input: obj,
          })
          return z.NEVER
        }
        out.set(key, parsed.data)
      }
      return out
    }),
  )
}

/**
 * A ballot replaces the caller's earlier ballot in the same round. `participantId` is optional and
 * must be the caller's own: a ballot cannot be cast for somebody else.
 */
export const BallotRequest = z.strictObject({
  participantId: z.optional(z.string()),
  dots: z.optional(entriesOf(64, z.int().check(z.minimum(0), z.maximum(50)))),
  scores: z.optional(entriesOf(64, entriesOf(40, z.int()))),
  /** Score rounds: tasks the voter leaves out on purpose; every other task needs every score. */
  skip: z.optional(
    z.array(z.string().check(z.minLength(1), z.maxLength(64))).check(z.maxLength(100)),
  ),
})
/** The wire shape: plain objects keyed by task id (and criterion id). */
export interface BallotRequest {
  participantId?: string
  dots?: Record<string, number>
  scores?: Record<string, Record<string, number>>
  skip?: string[]
}

export const BallotResponse = z.object({ ok: z.literal(true), voterCount: z.int() })
export type BallotResponse = z.infer<typeof BallotResponse>

export const ROUND_API = {
  open: (id: string) => `/api/workshops/${id}/rounds`,
  close: (id: string, roundId: string) => `/api/workshops/${id}/rounds/${roundId}/close`,
  reveal: (id: string, roundId: string) => `/api/workshops/${id}/rounds/${roundId}/reveal`,
  ballot: (id: string, roundId: string) => `/api/workshops/${id}/rounds/${roundId}/ballot`,
  /** DELETE: a round not revealed yet, with its ballots. */
  round: (id: string, roundId: string) => `/api/workshops/${id}/rounds/${roundId}`,
} as const

export const SnapshotRequest = z.object({ label: z._default(cleanText(MAX_TITLE_CHARS, 0), '') })
export const FollowUpRequest = z.object({ title: cleanText(MAX_TITLE_CHARS) })
export const ReportQuery = z.object({
  format: z._default(z.enum(['md', 'html', 'json']), 'md'),
  lang: z.optional(z.enum(['nl', 'en'])),
  snapshot: z.optional(z.string().check(z.maxLength(64))),
})

export const HISTORY_API = {
  snapshots: (id: string) => `/api/workshops/${id}/snapshots`,
  snapshot: (id: string, sid: string) => `/api/workshops/${id}/snapshots/${sid}`,
  compare: (id: string, a: string, b: string) => `/api/workshops/${id}/snapshots/${a}/compare/${b}`,
  restore: (id: string, sid: string) => `/api/workshops/${id}/snapshots/${sid}/restore`,
  followUp: (id: string, sid: string) => `/api/workshops/${id}/snapshots/${sid}/follow-up`,
  history: (id: string) => `/api/workshops/${id}/history`,
  /** The replay's outline; `segment`: entries per segment (shared/replay-segments.ts). */
  replayOutline: (id: string, segment?: number) =>
    `/api/workshops/${id}/replay${segment === undefined ? '' : `?segment=${segment}`}`,
  replaySegment: (id: string, doc: string, base: number, last: number) =>
    `/api/workshops/${id}/replay/segment?doc=${doc}&base=${base}&last=${last}`,
  report: (id: string) => `/api/workshops/${id}/report`,
  export: (id: string) => `/api/workshops/${id}/export`,
  workshop: (id: string) => `/api/workshops/${id}`,
} as const

/** Pseudo snapshot id meaning "the board as it is now" in compare and report. */
export const LIVE = 'live'
