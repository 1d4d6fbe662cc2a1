/**
 * Live rooms by (workshop, doc). A room exists while it has peers or unsaved writes. Loading one
 * reads the store, which answers later: everyone who wants the room meanwhile shares that one load.
 */
import * as Y from 'yjs'
import { ObservableV2 } from 'lib0/observable'
import { CloseCode, DocName, ErrorCode } from '../../shared/protocol.ts'
import {
  applyTimerLock,
  boardLocked,
  copyLockSettings,
  timerLockAt,
  timerLockDue,
} from '../../shared/control.ts'
import { type BoardPolicy, DEFAULT_BOARD_POLICY } from '../../shared/permissions.ts'
import { type After, systemAfter } from '../deps.ts'
import { applyStored, logKey, type WorkshopRow } from '../store/store.ts'
import { ServerStoppingError, WorkshopGoneError } from '../store/errors.ts'
import { migrateDoc, needsMigration } from '../../shared/migrations.ts'
import { LOAD_ORIGIN, Room, type RoomDeps, type WorkshopUsage } from './room.ts'
import { KeyedQueue } from './keyed-queue.ts'

export interface RegistryEvents {
  /** A room was loaded or unloaded (tests wait on it). */
  change: () => void
  /** A room was loaded; its doc is what the log holds, before anything else is applied. */
  loaded: (room: Room) => void
  /** Updates of a room were committed to the log. */
  commit: (room: Room) => void
  /** The control doc of a workshop changed (phase, lock, rounds...). */
  control: (workshopId: string, doc: Y.Doc) => void
}

export class RoomRegistry extends ObservableV2<RegistryEvents> {
  private readonly rooms = new Map<string, Room>()
  private readonly loading = new Map<string, Promise<Room>>()
  private readonly lockCache = new Map<string, Y.Doc>()
  /** Log bytes per workshop with a live room, shared by its two rooms. */
  private readonly usage = new Map<string, WorkshopUsage>()
  /** The workshop row as last read or written here, for checks made on every update. */
  private readonly rows = new Map<string, WorkshopRow>()
  /** The pending lock at a timer's end, per workshop whose control doc is live. */
  private readonly timerDuties = new Map<string, () => void>()
  /** Deleted workshops: a room of theirs never loads again (a late hello, a late REST write). */
  private readonly gone = new Set<string>()
  /** Writes that outlive their room (last checkpoints); shutdown waits for them. */
  private readonly background = new Set<Promise<void>>()
  /** Round routes of a workshop, one at a time (their checks and writes span store calls). */
  readonly serial = new KeyedQueue()
  private readonly after: After
  private stopping = false

  constructor(
    private readonly deps: Omit<RoomDeps, 'onIdle' | 'usage' | 'background'> & { after?: After },
  ) {
    super()
    this.after = deps.after ?? systemAfter
  }

  /** The live room, loading it first if needed. Rejects for a deleted workshop and on shutdown. */
  async acquire(workshopId: string, doc: DocName): Promise<Room> {
    const key = logKey(workshopId, doc)
    for (;;) {
      if (this.gone.has(workshopId)) throw new WorkshopGoneError(workshopId)
      if (this.stopping) throw new ServerStoppingError()
      const live = this.rooms.get(key)
      if (live) return live
      let load = this.loading.get(key)
      if (!load) {
        load = this.load(workshopId, doc, key)
        this.loading.set(key, load)
        const forget = () => {
          if (this.loading.get(key) === load) this.loading.delete(key)
        }
        load.then(forget, forget)
      }
      const room = await load
      // it may have gone idle and unloaded before this caller ran: load it again
      if (!room.isClosed) return room
    }
  }

