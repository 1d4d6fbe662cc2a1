/** REST request and response schemas. Server parses every body with these; client parses replies. */
import { z } from 'zod'
import { ErrorCodeSchema, IdSchema, RoleSchema } from './protocol.ts'
import { AnonymitySchema, TableSchema } from './schema.ts'
import { MAX_NAME_CHARS, MAX_TITLE_CHARS } from './limits.ts'

const cleanText = (max: number) =>
  z
    .string()
    .transform((s) => s.replace(/[\u0000-\u001f\u007f]/g, ' ').trim())
    .pipe(z.string().min(1).max(max))

export const CreateWorkshopRequest = z.object({
  title: cleanText(MAX_TITLE_CHARS),
  question: cleanText(400).optional(),
  language: z.enum(['nl', 'en']).default('nl'),
  anonymity: AnonymitySchema.default('table'),
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

/** Join codes are short, uppercase, without look-alike characters, so they can be read aloud. */
export const JOIN_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'
export const JOIN_CODE_LENGTH = 6
export const JoinCodeSchema = z
  .string()
  .transform((s) => s.replace(/[\s-]/g, '').toUpperCase())
  .pipe(z.string().regex(new RegExp(`^[${JOIN_CODE_ALPHABET}]{${JOIN_CODE_LENGTH}}$`)))

export const JoinRequest = z.object({
  code: JoinCodeSchema,
  name: cleanText(MAX_NAME_CHARS),
  tableId: z.string().min(1).max(64),
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

export const WorkshopInfo = z.object({
  id: IdSchema,
  joinCode: z.string(),
  title: z.string(),
  question: z.string(),
  language: z.enum(['nl', 'en']),
  anonymity: AnonymitySchema,
  tables: z.array(TableSchema),
  createdAt: z.number(),
})
export type WorkshopInfo = z.infer<typeof WorkshopInfo>

/**
 * The settings a facilitator changes after creation. Title, language and anonymity are owned by
 * the workshop row (they govern privacy: presence, report, export); the board's meta only mirrors
 * them, written by the server. The question lives in meta alone, written by the same route.
 */
export const WorkshopSettingsRequest = z
  .object({
    title: cleanText(MAX_TITLE_CHARS).optional(),
    // may be emptied: a workshop without a guiding question is allowed
    question: z
      .string()
      .transform((s) => s.replace(/[\u0000-\u001f\u007f]/g, ' ').trim())
      .pipe(z.string().max(400))
      .optional(),
    language: z.enum(['nl', 'en']).optional(),
    anonymity: AnonymitySchema.optional(),
  })
  .strict()
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'no setting given' })
export type WorkshopSettingsRequest = z.input<typeof WorkshopSettingsRequest>

export const WorkshopSettings = z.object({
  title: z.string(),
  question: z.string(),
  language: z.enum(['nl', 'en']),
  anonymity: AnonymitySchema,
})
export type WorkshopSettings = z.infer<typeof WorkshopSettings>

export const WhoAmIResponse = z.object({
  workshopId: IdSchema,
  /** Join code, so a facilitator on another device can show it and the projector link. */
  joinCode: z.string(),
  role: RoleSchema,
  participantId: z.string().nullable(),
  name: z.string().nullable(),
  tableId: z.string().nullable(),
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
})
export type HealthResponse = z.infer<typeof HealthResponse>

export const ApiError = z.object({
  error: ErrorCodeSchema,
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
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
  health: '/api/health',
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

export const OpenRoundRequest = z.object({
  title: z.string().max(120).default(''),
  kind: z.enum(['dots', 'scores']),
  taskIds: z.array(z.string().min(1).max(64)).min(1).max(100),
  dotsPerPerson: z.number().int().min(1).max(50).default(3),
  maxPerTask: z.number().int().min(1).max(50).default(2),
  criteria: z
    .array(z.object({ id: z.string().min(1).max(40), label: z.string().min(1).max(60) }))
    .max(5)
    .optional(),
})
export type OpenRoundRequest = z.input<typeof OpenRoundRequest>

export const OpenRoundResponse = z.object({ roundId: z.string() })

/**
 * A ballot replaces the caller's earlier ballot in the same round. `participantId` is optional and
 * must be the caller's own: a ballot cannot be cast for somebody else.
 */
export const BallotRequest = z
  .object({
    participantId: z.string().optional(),
    dots: z.record(z.string().max(64), z.number().int().min(0).max(50)).optional(),
    scores: z.record(z.string().max(64), z.record(z.string().max(40), z.number().int())).optional(),
  })
  .strict()
export type BallotRequest = z.input<typeof BallotRequest>

export const BallotResponse = z.object({ ok: z.literal(true), voterCount: z.number().int() })
export type BallotResponse = z.infer<typeof BallotResponse>

export const ROUND_API = {
  open: (id: string) => `/api/workshops/${id}/rounds`,
  close: (id: string, roundId: string) => `/api/workshops/${id}/rounds/${roundId}/close`,
  reveal: (id: string, roundId: string) => `/api/workshops/${id}/rounds/${roundId}/reveal`,
  ballot: (id: string, roundId: string) => `/api/workshops/${id}/rounds/${roundId}/ballot`,
} as const

export const SnapshotRequest = z.object({ label: z.string().max(120).default('') })
export const FollowUpRequest = z.object({ title: z.string().trim().min(1).max(MAX_TITLE_CHARS) })
export const ReportQuery = z.object({
  format: z.enum(['md', 'html', 'json']).default('md'),
  lang: z.enum(['nl', 'en']).optional(),
  snapshot: z.string().max(64).optional(),
})

export const HISTORY_API = {
  snapshots: (id: string) => `/api/workshops/${id}/snapshots`,
  snapshot: (id: string, sid: string) => `/api/workshops/${id}/snapshots/${sid}`,
  compare: (id: string, a: string, b: string) => `/api/workshops/${id}/snapshots/${a}/compare/${b}`,
  restore: (id: string, sid: string) => `/api/workshops/${id}/snapshots/${sid}/restore`,
  followUp: (id: string, sid: string) => `/api/workshops/${id}/snapshots/${sid}/follow-up`,
  history: (id: string) => `/api/workshops/${id}/history`,
  report: (id: string) => `/api/workshops/${id}/report`,
  export: (id: string) => `/api/workshops/${id}/export`,
  workshop: (id: string) => `/api/workshops/${id}`,
} as const

/** Pseudo snapshot id meaning "the board as it is now" in compare and report. */
export const LIVE = 'live'
