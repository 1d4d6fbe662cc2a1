/**
 * Wire codes shared by server and client. The WebSocket stays a y-websocket relay (sync = 0,
 * awareness = 1, auth = 2, query-awareness = 3); Stip adds a few message types above 20 so a stock
 * provider ignores nothing it needs. Defined once here; never repeated as literals elsewhere.
 */
import { z } from 'zod/mini'

export const MessageType = {
  Sync: 0,
  Awareness: 1,
  /** y-websocket's permission-denied message; a stock provider logs the reason. */
  YAuth: 2,
  QueryAwareness: 3,
  /** client -> server, first message: JSON {@link Credential}. */
  Hello: 20,
  /** server -> client: JSON {@link Welcome} once the credential is accepted. */
  Welcome: 21,
  /**
   * server -> writer: durable ack. Carries the highest {@link MessageType.SaveBarrier} number whose
   * preceding writes are committed to disk, and the committed state vector.
   */
  DurableAck: 22,
  /** server -> client: JSON {@link Notice}, a refused write or a storage problem. */
  Notice: 23,
  /**
   * client -> server: "tell me when everything I sent before this is on disk", with a counter.
   * A counter, not a state vector, so deletions (which add no clock) are covered too.
   */
  SaveBarrier: 24,
  /**
   * client -> server, no payload: "are you there?". A browser cannot send WebSocket ping frames,
   * so the client's liveness check is a message of its own; the server answers each with Pong.
   */
  Ping: 25,
  /** server -> client, no payload: the answer to {@link MessageType.Ping}. */
  Pong: 26,
} as const
export type MessageType = (typeof MessageType)[keyof typeof MessageType]

/**
 * Bumped when the messages on the socket change incompatibly; Hello carries it and the server
 * closes a socket of another version with {@link CloseCode.VersionMismatch}.
 */
export const PROTOCOL_VERSION = 1

/**
 * Close codes. 44xx tell the stock provider not to reconnect (the request cannot succeed as is);
 * 45xx, 1011 and 1012 mean "try again later". 1009 is sent by `ws` itself for a message over
 * MAX_MESSAGE_BYTES (checked before the message is buffered); it is final too, since the client
 * would send the same update again. There is no "forbidden room" or Stip "too large" close: every
 * role may open both docs (read-only where it may not write), and the only whole-message limit is
 * the one `ws` enforces with 1009.
 */
export const CloseCode = {
  BadMessage: 4400,
  Unauthorized: 4401,
  RoomNotFound: 4404,
  AuthTimeout: 4408,
  WorkshopDeleted: 4410,
  /**
   * Too many requests: join-code attempts from this address or the whole server (viewer hello),
   * or full-state sync requests on this socket.
   */
  RateLimited: 4429,
  /** The tab runs another protocol version than the server: reload. */
  VersionMismatch: 4426,
  SlowConsumer: 4508,
  /** RFC 6455 "message too big", sent by `ws`. */
  MessageTooBig: 1009,
  /** RFC 6455 "internal error": a server fault while handling a message; the client retries. */
  InternalError: 1011,
  ServerRestart: 1012,
} as const
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode]

/** Closed set of reasons a client may see; each maps to a translated message in the client. */
export const ErrorCode = {
  BadRequest: 'BAD_REQUEST',
  BadJson: 'BAD_JSON',
  NotFound: 'NOT_FOUND',
  WorkshopNotFound: 'WORKSHOP_NOT_FOUND',
  TableNotFound: 'TABLE_NOT_FOUND',
  Unauthorized: 'UNAUTHORIZED',
  Forbidden: 'FORBIDDEN',
  ReadOnly: 'READ_ONLY',
  TooLarge: 'TOO_LARGE',
  BadMessage: 'BAD_MESSAGE',
  AuthTimeout: 'AUTH_TIMEOUT',
  StorageFailed: 'STORAGE_FAILED',
  StorageRecovered: 'STORAGE_RECOVERED',
  SlowConsumer: 'SLOW_CONSUMER',
  BoardLocked: 'BOARD_LOCKED',
  RoundNotFound: 'ROUND_NOT_FOUND',
  RoundNotOpen: 'ROUND_NOT_OPEN',
  RoundAlreadyOpen: 'ROUND_ALREADY_OPEN',
  NoCriteria: 'NO_CRITERIA',
  VoteLimit: 'VOTE_LIMIT',
  NotYourBallot: 'NOT_YOUR_BALLOT',
  EmptyBallot: 'EMPTY_BALLOT',
  /** Rounds (#11): a score ballot leaves tasks neither scored nor skipped. */
  IncompleteBallot: 'INCOMPLETE_BALLOT',
  /** Rounds (#11): a revealed round stays (its results were shown); only earlier ones can go. */
  RoundRevealed: 'ROUND_REVEALED',
  /** Rounds (#11): the top tasks of a round are known only once it is revealed. */
  RoundNotRevealed: 'ROUND_NOT_REVEALED',
  RateLimited: 'RATE_LIMITED',
  /** The workshop's update log reached its storage quota: further edits are not saved. */
  QuotaExceeded: 'QUOTA_EXCEEDED',
  /** This server creates workshops only with its organiser key (CREATE_KEY); missing or wrong. */
  CreateKeyRequired: 'CREATE_KEY_REQUIRED',
  /** The request named a host this server does not answer to (DNS rebinding, a wrong proxy). */
  UnknownHost: 'UNKNOWN_HOST',
  Internal: 'INTERNAL',
  /** The tab is older than the server or a doc it received: reload the page. */
  VersionMismatch: 'VERSION_MISMATCH',
  ServerRestart: 'SERVER_RESTART',
  /**
   * This copy holds others' edits the server does not have (it relayed them, then lost them in a
   * crash): only their writers can send them again. Reload the doc from the server.
   */
  Diverged: 'DIVERGED',
} as const
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode]
export const ErrorCodeSchema = z.enum(Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]])

