/** Everything the server can be told. Only server/main.ts reads the environment to build one. */
import type { Cluster } from './cluster/cluster.ts'
import type { AsyncStore } from './store/async-store.ts'
import type { After, Clock, Logger, Repeat } from './deps.ts'
import type { Random } from './identity.ts'
import type { NetworkInterfaceInfo } from 'node:os'
import type { HeavyHold } from './heavy/pool.ts'
import type { HeartbeatOptions } from './relay/heartbeat.ts'
import type { RoundLedger } from './voting/ledger.ts'

/** What os.networkInterfaces() returns: addresses by interface name. */
export type NetworkInterfaces = NodeJS.Dict<NetworkInterfaceInfo[]>

export interface Config {
  host: string
  /** 0 picks a free port (tests). */
  port: number
  /** SQLite on its own thread (npm start), PostgreSQL, or a store wrapped by asAsyncStore (tests). */
  store: AsyncStore
  /** Directory with the built client (index.html); absent: API and relay only. */
  staticDir: string | null
  /**
   * Origins allowed to open WebSockets and call state-changing routes, besides the server's own
   * host. Browsers always send Origin; tools without one (Node clients) are let through.
   */
  allowedOrigins: string[]
  /**
   * Public base URL used in links; defaults to the request's Host, or, for a loopback Host, to
   * this machine's first network address (phones cannot open localhost).
   */
  publicUrl: string | null
  /** The machine's network interfaces (os.networkInterfaces); injected by tests. */
  networkInterfaces?: () => NetworkInterfaces
  clock: Clock
  random: Random
  log: Logger
  authDeadlineMs?: number
  maxBufferedBytes?: number
  storageRetryMs?: number
  /** Update-log bytes per workshop; past it edits are refused with QUOTA_EXCEEDED. */
  workshopQuotaBytes?: number
  /** How long an update may wait for content it builds on before it is refused. */
  heldDeadlineMs?: number
  checkpointEveryUpdates?: number
  checkpointEveryMs?: number
  autoSnapshotEveryMs?: number
  /** Workshops older than this are deleted by the retention sweep; null keeps them. */
  retentionDays?: number | null
  /** WebSocket ping interval and silence limit (tests shorten them); see shared/limits.ts. */
  heartbeat?: HeartbeatOptions
  /** Runs one-off duties (the lock at a timer's end); defaults to a real timeout. */
  after?: After
  /** Runs the periodic retention sweep; defaults to a real interval timer. */
  repeat?: Repeat
  /**
   * Organiser key (CREATE_KEY): when set, creating a workshop needs
   * `Authorization: Bearer <key>`. For servers anyone on the internet can reach.
   */
  createKey?: string | null
  /**
   * Behind a reverse proxy (TRUST_PROXY): take the client address from X-Forwarded-For for rate
   * limits. Off by default, since anyone can send that header.
   */
  trustProxy?: boolean
  /** Abuse limits; defaults in shared/limits.ts. Tests shrink them. */
  rateLimits?: Partial<RateLimits>
  /**
   * Worker threads for the heavy routes (report, compare, export, history), so they never block
   * the relay; default 1, at most cores − 1. 0 runs them on the main thread (the bench's "before").
   */
  heavyWorkers?: number
  /** Tests only: holds each heavy job before it reaches its worker (see server/heavy/pool.ts). */
  heavyHold?: HeavyHold
  /**
   * One of several instances on one PostgreSQL (STORE=postgres with CLUSTER_SECRET): each
   * workshop is served by the instance holding its lease, the others forward to it.
   */
  cluster?: Cluster
  /**
   * What decides voting rounds when the store is a server database (postgresLedger on
   * PostgreSQL's pool). Absent: the control doc keeps them, as the embedded SQLite store's one
   * writer allows (server/voting/ledger-doc.ts).
   */
  ledger?: RoundLedger
}

export interface BucketRule {
  /** Tokens a fresh bucket holds: how many requests may come at once. */
  burst: number
  /** Tokens added per second, up to `burst`: the sustained rate. */
  perSecond: number
}

export interface RateLimits {
  /** Join-code lookups, links, QR codes, joins and viewer hellos. */
  join: { perAddress: BucketRule; overall: BucketRule; failureCost: number }
  /** Workshop creation, follow-ups included. */
  create: { perAddress: BucketRule; overall: BucketRule }
}
