/** Who is looking at a board, and in which role. */
import type { PresenceUser } from '../sync/presence.ts'

export type BoardMode = 'participant' | 'facilitator' | 'viewer'

export interface BoardIdentity {
  mode: BoardMode
  /** Shown to others; null for the projector (which has no presence). */
  user: PresenceUser | null
  author: string
  workshopId: string
  joinCode: string | null
}