  private async load(workshopId: string, doc: DocName, key: string): Promise<Room> {
    const { store } = this.deps
    const needsLock =
      doc === DocName.Board &&
      !this.get(workshopId, DocName.Control) &&
      !this.lockCache.has(workshopId)
    const [stored, owners, bytes, lock, row] = await Promise.all([
      store.loadDoc(workshopId, doc),
      store.clientOwners(workshopId, doc),
      this.usage.has(workshopId) ? null : store.logBytes(workshopId),
      needsLock ? this.loadLockCopy(workshopId) : null,
      this.rows.has(workshopId) ? null : store.workshop(workshopId),
    ])
    if (this.gone.has(workshopId)) {
      lock?.destroy()
      throw new WorkshopGoneError(workshopId)
    }
    if (this.stopping) {
      lock?.destroy()
      throw new ServerStoppingError()
    }
    let usage = this.usage.get(workshopId)
    if (!usage) {
      // the other room of the workshop unloaded while this one loaded: count again
      usage = { bytes: bytes ?? (await store.logBytes(workshopId)) }
      this.usage.set(workshopId, usage)
    }
    // a row written meanwhile (a settings change) was remembered then, and is newer than this
    if (row && !this.rows.has(workshopId)) this.rows.set(workshopId, row)
    if (lock && !this.get(workshopId, DocName.Control) && !this.lockCache.has(workshopId))
      this.lockCache.set(workshopId, lock)
    else lock?.destroy()
    const room = new Room(
      workshopId,
      doc,
      {
        ...this.deps,
        usage,
        onIdle: (r) => this.unload(key, r),
        onCommit: (r) => this.emit('commit', [r]),
        onNotOwner: (r) => void this.relinquish(r.workshopId),
        background: (write) => this.track(write),
      },
      { stored, owners },
    )
    this.rooms.set(key, room)
    this.emit('loaded', [room])
    // a doc stored by an older build gets this build's layout before anyone reads it
    if (needsMigration(doc, room.doc)) room.writeAsServer((d) => migrateDoc(doc, d))
    if (doc === DocName.Control) {
      this.lockCache.get(workshopId)?.destroy()
      this.lockCache.delete(workshopId)
      // lifting a lock lets participants' refused edits in again (each is asked once)
      const controlRoom = room
      controlRoom.doc.on('update', () => {
        this.timerDuty(controlRoom)
        if (!boardLocked(controlRoom.doc)) this.get(workshopId, DocName.Board)?.resyncLockRefused()
        this.emit('control', [workshopId, controlRoom.doc])
      })
      this.timerDuty(controlRoom)
    }
    this.emit('change', [])
    return room
  }

  private unload(key: string, r: Room): void {
    const workshopId = r.workshopId
    if (this.rooms.get(key) === r) this.rooms.delete(key)
    if (r.name === DocName.Control) {
      this.cancelTimerDuty(workshopId)
      // the board may stay live: its writes keep checking the lock without a store read
      if (this.get(workshopId, DocName.Board) && !this.lockCache.has(workshopId)) {
        const copy = new Y.Doc()
        copyLockSettings(r.doc, copy)
        this.lockCache.set(workshopId, copy)
      }
    }
    r.close()
    if (!this.get(workshopId, DocName.Board) && !this.get(workshopId, DocName.Control)) {
      this.usage.delete(workshopId)
      this.rows.delete(workshopId)
      this.lockCache.get(workshopId)?.destroy()
      this.lockCache.delete(workshopId)
    }
    this.emit('change', [])
  }

  private track(write: Promise<void>): void {
    this.background.add(write)
    void write.then(() => this.background.delete(write))
  }

  private loadLockCopy(workshopId: string): Promise<Y.Doc> {
    return this.readStored(workshopId, DocName.Control, (doc) => {
      const copy = new Y.Doc()
      copyLockSettings(doc, copy)
      return copy
    })
  }

