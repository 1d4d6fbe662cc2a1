/**
 * A live room: one Yjs doc of one workshop in memory, its connections and awareness, and the
 * write path to the update log. Writes are batched per event-loop turn: one broadcast and one
 * SQLite transaction per turn, then durable acks to the writers whose barriers that commit covers.
 */
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import * as awarenessProtocol from 'y-protocols/awareness'
import { type DocName, ErrorCode, MessageType } from '../../shared/protocol.ts'
import { encodeDurableAck, encodeNotice } from '../../shared/wire.ts'
import { CHECKPOINT_EVERY_MS, CHECKPOINT_EVERY_UPDATES, STORAGE_RETRY_MS } from '../../shared/limits.ts'
import { applyStored, type LoggedUpdate, type Store } from '../store/store.ts'
import type { Clock, Logger } from '../deps.ts'

/** The relay's view of one socket. */
export interface Peer {
  readonly participantId: string | null
  readonly readOnly: boolean
  send(message: Uint8Array): void
  close(code: number, reason: string): void
  /** Barrier the peer is waiting on, set when it sends one. */
  barrier: number
  /**
   * Set when a write of this peer was refused (board locked): its doc now holds edits we lack,
   * so its barriers are not acked until it has re-sent them after the lock is lifted.
   */
  diverged: boolean
}

export interface RoomDeps {
  store: Store
  clock: Clock
  log: Logger
  checkpointEveryUpdates?: number
  checkpointEveryMs?: number
  storageRetryMs?: number
  /** Called when the room has no peers and nothing left to write. */
  onIdle(room: Room): void
  /** Called after updates were committed to the log. */
  onCommit?(room: Room): void
}

/** Origin of updates replayed from storage: they are not logged again. */
export const LOAD_ORIGIN = Symbol('load')
/** Origin of the server's own writes (template, restore). */
export const SERVER_ORIGIN = Symbol('server')

interface QueuedUpdate {
  data: Uint8Array
  origin: Peer | null
  time: number
}

const syncMessage = (write: (e: encoding.Encoder) => void): Uint8Array => {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MessageType.Sync)
  write(e)
  return encoding.toUint8Array(e)
}

export class Room {
  readonly doc = new Y.Doc({ gc: true })
  readonly awareness = new awarenessProtocol.Awareness(this.doc)
  readonly peers = new Set<Peer>()
  /** Applied this turn, not yet sent to peers. */
  private unsent: QueuedUpdate[] = []
  /** Applied, not yet committed; survives failed commits. */
  private queue: QueuedUpdate[] = []
  private awaitingAck = new Set<Peer>()
  private changedAwareness = new Set<number>()
  private flushScheduled = false
  private retryTimer: ReturnType<typeof setTimeout> | null = null
  private failing = false
  private lastSeq = 0
  private sinceCheckpoint = 0
  private lastCheckpointAt: number
  private joinCache: Uint8Array | null = null
  private closed = false

