/** What every REST route handler is given: the server's config, its live rooms and its abuse limits. */
import type { Config } from '../config.ts'
import type { RoomRegistry } from '../relay/rooms.ts'
import type { AbuseLimits } from './rate-limit.ts'
import type { LinkSockets } from '../relay/link-sockets.ts'
import type { RoundLedger } from '../voting/ledger.ts'

export interface RouteContext {
  config: Config
  rooms: RoomRegistry
  limits: AbuseLimits
  /** Sockets per co-facilitator link; revoking a link closes them. */
  linkSockets: LinkSockets
  /** Decides voting rounds (server/voting/ledger.ts); the control doc shows what it decided. */
  ledger: RoundLedger
}