  /**
   * The lock at the timer's end: written into the control doc by the server when the time is up,
   * so every screen and this registry read one field. Re-planned on every control change.
   */
  private timerDuty(room: Room): void {
    const id = room.workshopId
    this.cancelTimerDuty(id)
    const now = this.deps.clock.now()
    const at = timerLockAt(room.doc)
    if (at === null) return
    // the write re-enters here through 'update', with nothing left to plan
    if (at <= now) return room.writeAsServer((d) => applyTimerLock(d, now))
    this.timerDuties.set(
      id,
      this.after(() => {
        this.timerDuties.delete(id)
        // a timeout runs on a monotonic clock in whole milliseconds, so it can fire while the wall
        // clock still reads just before the end: planning again writes the lock or waits the rest
        const live = this.get(id, DocName.Control)
        if (live) this.timerDuty(live)
      }, at - now),
    )
  }

  private cancelTimerDuty(workshopId: string): void {
    this.timerDuties.get(workshopId)?.()
    this.timerDuties.delete(workshopId)
  }

  /**
   * Whether participants' board writes are refused now. A timer end that is due but not yet
   * handled (its duty runs late, or the control doc is not loaded) is handled first. When the
   * control doc is not loaded a copy of its lock settings is kept (read with the board room), so
   * a busy board neither reloads the control doc for every update nor waits on the store: the
   * answer is at hand unless neither doc of the workshop is live.
   */
  boardLocked(workshopId: string): boolean | Promise<boolean> {
    const now = this.deps.clock.now()
    const live = this.get(workshopId, DocName.Control)
    if (live) {
      if (timerLockDue(live.doc, now)) live.writeAsServer((d) => applyTimerLock(d, now))
      return boardLocked(live.doc)
    }
    const lock = this.lockCache.get(workshopId)
    if (!lock)
      return this.loadLockCopy(workshopId).then((copy) => {
        if (this.get(workshopId, DocName.Control) || this.lockCache.has(workshopId)) copy.destroy()
        else this.lockCache.set(workshopId, copy)
        return this.boardLocked(workshopId)
      })
    if (!timerLockDue(lock, now)) return boardLocked(lock)
    // the copy answers at once; loading the control room writes the lock for everyone and drops
    // the copy (see load)
    applyTimerLock(lock, now)
    this.acquire(workshopId, DocName.Control).catch(() => {})
    return boardLocked(lock)
  }

  get(workshopId: string, doc: DocName): Room | undefined {
    return this.rooms.get(logKey(workshopId, doc))
  }

  /**
   * Keeps the row the write guard and presence read on every update (see `policy`), while a room
   * of the workshop is live or loading (a loading room reads the row itself).
   */
  rememberRow(row: WorkshopRow): void {
    const inUse =
      this.get(row.id, DocName.Board) ||
      this.get(row.id, DocName.Control) ||
      [...this.loading.keys()].some((k) => k.startsWith(`${row.id}/`))
    if (inUse) this.rows.set(row.id, row)
  }

  /** The workshop row as this server last read or wrote it, while a room of it is live. */
  row(workshopId: string): WorkshopRow | undefined {
    return this.rows.get(workshopId)
  }

  /** The board policy as the workshop row holds it now: the facilitator may change it any time. */
  policy(workshopId: string): BoardPolicy {
    const w = this.rows.get(workshopId)
    return w ? { cardScope: w.cardScope, sharedTextOpen: w.sharedTextOpen } : DEFAULT_BOARD_POLICY
  }

  /** State and log position of a doc, committed first if it is live. */
  committedState(workshopId: string, doc: DocName): Promise<{ seq: number; state: Uint8Array }> {
    const live = this.get(workshopId, doc)
    if (live) return live.commitNow()
    return this.storedState(workshopId, doc)
  }

  /** What the log holds, without a live room's uncommitted writes: readable while commits fail. */
  async storedState(workshopId: string, doc: DocName): Promise<{ seq: number; state: Uint8Array }> {
    const stored = await this.deps.store.loadDoc(workshopId, doc)
    const ydoc = new Y.Doc()
    try {
      applyStored(ydoc, stored, LOAD_ORIGIN)
      return { seq: stored.lastSeq, state: Y.encodeStateAsUpdate(ydoc) }
    } finally {
      ydoc.destroy()
    }
  }

