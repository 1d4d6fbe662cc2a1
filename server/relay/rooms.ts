/** Live rooms by (workshop, doc). A room exists while it has peers or unsaved writes. */
import * as Y from 'yjs'
import { ObservableV2 } from 'lib0/observable'
import { DocName } from '../../shared/protocol.ts'
import {
  applyTimerLock,
  boardLocked,
  copyLockSettings,
  timerLockAt,
  timerLockDue,
} from '../../shared/control.ts'
import { type After, systemAfter } from '../deps.ts'
import { applyStored, logKey } from '../store/store.ts'
import { migrateDoc, needsMigration } from '../../shared/migrations.ts'
import { LOAD_ORIGIN, Room, type RoomDeps, type WorkshopUsage } from './room.ts'

export interface RegistryEvents {
  /** A room was loaded or unloaded (tests wait on it). */
  change: () => void
  /** Updates of a room were committed to the log. */
  commit: (room: Room) => void
  /** The control doc of a workshop changed (phase, lock, rounds...). */
  control: (workshopId: string, doc: Y.Doc) => void
}

export class RoomRegistry extends ObservableV2<RegistryEvents> {
  private readonly rooms = new Map<string, Room>()
  private readonly lockCache = new Map<string, Y.Doc>()
  /** Log bytes per workshop with a live room, shared by its two rooms. */
  private readonly usage = new Map<string, WorkshopUsage>()
  /** The pending lock at a timer's end, per workshop whose control doc is live. */
  private readonly timerDuties = new Map<string, () => void>()
  private readonly after: After

  constructor(private readonly deps: Omit<RoomDeps, 'onIdle' | 'usage'> & { after?: After }) {
    super()
    this.after = deps.after ?? systemAfter
  }

  acquire(workshopId: string, doc: DocName): Room {
    const key = logKey(workshopId, doc)
    let room = this.rooms.get(key)
    if (!room) {
      let usage = this.usage.get(workshopId)
      if (!usage) {
        usage = { bytes: this.deps.store.logBytes(workshopId) }
        this.usage.set(workshopId, usage)
      }
      room = new Room(workshopId, doc, {
        ...this.deps,
        usage,
        onIdle: (r) => {
          if (this.rooms.get(key) === r) this.rooms.delete(key)
          if (doc === DocName.Control) this.cancelTimerDuty(workshopId)
          r.close()
          if (!this.get(workshopId, DocName.Board) && !this.get(workshopId, DocName.Control))
            this.usage.delete(workshopId)
          this.emit('change', [])
        },
        onCommit: (r) => this.emit('commit', [r]),
      })
      this.rooms.set(key, room)
      // a doc stored by an older build gets this build's layout before anyone reads it
      if (needsMigration(doc, room.doc)) room.writeAsServer((d) => migrateDoc(doc, d))
      if (doc === DocName.Control) {
        this.lockCache.get(workshopId)?.destroy()
        this.lockCache.delete(workshopId)
        // lifting a lock lets participants' refused edits in again (each is asked once)
        const controlRoom = room
        controlRoom.doc.on('update', () => {
          this.timerDuty(controlRoom)
          if (!boardLocked(controlRoom.doc))
            this.get(workshopId, DocName.Board)?.resyncLockRefused()
          this.emit('control', [workshopId, controlRoom.doc])
        })
        this.timerDuty(controlRoom)
      }
      this.emit('change', [])
    }
    return room
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
        const live = this.get(id, DocName.Control)
        if (live) live.writeAsServer((d) => applyTimerLock(d, this.deps.clock.now()))
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
   * control doc is not loaded a copy of its lock settings is kept, so a busy board does not
   * reload the control doc from disk for every update.
   */
  boardLocked(workshopId: string): boolean {
    const now = this.deps.clock.now()
    const live = this.get(workshopId, DocName.Control)
    if (live) {
      if (timerLockDue(live.doc, now)) live.writeAsServer((d) => applyTimerLock(d, now))
      return boardLocked(live.doc)
    }
    let lock = this.lockCache.get(workshopId)
    if (!lock) {
      lock = this.read(workshopId, DocName.Control, (doc) => {
        const copy = new Y.Doc()
        copyLockSettings(doc, copy)
        return copy
      })
      this.lockCache.set(workshopId, lock)
    }
    if (!timerLockDue(lock, now)) return boardLocked(lock)
    // loading the control room drops the cached copy and handles the end (see acquire)
    this.acquire(workshopId, DocName.Control)
    return this.boardLocked(workshopId)
  }

  get(workshopId: string, doc: DocName): Room | undefined {
    return this.rooms.get(logKey(workshopId, doc))
  }

  /** State and log position of a doc, committed first if it is live. */
  committedState(workshopId: string, doc: DocName): { seq: number; state: Uint8Array } {
    const live = this.get(workshopId, doc)
    if (live) return live.commitNow()
    const { ydoc, seq } = this.loadStored(workshopId, doc)
    const state = Y.encodeStateAsUpdate(ydoc)
    ydoc.destroy()
    return { seq, state }
  }

  /** What the log holds, without a live room's uncommitted writes: readable while commits fail. */
  storedState(workshopId: string, doc: DocName): { seq: number; state: Uint8Array } {
    const { ydoc, seq } = this.loadStored(workshopId, doc)
    const state = Y.encodeStateAsUpdate(ydoc)
    ydoc.destroy()
    return { seq, state }
  }

  /** Reads a doc without keeping it loaded: the live room if there is one, else from storage. */
  read<T>(workshopId: string, doc: DocName, fn: (doc: Y.Doc) => T): T {
    const live = this.get(workshopId, doc)
    if (live) return fn(live.doc)
    const { ydoc } = this.loadStored(workshopId, doc)
    try {
      return fn(ydoc)
    } finally {
      ydoc.destroy()
    }
  }

  private loadStored(workshopId: string, doc: DocName): { ydoc: Y.Doc; seq: number } {
    const stored = this.deps.store.loadDoc(workshopId, doc)
    const ydoc = new Y.Doc()
    applyStored(ydoc, stored, LOAD_ORIGIN)
    return { ydoc, seq: stored.lastSeq }
  }

  /** Writes as the server through the live room (loading it if needed), so peers see it. */
  write(workshopId: string, doc: DocName, fn: (doc: Y.Doc) => void): void {
    this.acquire(workshopId, doc).writeAsServer(fn)
  }

  get size(): number {
    return this.rooms.size
  }

  get storageFailing(): boolean {
    for (const r of this.rooms.values()) if (r.storageFailing) return true
    return false
  }

  /** Drops a deleted workshop's rooms without writing anything more; its sockets get `code`. */
  evict(workshopId: string, code: number, reason: string): void {
    this.cancelTimerDuty(workshopId)
    this.lockCache.get(workshopId)?.destroy()
    this.lockCache.delete(workshopId)
    this.usage.delete(workshopId)
    for (const [key, room] of this.rooms) {
      if (room.workshopId !== workshopId) continue
      this.rooms.delete(key)
      room.discard(code, reason)
    }
    this.emit('change', [])
  }

  /** Flushes every room's writes and closes it; used on shutdown. */
  closeAll(): void {
    for (const id of [...this.timerDuties.keys()]) this.cancelTimerDuty(id)
    for (const room of this.rooms.values()) {
      room.flush()
      room.close()
    }
    this.rooms.clear()
  }
}
