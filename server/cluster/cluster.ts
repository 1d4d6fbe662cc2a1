/**
 * Which instance serves a workshop (issue #12). A workshop's sockets and requests are served by
 * the instance holding its lease; any other instance forwards them there. With no holder, the
 * instance that is asked takes the lease and loads the workshop from the store. A lost lock
 * session (the database restarted, or cut this instance off) drops every workshop held: its rooms
 * are evicted so their clients reconnect and land on whoever owns the workshop next, and a new
 * session is opened for the workshops still to come.
 */
import type { After, Logger } from '../deps.ts'
import type { Acquired, Owner } from './lease.ts'

/** What the cluster needs of a lock session (server/cluster/lease.ts `Leases`). */
export interface LeaseSession {
  acquire(workshopId: string): Promise<Acquired>
  release(workshopId: string): Promise<void>
  epoch(workshopId: string): number | null
  tryDuty(name: string): Promise<boolean>
  endDuty(name: string): Promise<void>
  on(event: 'lost', fn: (workshopIds: string[]) => void): void
  close(): Promise<void>
}

export type Location =
  /** This instance holds the lease: serve it here. */
  | { here: true }
  /** Another instance holds it: forward there. */
  | { here: false; owner: Owner }
  /** Held by an instance that has not said where it is yet, or the lock session is down: retry. */
  | { here: false; owner: null }

export interface ClusterOptions {
  openSession: () => Promise<LeaseSession>
  /** Shared by the instances; forwarded sockets and requests carry it (server/cluster/forward.ts). */
  secret: string
  instanceId: string
  after: After
  log: Logger
  /** How long an idle workshop's lease is kept, so a reload does not move it between instances. */
  releaseIdleAfterMs?: number
}

const DEFAULT_RELEASE_IDLE_MS = 60_000
/** How long a lock without its owner row is waited for: 10 × 25 ms, far above one INSERT. */
const OWNER_ROW_ATTEMPTS = 10
const OWNER_ROW_WAIT_MS = 25

/** The live rooms of this instance, as the cluster sees them (createServer attaches them). */
export interface LiveRooms {
  /** Drops the live rooms of a workshop this instance no longer owns; their sockets get 1012. */
  evict(workshopId: string): void
  /** Whether the workshop still has live rooms here (an idle workshop's lease is given back). */
  isLive(workshopId: string): boolean
}

/**
 * Built before the store (whose commits check `epoch`, the fence) and the server (which attaches
 * its rooms), so each can be handed what it needs.
 */
export class Cluster {
  /** Opened on first use: an instance learns its own internal URL only once it listens. */
  private session: Promise<LeaseSession> | null = null
  private rooms: LiveRooms = { evict: () => {}, isLive: () => false }
  private readonly idleTimers = new Map<string, () => void>()
  private closed = false

  constructor(private readonly opts: ClusterOptions) {}

  private sessionNow(): Promise<LeaseSession> {
    return (this.session ??= this.open())
  }

  attach(rooms: LiveRooms): void {
    this.rooms = rooms
  }

  get secret(): string {
    return this.opts.secret
  }

  get instanceId(): string {
    return this.opts.instanceId
  }

  private open(): Promise<LeaseSession> {
    const session = this.opts.openSession()
    session.then(
      (s) =>
        s.on('lost', (ids) => {
          this.opts.log.warn('cluster.leases_lost', { workshops: ids.length })
          for (const id of ids) this.rooms.evict(id)
          // the next locate opens a new session (the evicted clients' reconnects do, at once)
          if (this.session === session) this.session = null
        }),
      (err: Error) => {
        this.opts.log.error('cluster.session_failed', { name: err.name })
        // this locate's callers are told to retry; their retry opens a new session
        if (this.session === session) this.session = null
      },
    )
    return session
  }

  /** The fence the store checks in every commit: the epoch this instance holds, or null. */
  epoch = (workshopId: string): number | null => this.current?.epoch(workshopId) ?? null

  private current: LeaseSession | null = null

  /** Where the workshop is served; takes its lease when nobody holds it. */
  async locate(workshopId: string): Promise<Location> {
    let session: LeaseSession
    try {
      session = await this.sessionNow()
    } catch {
      return { here: false, owner: null }
    }
    this.current = session
    for (let attempt = 0; ; attempt++) {
      const got = await session.acquire(workshopId).catch((err: Error) => {
        this.opts.log.warn('cluster.acquire_failed', { name: err.name })
        return null
      })
      if (got === null) return { here: false, owner: null }
      if (got.held) {
        this.keepWhileIdle(workshopId)
        return { here: true }
      }
      if (got.owner) return { here: false, owner: got.owner }
      // another instance took the lock a moment ago and writes its row right after: ask again
      // shortly rather than send the client away (two instances asked for one workshop at once)
      if (attempt >= OWNER_ROW_ATTEMPTS) return { here: false, owner: null }
      await new Promise<void>((resolve) => this.opts.after(resolve, OWNER_ROW_WAIT_MS))
    }
  }

  /**
   * Gives the lease back once the workshop has had no live room for a while. Re-armed on every
   * locate, so a workshop in use is never released under its sockets.
   */
  private keepWhileIdle(workshopId: string): void {
    this.idleTimers.get(workshopId)?.()
    const check = () => {
      this.idleTimers.delete(workshopId)
      if (this.rooms.isLive(workshopId)) {
        this.idleTimers.set(workshopId, this.opts.after(check, this.idleMs))
        return
      }
      void this.sessionNow()
        .then((s) => s.release(workshopId))
        .catch((err: Error) => this.opts.log.warn('cluster.release_failed', { name: err.name }))
    }
    this.idleTimers.set(workshopId, this.opts.after(check, this.idleMs))
  }

  private get idleMs(): number {
    return this.opts.releaseIdleAfterMs ?? DEFAULT_RELEASE_IDLE_MS
  }

  /**
   * Runs a cluster-wide duty here if no other instance is running it now; false when another
   * instance has it (or the database cannot be reached), and the duty is skipped this time.
   */
  async exclusive(name: string, duty: () => Promise<void>): Promise<boolean> {
    const session = await this.sessionNow().catch(() => null)
    if (!session || !(await session.tryDuty(name).catch(() => false))) return false
    try {
      await duty()
    } finally {
      await session.endDuty(name).catch(() => {})
    }
    return true
  }

  /** A deleted workshop: its lease goes with it (the store removes the owner row). */
  async forget(workshopId: string): Promise<void> {
    this.idleTimers.get(workshopId)?.()
    this.idleTimers.delete(workshopId)
    await this.session?.then((s) => s.release(workshopId)).catch(() => {})
  }

  async close(): Promise<void> {
    this.closed = true
    for (const cancel of this.idleTimers.values()) cancel()
    this.idleTimers.clear()
    await this.session?.then((s) => s.close()).catch(() => {})
  }
}