  /** Reads a doc without keeping it loaded: the live room if there is one, else from storage. */
  async read<T>(workshopId: string, doc: DocName, fn: (doc: Y.Doc) => T): Promise<T> {
    const live = this.get(workshopId, doc)
    if (live) return fn(live.doc)
    return this.readStored(workshopId, doc, fn)
  }

  private async readStored<T>(workshopId: string, doc: DocName, fn: (doc: Y.Doc) => T): Promise<T> {
    const stored = await this.deps.store.loadDoc(workshopId, doc)
    // a room loaded meanwhile holds at least this and maybe more: read that one
    const live = this.get(workshopId, doc)
    if (live) return fn(live.doc)
    const ydoc = new Y.Doc()
    try {
      applyStored(ydoc, stored, LOAD_ORIGIN)
      return fn(ydoc)
    } finally {
      ydoc.destroy()
    }
  }

  /** Writes as the server through the live room (loading it if needed), so peers see it. */
  async write(workshopId: string, doc: DocName, fn: (doc: Y.Doc) => void): Promise<void> {
    ;(await this.acquire(workshopId, doc)).writeAsServer(fn)
  }

  get size(): number {
    return this.rooms.size
  }

  get storageFailing(): boolean {
    for (const r of this.rooms.values()) if (r.storageFailing) return true
    return false
  }

  /**
   * Drops a deleted workshop's rooms without writing anything more; its sockets get `code`.
   * Resolves once the store has answered every call these rooms started, so a deletion that
   * follows cannot be overtaken by a commit still in flight (PostgreSQL runs them side by side).
   */
  async evict(workshopId: string, code: number, reason: string): Promise<void> {
    this.gone.add(workshopId)
    await this.dropRooms(workshopId, code, reason)
  }

  /**
   * This instance no longer owns the workshop (its lease was lost, or a commit met a newer
   * owner's epoch): its rooms go without writing more, and their sockets get 1012, so the
   * clients reconnect, reach the owner, and re-send what was never acked. The workshop may be
   * loaded here again later, once this instance owns it again.
   */
  async relinquish(workshopId: string): Promise<void> {
    await this.dropRooms(workshopId, CloseCode.ServerRestart, ErrorCode.ServerRestart)
  }

  private async dropRooms(workshopId: string, code: number, reason: string): Promise<void> {
    this.cancelTimerDuty(workshopId)
    this.lockCache.get(workshopId)?.destroy()
    this.lockCache.delete(workshopId)
    this.usage.delete(workshopId)
    this.rows.delete(workshopId)
    const pending: Promise<unknown>[] = []
    for (const [key, room] of this.rooms) {
      if (room.workshopId !== workshopId) continue
      this.rooms.delete(key)
      pending.push(room.settled())
      room.discard(code, reason)
    }
    // a room still loading is refused when its reads come back (see load)
    for (const [key, load] of this.loading)
      if (key.startsWith(`${workshopId}/`)) pending.push(load.catch(() => {}))
    this.emit('change', [])
    await Promise.all(pending)
  }

  /** The deletion failed: the workshop is still there, and its rooms may load again. */
  readmit(workshopId: string): void {
    this.gone.delete(workshopId)
  }

  /**
   * Commits every room's writes and closes it; used on shutdown. No room loads from here on.
   * What fails to commit stays unacked, and its writers re-send it to the next server.
   */
  async closeAll(): Promise<void> {
    this.stopping = true
    for (const id of [...this.timerDuties.keys()]) this.cancelTimerDuty(id)
    await Promise.all([...this.loading.values()].map((l) => l.catch(() => {})))
    await Promise.all([...this.rooms.values()].map((room) => room.drain()))
    for (const room of this.rooms.values()) room.close()
    this.rooms.clear()
    await Promise.all(this.background)
  }
}
