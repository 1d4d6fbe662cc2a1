/** Live rooms by (workshop, doc). A room exists while it has peers or unsaved writes. */
import * as Y from 'yjs'
import { ObservableV2 } from 'lib0/observable'
import { DocName } from '../../shared/protocol.ts'
import { boardLocked } from '../../shared/control.ts'
import { logKey } from '../store/store.ts'
import { LOAD_ORIGIN, Room, type RoomDeps } from './room.ts'

/** Emits 'change' whenever a room is loaded or unloaded (tests wait on it). */
export class RoomRegistry extends ObservableV2<{ change: () => void }> {
  private readonly rooms = new Map<string, Room>()

  constructor(private readonly deps: Omit<RoomDeps, 'onIdle'>) {
    super()
  }

  acquire(workshopId: string, doc: DocName): Room {
    const key = logKey(workshopId, doc)
    let room = this.rooms.get(key)
    if (!room) {
      room = new Room(workshopId, doc, {
        ...this.deps,
        onIdle: (r) => {
          if (this.rooms.get(key) === r) this.rooms.delete(key)
          r.close()
          this.emit('change', [])
        },
      })
      this.rooms.set(key, room)
      if (doc === DocName.Control) {
        // lifting a lock lets participants' refused edits in again
        room.doc.on('update', () => {
          if (!this.boardLocked(workshopId)) this.get(workshopId, DocName.Board)?.resyncDiverged()
        })
      }
      this.emit('change', [])
    }
    return room
  }

  boardLocked(workshopId: string): boolean {
    return this.read(workshopId, DocName.Control, (doc) => boardLocked(doc, this.deps.clock.now()))
  }

  get(workshopId: string, doc: DocName): Room | undefined {
    return this.rooms.get(logKey(workshopId, doc))
  }

  /** Reads a doc without keeping it loaded: the live room if there is one, else from storage. */
  read<T>(workshopId: string, doc: DocName, fn: (doc: Y.Doc) => T): T {
    const live = this.get(workshopId, doc)
    if (live) return fn(live.doc)
    const stored = this.deps.store.loadDoc(workshopId, doc)
    const ydoc = new Y.Doc()
    try {
      ydoc.transact(() => {
        if (stored.checkpoint) Y.applyUpdate(ydoc, stored.checkpoint)
        for (const u of stored.updates) Y.applyUpdate(ydoc, u)
      }, LOAD_ORIGIN)
      return fn(ydoc)
    } finally {
      ydoc.destroy()
    }
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

  /** Drops rooms of a deleted workshop without writing anything more. */
  evict(workshopId: string): Room[] {
    const out: Room[] = []
    for (const [key, room] of this.rooms) {
      if (room.workshopId !== workshopId) continue
      this.rooms.delete(key)
      out.push(room)
    }
    return out
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