export const DocName = { Board: 'board', Control: 'control' } as const
export type DocName = (typeof DocName)[keyof typeof DocName]
export const DocNameSchema = z.enum([DocName.Board, DocName.Control])

export const Role = {
  Facilitator: 'facilitator',
  Participant: 'participant',
  Viewer: 'viewer',
} as const
export type Role = (typeof Role)[keyof typeof Role]
export const RoleSchema = z.enum([Role.Facilitator, Role.Participant, Role.Viewer])

/** Ids are url-safe random strings; room names are built from them, never from paths. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{8,32}$/
export const IdSchema = z.string().check(z.regex(ID_PATTERN))

export const CredentialSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('participant'),
    token: z.string().check(z.minLength(16), z.maxLength(128)),
  }),
  z.object({
    kind: z.literal('facilitator'),
    key: z.string().check(z.minLength(16), z.maxLength(128)),
  }),
  z.object({ kind: z.literal('viewer'), code: z.string().check(z.minLength(4), z.maxLength(16)) }),
])
export type Credential = z.infer<typeof CredentialSchema>

/**
 * Hello is a credential plus the protocol version `v`. Today's clients always send `v`; a Hello
 * without it (a tab from before versions) parses as version 0 so it gets the reload close, never a
 * session that might lose its edits.
 */
export const HelloVersionSchema = z.object({ v: z._default(z.int().check(z.nonnegative()), 0) })
export interface Hello {
  credential: Credential
  v: number
}

export const WelcomeSchema = z.object({
  role: RoleSchema,
  readOnly: z.boolean(),
  participantId: z.nullable(z.string()),
  /** Server clock at send time, so timers can show server time. */
  serverTime: z.number(),
  /**
   * The person key the server stamps into this socket's presence (shared/presence.ts), so a tab
   * can tell its own other tabs among the people present. Absent for viewers and older servers.
   */
  person: z.optional(z.nullable(z.string().check(z.minLength(1), z.maxLength(64)))),
})
export type Welcome = z.infer<typeof WelcomeSchema>

export const NoticeSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  /**
   * A refused write: the writer's last barrier the server had on this socket when the write came
   * (0: none yet). The refused update is the one the writer sent after that barrier, so a tab can
   * tell which of its edits it was (client/model/undoRefusal.ts). Absent from older servers.
   */
  after: z.optional(z.number().check(z.int(), z.nonnegative())),
})
export type Notice = z.infer<typeof NoticeSchema>

/** URL path of a room: `/ws/<workshopId>/<doc>`. */
export const WS_PATH_PREFIX = '/ws'
export function roomName(workshopId: string, doc: DocName): string {
  return `${workshopId}/${doc}`
}
export function parseRoomPath(pathname: string): { workshopId: string; doc: DocName } | null {
  const parts = pathname.split('/')
  if (parts.length !== 4 || parts[0] !== '' || `/${parts[1]}` !== WS_PATH_PREFIX) return null
  const workshopId = parts[2] ?? ''
  const doc = DocNameSchema.safeParse(parts[3])
  if (!ID_PATTERN.test(workshopId) || !doc.success) return null
  return { workshopId, doc: doc.data }
}