  constructor(
    readonly workshopId: string,
    readonly name: DocName,
    private readonly deps: RoomDeps,
  ) {
    this.awareness.setLocalState(null)
    this.lastCheckpointAt = deps.clock.now()
    const stored = deps.store.loadDoc(workshopId, name)
    applyStored(this.doc, stored, LOAD_ORIGIN)
    this.lastSeq = stored.lastSeq
    this.sinceCheckpoint = stored.updates.length
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      this.joinCache = null
      if (origin === LOAD_ORIGIN) return
      const queued: QueuedUpdate = {
        data: update,
        origin: origin === SERVER_ORIGIN ? null : (origin as Peer),
        time: deps.clock.now(),
      }
      this.unsent.push(queued)
      this.queue.push(queued)
      this.schedule()
    })
    this.awareness.on('update', ({ added, updated, removed }: Record<string, number[]>) => {
      for (const id of [...added!, ...updated!, ...removed!]) this.changedAwareness.add(id)
      this.schedule()
    })
  }

  get storageFailing(): boolean {
    return this.failing
  }

  get hasUnsavedWrites(): boolean {
    return this.queue.length > 0
  }

  add(peer: Peer): void {
    this.peers.add(peer)
  }

  remove(peer: Peer, awarenessIds: Iterable<number>): void {
    this.peers.delete(peer)
    this.awaitingAck.delete(peer)
    const ids = [...awarenessIds]
    if (ids.length) awarenessProtocol.removeAwarenessStates(this.awareness, ids, null)
    this.maybeIdle()
  }

  /** Sync step 2 for a joiner; the whole-state answer is cached since most joiners have nothing. */
  syncStep2For(stateVector: Uint8Array): Uint8Array {
    const fresh = stateVector.length === 1 && stateVector[0] === 0
    if (fresh) {
      this.joinCache ??= syncMessage((e) => syncProtocol.writeSyncStep2(e, this.doc))
      return this.joinCache
    }
    return syncMessage((e) => syncProtocol.writeSyncStep2(e, this.doc, stateVector))
  }

  syncStep1(): Uint8Array {
    return syncMessage((e) => syncProtocol.writeSyncStep1(e, this.doc))
  }

  awarenessSnapshot(): Uint8Array | null {
    const ids = [...this.awareness.getStates().keys()]
    if (!ids.length) return null
    const e = encoding.createEncoder()
    encoding.writeVarUint(e, MessageType.Awareness)
    encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids))
    return encoding.toUint8Array(e)
  }

  /** Applies a validated update from a writable peer. */
  applyFrom(peer: Peer, update: Uint8Array): void {
    Y.applyUpdate(this.doc, update, peer)
  }

  /** Server-side writes (rounds, tallies, restore) are logged and broadcast like any other. */
  writeAsServer(fn: (doc: Y.Doc) => void): void {
    this.doc.transact(() => fn(this.doc), SERVER_ORIGIN)
    // also when nothing changed: the flush lets a room without peers unload again
    this.schedule()
  }

  /** Log position of the last committed update. */
  get committedSeq(): number {
    return this.lastSeq
  }

  /**
   * Commits everything applied so far and returns the state at that log position. Throws while
   * storage is failing, so nobody records a state the log does not hold.
   */
  commitNow(): { seq: number; state: Uint8Array } {
    this.flush()
    if (this.queue.length) throw new Error('storage is failing; state not committed')
    return { seq: this.lastSeq, state: Y.encodeStateAsUpdate(this.doc) }
  }

  requestAck(peer: Peer, barrier: number): void {
    peer.barrier = Math.max(peer.barrier, barrier)
    if (peer.diverged) return
    this.awaitingAck.add(peer)
    this.schedule()
  }

  /** Asks diverged peers for what they hold and we lack; their reply is applied like any write. */
  resyncDiverged(): void {
    for (const p of this.peers) {
      if (!p.diverged) continue
      p.diverged = false
      p.send(this.syncStep1())
    }
  }

  private schedule(): void {
    if (this.flushScheduled || this.closed) return
    this.flushScheduled = true
    setImmediate(() => {
      this.flushScheduled = false
      this.flush()
    })
  }

  private broadcast(message: Uint8Array, except: Peer | null): void {
    for (const p of this.peers) if (p !== except) p.send(message)
  }

  /** One turn's work: broadcast, commit, ack, maybe checkpoint. Safe to call at any time. */
  flush(): void {
    if (this.closed) return
    if (this.unsent.length) {
      this.broadcastUpdates(this.unsent)
      this.unsent = []
    }
    if (this.changedAwareness.size) {
      const ids = [...this.changedAwareness]
      this.changedAwareness.clear()
      const e = encoding.createEncoder()
      encoding.writeVarUint(e, MessageType.Awareness)
      encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids))
      this.broadcast(encoding.toUint8Array(e), null)
    }
    if (this.retryTimer) return // a retry is pending; it will commit and ack
    this.commit()
  }

  private broadcastUpdates(batch: QueuedUpdate[]): void {
    const origins = new Set(batch.map((q) => q.origin))
    if (origins.size === 1) {
      const origin = batch[0]!.origin
      const merged = batch.length === 1 ? batch[0]!.data : Y.mergeUpdates(batch.map((q) => q.data))
      this.broadcast(syncMessage((e) => syncProtocol.writeUpdate(e, merged)), origin)
      return
    }
    // Several writers this turn: peers get the merged turn; writers get their own back too,
    // which Yjs ignores; cheaper than merging once per writer.
    const merged = Y.mergeUpdates(batch.map((q) => q.data))
    this.broadcast(syncMessage((e) => syncProtocol.writeUpdate(e, merged)), null)
  }

  private commit(): void {
    const batch = this.queue
    if (batch.length) {
      const rows: LoggedUpdate[] = batch.map((q) => ({
        workshopId: this.workshopId,
        doc: this.name,
        time: q.time,
        participantId: q.origin?.participantId ?? null,
        data: q.data,
      }))
      try {
        const last = this.deps.store.appendUpdates(rows)
        this.lastSeq = last.values().next().value ?? this.lastSeq
        this.queue = this.queue.slice(batch.length)
        this.sinceCheckpoint += batch.length
        if (this.failing) this.recovered()
      } catch (err) {
        this.storageFailed(err)
        return
      }
      this.deps.onCommit?.(this)
    }
    this.sendAcks()
    this.maybeCheckpoint()
    this.maybeIdle()
  }

  private sendAcks(): void {
    if (!this.awaitingAck.size) return
    const sv = Y.encodeStateVector(this.doc)
    for (const p of this.awaitingAck) p.send(encodeDurableAck(p.barrier, sv))
    this.awaitingAck.clear()
  }

  private storageFailed(err: unknown): void {
    const code = (err as { code?: string }).code ?? 'unknown'
    if (!this.failing) {
      this.failing = true
      this.deps.log.error('storage.commit_failed', { workshop: this.workshopId, doc: this.name, code })
      const notice = encodeNotice({ code: ErrorCode.StorageFailed, message: code })
      for (const p of this.peers) if (!p.readOnly) p.send(notice)
    }
    // Nothing is dropped: the queue stays in memory and is retried; no ack goes out meanwhile.
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null
      this.commit()
    }, this.deps.storageRetryMs ?? STORAGE_RETRY_MS)
  }

  private recovered(): void {
    this.failing = false
    this.deps.log.info('storage.recovered', { workshop: this.workshopId, doc: this.name })
    const notice = encodeNotice({ code: ErrorCode.StorageRecovered, message: '' })
    for (const p of this.peers) if (!p.readOnly) p.send(notice)
  }

  private maybeCheckpoint(force = false): void {
    if (this.failing || this.queue.length || this.sinceCheckpoint === 0) return
    const every = this.deps.checkpointEveryUpdates ?? CHECKPOINT_EVERY_UPDATES
    const everyMs = this.deps.checkpointEveryMs ?? CHECKPOINT_EVERY_MS
    const now = this.deps.clock.now()
    if (!force && this.sinceCheckpoint < every && now - this.lastCheckpointAt < everyMs) return
    try {
      this.deps.store.writeCheckpoint(this.workshopId, this.name, this.lastSeq, now, Y.encodeStateAsUpdate(this.doc))
      this.sinceCheckpoint = 0
      this.lastCheckpointAt = now
    } catch (err) {
      // A missed checkpoint costs load time only; the log still holds every update.
      this.deps.log.warn('storage.checkpoint_failed', { workshop: this.workshopId, code: String((err as { code?: string }).code) })
    }
  }

  private maybeIdle(): void {
    if (this.peers.size || this.queue.length || this.closed) return
    this.maybeCheckpoint(true)
    this.deps.onIdle(this)
  }

  /** Drops the room without writing anything more (its workshop was deleted). */
  discard(code: number, reason: string): void {
    this.queue = []
    this.unsent = []
    for (const p of this.peers) p.close(code, reason)
    this.close()
  }

  /** Stops timers and frees the doc. Pending writes are attempted one last time. */
  close(): void {
    if (this.closed) return
    if (this.queue.length && !this.retryTimer) this.commit()
    this.closed = true
    if (this.retryTimer) clearTimeout(this.retryTimer)
    this.awareness.destroy()
    this.doc.destroy()
  }
}
