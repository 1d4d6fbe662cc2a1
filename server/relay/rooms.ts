/** Live rooms by (workshop, doc). A room exists while it has peers or unsaved writes. */
import * as Y from 'yjs'
import { ObservableV2 } from 'lib0/observable'
import { DocName } from '../../shared/protocol.ts'
import { boardLocked, copyLockSettings } from '../../shared/control.ts'
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

  constructor(private readonly deps: Omit<RoomDeps, 'onIdle' | 'usage'>) {
    super()
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
          r.close()
          if (!this.get(workshopId, DocName.Board) && !this.get(workshopId, DocName.Control)) this.usage.delete(workshopId)
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
        const controlDoc = room.doc
        controlDoc.on('update', () => {
          if (!this.boardLocked(workshopId)) this.get(workshopId, DocName.Board)?.resyncLockRefused()
          this.emit('control', [workshopId, controlDoc])
        })
      }
      this.emit('change', [])
    }
    return room
  }

  /**
   * Whether participants' board writes are refused now. Reads the live control doc; when it is not
   * loaded (nobody can change it then) a copy of its lock settings is kept so a busy board does
   * not reload the control doc from disk for every update.
   */
  boardLocked(workshopId: string): boolean {
    const now = this.deps.clock.now()
    const live = this.get(workshopId, DocName.Control)
    if (live) return boardLocked(live.doc, now)
    let lock = this.lockCache.get(workshopId)
    if (!lock) {
      lock = this.read(workshopId, DocName.Control, (doc) => {
        const copy = new Y.Doc()
        copyLockSettings(doc, copy)
        return copy
      })
      this.lockCache.set(workshopId, lock)
    }
    return boardLocked(lock, now)
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
    for (const room of this.rooms.values()) {
      room.flush()
      room.close()
    }
    this.rooms.clear()
  }
}
