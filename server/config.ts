/** Everything the server can be told. Only server/main.ts reads the environment to build one. */
import type { Store } from './store/store.ts'
import type { Clock, Logger, Repeat } from './deps.ts'
import type { Random } from './identity.ts'
import type { NetworkInterfaceInfo } from 'node:os'
import type { HeartbeatOptions } from './relay/heartbeat.ts'

/** What os.networkInterfaces() returns: addresses by interface name. */
export type NetworkInterfaces = NodeJS.Dict<NetworkInterfaceInfo[]>

export interface Config {
  host: string
  /** 0 picks a free port (tests). */
  port: number
  store: Store
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
  checkpointEveryUpdates?: number
  checkpointEveryMs?: number
  autoSnapshotEveryMs?: number
  /** Workshops older than this are deleted by the retention sweep; null keeps them. */
  retentionDays?: number | null
  /** WebSocket ping interval and silence limit (tests shorten them); see shared/limits.ts. */
  heartbeat?: HeartbeatOptions
  /** Runs the periodic retention sweep; defaults to a real interval timer. */
  repeat?: Repeat
}
