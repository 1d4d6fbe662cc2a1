/**
 * One owner per workshop (issue #12). Ownership is a PostgreSQL session advisory lock, held on a
 * connection of its own so the database frees it the moment this instance's session dies, plus a
 * row whose epoch is bumped on every takeover. The store checks that epoch inside each commit
 * (postgres.ts `fence`), so an owner that lost its lock and has not noticed yet cannot write.
 */
import pg from 'pg'
import { ObservableV2 } from 'lib0/observable'

export interface Owner {
  instanceId: string
  internalUrl: string
}

export type Acquired = { held: true; epoch: number } | { held: false; owner: Owner | null }

export interface LeaseOptions {
  connectionString: string
  schema?: string
  instanceId: string
  /** Where other instances forward this workshop's sockets and requests. */
  internalUrl: string
  now?: () => number
}

const LOCK_SPACE = 0x57_1b // second key of hashtextextended: Stip's space of advisory locks
const DUTY_SPACE = 0x57_1c // cluster-wide duties, apart from the workshops' locks

interface LeaseEvents {
  /** The lock session died: every lease this instance held is gone. */
  lost: (workshopIds: string[]) => void
}

export class Leases extends ObservableV2<LeaseEvents> {
  private readonly held = new Map<string, number>()
  private dead = false

  private constructor(
    private readonly session: pg.Client,
    private readonly opts: LeaseOptions,
  ) {
    super()
    const die = () => {
      if (this.dead) return
      this.dead = true
      const lost = [...this.held.keys()]
      this.held.clear()
      this.emit('lost', [lost])
    }
    session.on('error', die)
    session.on('end', die)
  }

  static async open(opts: LeaseOptions): Promise<Leases> {
    const session = new pg.Client({
      connectionString: opts.connectionString,
      options: `-c search_path=${opts.schema ?? 'public'}`,
      // operators (and the tests) can tell an instance's lock session apart in pg_stat_activity
      application_name: `stip-lease-${opts.instanceId}`,
    })
    await session.connect()
    return new Leases(session, opts)
  }

  /** The epoch this instance holds the workshop under, or null: the store's fence. */
  epoch = (workshopId: string): number | null => this.held.get(workshopId) ?? null

  private readonly acquiring = new Map<string, Promise<Acquired>>()

  /**
   * Takes the workshop if nobody holds it; otherwise says who does (null while unknown). Calls
   * for one workshop at once share one attempt: advisory locks are re-entrant within a session,
   * so a second try would succeed too, bump the epoch again and need two unlocks.
   */
  acquire(workshopId: string): Promise<Acquired> {
    const mine = this.held.get(workshopId)
    if (mine !== undefined) return Promise.resolve({ held: true, epoch: mine })
    let attempt = this.acquiring.get(workshopId)
    if (!attempt) {
      attempt = this.tryAcquire(workshopId)
      this.acquiring.set(workshopId, attempt)
      const done = () => this.acquiring.delete(workshopId)
      attempt.then(done, done)
    }
    return attempt
  }

  private async tryAcquire(workshopId: string): Promise<Acquired> {
    if (this.dead) return { held: false, owner: null }
    const { rows } = await this.session.query<{ ok: boolean }>(
      `SELECT pg_try_advisory_lock(hashtextextended($1, ${LOCK_SPACE})) AS ok`,
      [workshopId],
    )
    if (!rows[0]?.ok) return { held: false, owner: await this.owner(workshopId) }
    const now = (this.opts.now ?? Date.now)()
    const taken = await this.session.query<{ epoch: number }>(
      `INSERT INTO workshop_owners (workshop_id, instance_id, internal_url, epoch, since)
       VALUES ($1, $2, $3, 1, $4)
       ON CONFLICT (workshop_id) DO UPDATE SET instance_id = EXCLUDED.instance_id,
         internal_url = EXCLUDED.internal_url, epoch = workshop_owners.epoch + 1, since = EXCLUDED.since
       RETURNING epoch::int AS epoch`,
      [workshopId, this.opts.instanceId, this.opts.internalUrl, now],
    )
    const epoch = taken.rows[0]!.epoch
    this.held.set(workshopId, epoch)
    return { held: true, epoch }
  }

  /** Who holds the workshop by the owner row, or null if the row names this instance or nobody. */
  async owner(workshopId: string): Promise<Owner | null> {
    const { rows } = await this.session.query<{ instance_id: string; internal_url: string }>(
      `SELECT instance_id, internal_url FROM workshop_owners WHERE workshop_id = $1`,
      [workshopId],
    )
    const r = rows[0]
    // the row may still name this instance from before a restart: the lock said someone else
    // holds it now, and that holder writes its row right after its lock
    return r && r.instance_id !== this.opts.instanceId
      ? { instanceId: r.instance_id, internalUrl: r.internal_url }
      : null
  }

  /** Gives the workshop up (unloaded, or deleted); the row stays for the next owner's epoch. */
  async release(workshopId: string): Promise<void> {
    if (!this.held.delete(workshopId) || this.dead) return
    await this.session.query(`SELECT pg_advisory_unlock(hashtextextended($1, ${LOCK_SPACE}))`, [
      workshopId,
    ])
  }

  /**
   * Takes a cluster-wide duty (the retention sweep) if no other instance is running it; the
   * database frees it with this session, so a dead instance never holds a duty.
   */
  async tryDuty(name: string): Promise<boolean> {
    if (this.dead) return false
    const { rows } = await this.session.query<{ ok: boolean }>(
      `SELECT pg_try_advisory_lock(hashtextextended($1, ${DUTY_SPACE})) AS ok`,
      [name],
    )
    return rows[0]?.ok === true
  }

  async endDuty(name: string): Promise<void> {
    if (this.dead) return
    await this.session.query(`SELECT pg_advisory_unlock(hashtextextended($1, ${DUTY_SPACE}))`, [
      name,
    ])
  }

  /** The backend pid of the lock session (tests end it to play a dead instance). */
  async sessionPid(): Promise<number> {
    const { rows } = await this.session.query<{ pid: number }>(`SELECT pg_backend_pid() AS pid`)
    return rows[0]!.pid
  }

  async close(): Promise<void> {
    this.held.clear()
    this.dead = true
    await this.session.end().catch(() => {})
  }
}
