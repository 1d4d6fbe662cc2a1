/** What every REST route handler is given: the server's config, its live rooms and its abuse limits. */
import type { Config } from '../config.ts'
import type { RoomRegistry } from '../relay/rooms.ts'
import type { AbuseLimits } from './rate-limit.ts'

export interface RouteContext {
  config: Config
  rooms: RoomRegistry
  limits: AbuseLimits
}
