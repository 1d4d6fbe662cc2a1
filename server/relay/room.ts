/**
 * A live room: one Yjs doc of one workshop in memory, its connections and awareness, and the
 * write path to the update log. Every writer's update is judged first (write-guard.ts). Writes
 * are batched: at most one commit is in flight per room (the store answers later: a SQLite thread
 * or PostgreSQL), and what is applied meanwhile waits to go in the next one. Peers get each turn's
 * updates at once, before they are on disk (an fsync would otherwise sit in every edit's path to
 * the others); the writers whose barriers a commit covers get their durable acks once it lands.
 * After a crash a peer may hold an edit the server lost: its writer re-sends it on reconnect, and
 * a peer that relays someone else's lost edit is told its copy diverged (it reloads the board as
 * the server has it, see client/sync/connection.ts). What is broadcast early is only ever content
 * under a client id whose owner is on disk, so the lost edit cannot be claimed by whoever relays
 * it first; an update that claims a new client id goes to peers after its commit.
 */
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import * as awarenessProtocol from 'y-protocols/awareness'
import { type DocName, ErrorCode, MessageType } from '../../shared/protocol.ts'
import { encodeDurableAck, encodeNotice } from '../../shared/wire.ts'
import {
  AWARENESS_SPACING_MS,
  CHECKPOINT_EVERY_MS,
  CHECKPOINT_EVERY_UPDATES,
  COMMIT_SPACING_MS,
  HELD_UPDATE_DEADLINE_MS,
  MAX_HELD_BYTES,
  STORAGE_RETRY_MS,
  WORKSHOP_QUOTA_BYTES,
} from '../../shared/limits.ts'
import { AUTHOR_FIELD } from '../../shared/permissions.ts'
import { TRASH_FIELDS, boardRoot, cardMap, trashCard } from '../../shared/schema.ts'
import { applyStored, type LoggedUpdate, STAFF, type StoredDoc } from '../store/store.ts'
import type { AsyncStore } from '../store/async-store.ts'
import type { Clock, Logger } from '../deps.ts'
import { ClientOwners } from './client-owners.ts'
import { beyondDoc, judgeUpdate, UNKNOWN_ROOT, type Writer } from './write-guard.ts'
import {
  NotOwnerError,
  ServerStoppingError,
  StorageFailingError,
  WorkshopGoneError,
} from '../store/errors.ts'

/** The relay's view of one socket. */
export interface Peer {
  readonly participantId: string | null
  readonly readOnly: boolean
  /** Who writes through this socket and what it may change; null for read-only sockets. */
  readonly writer: Writer | null
  send(message: Uint8Array): void
  close(code: number, reason: string): void
  /** Barrier the peer is waiting on, set when it sends one. */
  barrier: number
  /**
   * Set when a write was refused because the board was locked: its doc holds edits we lack, so
   * its barriers are not acked until it has re-sent them, which it is asked for once the lock is
   * lifted.
   */
  lockRefused: boolean
  /**
   * Set when a write was refused for good (not allowed, over quota, never completed): the peer
   * holds edits the server will not have, so it is never told "saved" again on this socket.
   */
  refused: boolean
}

/** A peer's update that builds on content that has not arrived yet. */
interface HeldUpdate {
  data: Uint8Array
  since: number
  /** A sync step 2: all its sender holds, which may relay others' lost edits. */
  resend: boolean
  /** The sender's last barrier when the update came (a refusal names it: Notice.after). */
  after: number
}

/** What happened to a writer's update; the socket tells the writer about refusals. */
export type WriteOutcome =
  | { kind: 'applied' }
  | { kind: 'nothing' }
  | { kind: 'held' }
  /** The board is locked and the update would change it: asked for again once it is lifted. */
  | { kind: 'locked' }
  | { kind: 'refused'; code: ErrorCode; root: string }

/** Bytes in one workshop's update log, shared by its two rooms for the quota. */
export interface WorkshopUsage {
  bytes: number
}

export interface RoomDeps {
  store: AsyncStore
  clock: Clock
  log: Logger
  /** Log bytes of this room's workshop (both docs); checked against `quotaBytes`. */
  usage: WorkshopUsage
  quotaBytes?: number
  heldDeadlineMs?: number
  checkpointEveryUpdates?: number
  checkpointEveryMs?: number
  storageRetryMs?: number
  /** Called when the room has no peers and nothing left to write. */
  onIdle(room: Room): void
  /** Called after updates were committed to the log. */
  onCommit?(room: Room): void
  /** A commit was refused because another instance owns the workshop now (several instances). */
  onNotOwner?(room: Room): void
  /** Writes that outlive the room (its last checkpoint): shutdown waits for them. */
  background?(write: Promise<void>): void
}

/** What the registry read from the store before the room exists. */
export interface LoadedDoc {
  stored: StoredDoc
  owners: Map<number, string>
}

/** Someone waiting for what is applied now to be committed (commitNow, committedPosition). */
interface Waiter {
  /** Wants the doc's state at the committed position (commitNow); else the position only. */
  state: boolean
  resolve(value: { seq: number; state: Uint8Array | null }): void
  reject(err: Error): void
}

/**
 * One commit, fixed when it starts: everything applied until then, and who waits on exactly
 * that (sync answers, durable acks, commitNow). What arrives meanwhile waits for the next one.
 */
interface Cut {
  batch: QueuedUpdate[]
  /** Answers to sync requests that waited for a claim in this commit; sent once it is on disk. */
  syncs: { peer: Peer; stateVector: Uint8Array; answer: Uint8Array }[]
  /** Barriers this commit covers; acked with `sv` once it is on disk. */
  acks: { peer: Peer; barrier: number }[]
  sv: Uint8Array | null
  waiters: Waiter[]
  state: Uint8Array | null
}

/** Origin of updates replayed from storage: they are not logged again. */
export const LOAD_ORIGIN = Symbol('load')
/** Origin of the server's own writes (template, restore). */
export const SERVER_ORIGIN = Symbol('server')

interface QueuedUpdate {
  data: Uint8Array
  origin: Peer | null
  time: number
  /** Client ids this update writes under first, whose owner is not on disk yet. */
  claims: number[]
  /** Peers got it. */
  sent: boolean
}

const batchBytes = (batch: readonly QueuedUpdate[]): number => {
  let n = 0
  for (const q of batch) n += q.data.length
  return n
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
  readonly owners: ClientOwners
  /** Applied, not yet committed; survives failed commits. */
  private queue: QueuedUpdate[] = []
  /** How many of `queue` peers have not got yet. */
  private unsent = 0
  /** Client ids whose owner is on disk: content under them may reach peers before its commit. */
  private readonly durableClients: Set<number>
  /** Ids the update being applied claims (set around Y.applyUpdate for the update listener). */
  private applyingClaims: number[] = []
  /** Bytes of `queue`, kept as it changes: the quota check runs on every write. */
  private queuedBytes = 0
  /** Sync requests answered once an update that claims a new client id is committed. */
  private syncAfterCommit: { peer: Peer; stateVector: Uint8Array }[] = []
  private held = new Map<Peer, HeldUpdate[]>()
  private toldRefusals = new Map<Peer, Set<string>>()
  private heldTimer: ReturnType<typeof setTimeout> | null = null
  private awaitingAck = new Set<Peer>()
  private changedAwareness = new Set<number>()
  /** Presence waits for its turn (AWARENESS_SPACING_MS after the last presence broadcast). */
  private awarenessTimer: ReturnType<typeof setTimeout> | null = null
  private lastAwarenessAt = -Infinity
  private flushScheduled = false
  private retryTimer: ReturnType<typeof setTimeout> | null = null
  /** A commit waits for its turn (COMMIT_SPACING_MS after the last one started). */
  private spacingTimer: ReturnType<typeof setTimeout> | null = null
  private lastCommitAt = -Infinity
  /** The commit the store is working on; settles after its outcome was handled. */
  private inFlight: Promise<void> | null = null
  private checkpointing: Promise<void> | null = null
  private waiters: Waiter[] = []
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
    { stored, owners }: LoadedDoc,
  ) {
    this.awareness.setLocalState(null)
    this.lastCheckpointAt = deps.clock.now()
    if (applyStored(this.doc, stored, LOAD_ORIGIN))
      deps.log.warn('room.discarded_pending', { workshop: workshopId, doc: name })
    this.lastSeq = stored.lastSeq
    this.sinceCheckpoint = stored.updates.length
    this.owners = new ClientOwners(owners)
    this.durableClients = new Set(owners.keys())
    this.owners.reserve(this.doc.clientID, STAFF)
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      this.joinCache = null
      if (origin === LOAD_ORIGIN) return
      const fromServer = origin === SERVER_ORIGIN
      // the server's own writes are staff's; the store records the owner with the update
      if (fromServer) this.owners.claim([this.doc.clientID], STAFF)
      const claims = fromServer ? [this.doc.clientID] : this.applyingClaims
      const queued: QueuedUpdate = {
        data: update,
        origin: fromServer ? null : (origin as Peer),
        time: deps.clock.now(),
        claims: claims.filter((c) => !this.durableClients.has(c)),
        sent: false,
      }
      this.unsent++
      this.queue.push(queued)
      this.queuedBytes += update.length
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

  get isClosed(): boolean {
    return this.closed
  }

  /** Lets a room nobody joined after all (its socket closed while it loaded) unload again. */
  releaseIfIdle(): void {
    this.schedule()
  }

  add(peer: Peer): void {
    this.peers.add(peer)
  }

  remove(peer: Peer, awarenessIds: Iterable<number>): void {
    this.peers.delete(peer)
    this.awaitingAck.delete(peer)
    this.held.delete(peer)
    this.toldRefusals.delete(peer)
    this.syncAfterCommit = this.syncAfterCommit.filter((s) => s.peer !== peer)
    const ids = [...awarenessIds]
    if (ids.length) awarenessProtocol.removeAwarenessStates(this.awareness, ids, null)
    this.maybeIdle()
  }

  /**
   * Answers a sync step 1 with what the peer lacks: what the other peers have, which is the doc
   * unless an update that claims a new client id waits for its commit (broadcastReady). Then the
   * answer waits for that commit too, or while storage fails (it may not commit for a long
   * time) it is what is stored plus what the peers got. The whole-state answer is cached since
   * most joiners have nothing.
   */
  answerSyncRequest(peer: Peer, stateVector: Uint8Array): Promise<void> | void {
    // decoded now, so a malformed one fails the sender's message, not a later flush
    Y.decodeStateVector(stateVector)
    if (this.unsent === 0) {
      peer.send(this.syncStep2For(stateVector))
      return
    }
    // The socket handles its next message once this answer is sent.
    if (this.failing) {
      const got = this.queue.filter((q) => q.sent).map((q) => q.data)
      return this.storedSyncStep2For(stateVector, got).then((m) => peer.send(m))
    }
    this.syncAfterCommit.push({ peer, stateVector })
    this.schedule()
  }

  private async storedSyncStep2For(
    stateVector: Uint8Array,
    sent: Uint8Array[],
  ): Promise<Uint8Array> {
    const loaded = await this.deps.store.loadDoc(this.workshopId, this.name)
    const stored = new Y.Doc()
    try {
      applyStored(stored, loaded, LOAD_ORIGIN)
      for (const update of sent) Y.applyUpdate(stored, update, LOAD_ORIGIN)
      return syncMessage((e) => syncProtocol.writeSyncStep2(e, stored, stateVector))
    } finally {
      stored.destroy()
    }
  }

  private syncStep2For(stateVector: Uint8Array): Uint8Array {
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

  /**
   * A writer's update, judged before anything is applied: what the writer may send is applied,
   * what builds on content still to come waits for it (bounded), the rest is refused. After an
   * update applies, the writer's waiting updates are judged again, in order.
   */
  write(peer: Peer, update: Uint8Array, { locked = false, resend = false } = {}): WriteOutcome {
    const after = peer.barrier
    const outcome = this.judgeAndApply(peer, update, locked, resend, after)
    if (outcome.kind === 'locked') {
      peer.lockRefused = true
      this.awaitingAck.delete(peer)
    } else if (outcome.kind === 'held') this.hold(peer, update, resend)
    else if (outcome.kind === 'applied') this.retryHeld(peer)
    else if (outcome.kind === 'refused') this.refuse(peer, outcome, after)
    return outcome
  }

  private judgeAndApply(
    peer: Peer,
    update: Uint8Array,
    locked: boolean,
    resend: boolean,
    after: number,
  ): WriteOutcome {
    const writer = peer.writer
    if (!writer) return { kind: 'refused', code: ErrorCode.ReadOnly, root: this.name }
    const verdict = judgeUpdate(this.doc, this.owners, writer, update, { resend })
    // a reconnecting peer's step 2 repeats what we hold: only a real change meets the lock
    if (locked && (verdict.kind === 'apply' || verdict.kind === 'wait')) return { kind: 'locked' }
    if (verdict.kind === 'wait') return { kind: 'held' }
    if (verdict.kind === 'refuse')
      return { kind: 'refused', code: ErrorCode.Forbidden, root: verdict.root }
    if (verdict.foreign) {
      this.deps.log.warn('relay.foreign_content_cut', {
        workshop: this.workshopId,
        doc: this.name,
        clients: verdict.foreign,
      })
      this.tellDiverged(peer)
    }
    if (verdict.kind === 'nothing') return { kind: 'nothing' }
    if (
      this.deps.usage.bytes + this.queuedBytes + verdict.update.length >
      (this.deps.quotaBytes ?? WORKSHOP_QUOTA_BYTES)
    ) {
      return { kind: 'refused', code: ErrorCode.QuotaExceeded, root: this.name }
    }
    this.owners.claim(verdict.claims, writer.principal)
    // copies of the cards it deletes, taken while they still hold their content
    const deleted = verdict.deletedCards.flatMap((id) => {
      const map = cardMap(this.doc, id)
      return map ? [{ id, copy: map.clone() }] : []
    })
    this.applyingClaims = verdict.claims
    try {
      Y.applyUpdate(this.doc, verdict.update, peer)
    } finally {
      this.applyingClaims = []
    }
    // Deletions of clocks the doc does not hold would stay pending and erase future content.
    this.discardPending()
    if (verdict.stampAuthor.length) this.stampAuthor(verdict.stampAuthor, writer.author)
    if (deleted.length || verdict.addedCards.length)
      this.keepTrash(deleted, verdict.addedCards, writer.author)
    // the part of the update the board policy refused was cut: the rest is in, the writer is told
    for (const root of verdict.refused)
      this.refuse(peer, { kind: 'refused', code: ErrorCode.Forbidden, root }, after)
    return { kind: 'applied' }
  }

  /**
   * A deleted card goes to the trash, so a facilitator can put it back; a card that is back on
   * the board (an undo, a restore) leaves it.
   */
  private keepTrash(
    deleted: { id: string; copy: Y.Map<unknown> }[],
    added: string[],
    by: string,
  ): void {
    this.writeAsServer((doc) => {
      const now = this.deps.clock.now()
      for (const { id, copy } of deleted) if (!cardMap(doc, id)) trashCard(doc, copy, id, by, now)
      const trash = boardRoot(doc).trash
      for (const id of added) if (cardMap(doc, id) && trash.has(id)) trash.delete(id)
    })
  }

  /**
   * New cards and tasks name who wrote them; the server, not the client, decides that. A card its
   * deleter puts back (their undo: the same id, from the trash) is still its first author's work.
   */
  private stampAuthor(entries: Y.ID[], author: string): void {
    this.writeAsServer((doc) => {
      const root = boardRoot(doc)
      for (const id of entries) {
        const item = this.itemAt(id)
        if (!item || item.deleted || !(item.content instanceof Y.ContentType)) continue
        const map = item.content.type
        if (!(map instanceof Y.Map)) continue
        const trashed =
          item.parent === root.cards ? root.trash.get(item.parentSub ?? '') : undefined
        const original =
          trashed instanceof Y.Map && trashed.get(TRASH_FIELDS.deletedBy) === author
            ? trashed.get(AUTHOR_FIELD)
            : undefined
        const stamp = typeof original === 'string' ? original : author
        if (map.get(AUTHOR_FIELD) !== stamp) map.set(AUTHOR_FIELD, stamp)
      }
    })
  }

  private itemAt(id: Y.ID): Y.Item | null {
    const structs = this.doc.store.clients.get(id.client)
    if (!structs || id.clock >= Y.getState(this.doc.store, id.client)) return null
    const s = structs[Y.findIndexSS(structs, id.clock)]
    return s instanceof Y.Item ? s : null
  }

  private discardPending(): boolean {
    const store = this.doc.store
    const had = store.pendingDs !== null || store.pendingStructs !== null
    store.pendingDs = null
    store.pendingStructs = null
    return had
  }

  private hold(peer: Peer, update: Uint8Array, resend: boolean): void {
    const list = this.held.get(peer) ?? []
    list.push({ data: update, since: this.deps.clock.now(), resend, after: peer.barrier })
    this.held.set(peer, list)
    let bytes = list.reduce((n, h) => n + h.data.length, 0)
    while (bytes > MAX_HELD_BYTES && list.length) {
      const dropped = list.shift()!
      bytes -= dropped.data.length
      this.refuseHeld(peer, dropped.after)
    }
    if (!list.length) this.held.delete(peer)
    this.armHeldTimer()
  }

  private retryHeld(peer: Peer): void {
    const list = this.held.get(peer)
    if (!list) return
    this.held.delete(peer)
    let progress = true
    let waiting = list
    // Each applied update may complete what the next one builds on.
    while (progress && waiting.length) {
      progress = false
      const still: HeldUpdate[] = []
      for (const h of waiting) {
        const outcome = this.judgeAndApply(peer, h.data, false, h.resend, h.after)
        if (outcome.kind === 'held') still.push(h)
        else if (outcome.kind === 'refused') this.refuse(peer, outcome, h.after)
        else progress = true
      }
      waiting = still
    }
    if (waiting.length) this.held.set(peer, waiting)
    else if (peer.barrier > 0) this.requestAck(peer, peer.barrier)
  }

  private armHeldTimer(): void {
    if (this.heldTimer || !this.held.size || this.closed) return
    const deadline = this.deps.heldDeadlineMs ?? HELD_UPDATE_DEADLINE_MS
    this.heldTimer = setTimeout(() => {
      this.heldTimer = null
      const now = this.deps.clock.now()
      for (const [peer, list] of this.held) {
        const expired = list.filter((h) => now - h.since >= deadline)
        if (!expired.length) continue
        const rest = list.filter((h) => now - h.since < deadline)
        if (rest.length) this.held.set(peer, rest)
        else this.held.delete(peer)
        this.refuseHeld(peer, expired[0]!.after)
      }
      this.armHeldTimer()
    }, deadline)
  }

  /** What a peer sent never became complete: it holds edits we will not have. */
  private refuseHeld(peer: Peer, after: number): void {
    this.deps.log.warn('relay.held_update_refused', { workshop: this.workshopId, doc: this.name })
    this.refuse(peer, { kind: 'refused', code: ErrorCode.Forbidden, root: UNKNOWN_ROOT }, after)
  }

  /**
   * Marks the peer refused and tells it once per kind of refusal; `after`: the peer's last barrier
   * when the refused update came, when known.
   */
  refuse(peer: Peer, outcome: Extract<WriteOutcome, { kind: 'refused' }>, after?: number): void {
    peer.refused = true
    this.awaitingAck.delete(peer)
    this.tellOnce(peer, outcome.code, outcome.root, after)
  }

  /**
   * The peer holds others' content this doc lacks: edits the server relayed and then lost (a
   * crash, a commit that never landed, an owner that lost its lease). Only their writers may
   * send them again, so the peer's copy stays apart until it reloads the doc from the server.
   */
  /**
   * A read-only peer's answer to our sync step 1; nothing of it is applied. Content of its own is
   * a write attempt ('refused': the caller says so, as for any write of it). Others' content or
   * deletions this doc lacks were relayed and then lost (a facilitator's phase change before a
   * crash): its copy diverged, and it is told so, as a writer is.
   */
  judgeReadOnlyAnswer(peer: Peer, update: Uint8Array): 'refused' | 'diverged' | 'nothing' {
    const beyond = beyondDoc(this.doc, this.owners, Y.decodeUpdate(update))
    if (beyond === 'own') return 'refused'
    if (beyond === 'nothing') return 'nothing'
    this.deps.log.warn('relay.read_only_copy_diverged', {
      workshop: this.workshopId,
      doc: this.name,
    })
    this.tellDiverged(peer)
    return 'diverged'
  }

  private tellDiverged(peer: Peer): void {
    this.tellOnce(peer, ErrorCode.Diverged, this.name)
  }

  private tellOnce(peer: Peer, code: ErrorCode, message: string, after?: number): void {
    const key = `${code}:${message}`
    const told = this.toldRefusals.get(peer) ?? new Set<string>()
    if (told.has(key)) return
    told.add(key)
    this.toldRefusals.set(peer, told)
    peer.send(encodeNotice({ code, message, ...(after !== undefined && { after }) }))
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
   * Commits everything applied so far and answers the state at that log position. Rejects while
   * storage is failing, so nobody records a state the log does not hold.
   */
  commitNow(): Promise<{ seq: number; state: Uint8Array }> {
    if (this.failing) return Promise.reject(new StorageFailingError('state not committed'))
    return new Promise((resolve, reject) => {
      this.waiters.push({
        state: true,
        resolve: ({ seq, state }) => resolve({ seq, state: state! }),
        reject,
      })
      this.flush()
    })
  }

  /**
   * The log position once everything applied so far is committed. While storage fails, what the
   * log already holds: the edits not yet committed stay out.
   */
  committedPosition(): Promise<number> {
    if (this.failing) return Promise.resolve(this.lastSeq)
    return this.afterNextCommit()
  }

  private afterNextCommit(): Promise<number> {
    return new Promise((resolve) => {
      this.waiters.push({
        state: false,
        resolve: ({ seq }) => resolve(seq),
        reject: () => resolve(this.lastSeq),
      })
      this.flush()
    })
  }

  requestAck(peer: Peer, barrier: number): void {
    peer.barrier = Math.max(peer.barrier, barrier)
    if (peer.lockRefused || peer.refused) return
    this.awaitingAck.add(peer)
    this.schedule()
  }

  /**
   * Asks peers whose writes were refused during a lock for what they hold and we lack, once per
   * lock; their reply is judged like any write. Peers refused for good are not asked again.
   */
  resyncLockRefused(): void {
    for (const p of this.peers) {
      if (!p.lockRefused) continue
      p.lockRefused = false
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

  /** One turn's work: broadcast what was applied, commit it, then ack it and maybe checkpoint. */
  flush(): void {
    if (this.closed) return
    this.broadcastAwareness()
    this.broadcastReady()
    if (this.retryTimer) return // a retry is pending; it will commit and ack
    this.commit()
  }

  /**
   * Sends the presence that changed since the last time, at most once per AWARENESS_SPACING_MS:
   * pointers of many people moving would otherwise be a frame to every peer per server turn.
   */
  private broadcastAwareness(): void {
    if (!this.changedAwareness.size || this.awarenessTimer) return
    const now = this.deps.clock.now()
    const wait = this.lastAwarenessAt + AWARENESS_SPACING_MS - now
    if (wait > 0) {
      this.awarenessTimer = setTimeout(() => {
        this.awarenessTimer = null
        // its turn came (whatever an injected clock says)
        this.lastAwarenessAt = -Infinity
        this.broadcastAwareness()
      }, wait)
      return
    }
    this.lastAwarenessAt = now
    const ids = [...this.changedAwareness]
    this.changedAwareness.clear()
    const e = encoding.createEncoder()
    encoding.writeVarUint(e, MessageType.Awareness)
    encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids))
    this.broadcast(encoding.toUint8Array(e), null)
  }

  /**
   * Sends peers the queued updates they have not had, in order, except one that claims a client
   * id whose owner is not on disk yet: it goes after its commit, and so does whatever may build
   * on it (later updates of its writer, the server's own writes such as its author stamp).
   * Others' updates cannot build on it: nobody else has it.
   */
  private broadcastReady(): void {
    if (this.unsent === 0) return
    const ready: QueuedUpdate[] = []
    const held = new Set<Peer | null>()
    for (const q of this.queue) {
      if (q.sent) continue
      if (q.claims.length || held.has(q.origin) || (q.origin === null && held.size)) {
        held.add(q.origin)
        continue
      }
      ready.push(q)
    }
    this.sendToPeers(ready)
  }

  private sendToPeers(updates: QueuedUpdate[]): void {
    if (!updates.length) return
    for (const q of updates) q.sent = true
    this.unsent -= updates.length
    this.broadcastUpdates(updates)
  }

  private broadcastUpdates(batch: QueuedUpdate[]): void {
    const origin = batch[0]!.origin
    if (batch.every((q) => q.origin === origin)) {
      const merged = batch.length === 1 ? batch[0]!.data : Y.mergeUpdates(batch.map((q) => q.data))
      this.broadcast(
        syncMessage((e) => syncProtocol.writeUpdate(e, merged)),
        origin,
      )
      return
    }
    // Several writers this turn: peers get the merged turn; writers get their own back too,
    // which Yjs ignores; cheaper than merging once per writer.
    const merged = Y.mergeUpdates(batch.map((q) => q.data))
    this.broadcast(
      syncMessage((e) => syncProtocol.writeUpdate(e, merged)),
      null,
    )
  }

  /**
   * Starts a commit of everything applied so far, unless one is in flight (its end starts the
   * next) or a retry is pending. Nothing to write: whoever waits is answered now, since the doc
   * then holds exactly what is committed.
   */
  private commit(): void {
    if (this.closed || this.inFlight || this.retryTimer || this.spacingTimer) return
    const now = this.deps.clock.now()
    const wait = this.lastCommitAt + COMMIT_SPACING_MS - now
    if (this.queue.length && wait > 0) {
      this.spacingTimer = setTimeout(() => {
        this.spacingTimer = null
        // its turn came (whatever an injected clock says)
        this.lastCommitAt = -Infinity
        this.commit()
      }, wait)
      return
    }
    const cut = this.takeCut()
    if (!cut.batch.length) {
      this.settle(cut, this.lastSeq)
      this.maybeCheckpoint()
      this.maybeIdle()
      return
    }
    this.lastCommitAt = now
    const rows: LoggedUpdate[] = cut.batch.map((q) => ({
      workshopId: this.workshopId,
      doc: this.name,
      time: q.time,
      participantId: q.origin?.participantId ?? null,
      data: q.data,
    }))
    let started: Promise<Map<string, number>>
    try {
      started = this.deps.store.appendUpdates(rows)
    } catch (err) {
      started = Promise.reject(err as Error)
    }
    this.inFlight = started.then(
      (last) => {
        this.inFlight = null
        this.committed(cut, last)
      },
      (err: unknown) => {
        this.inFlight = null
        this.commitFailed(cut, err)
      },
    )
  }

  private takeCut(): Cut {
    const batch = this.queue.slice()
    const waiters = this.waiters
    this.waiters = []
    const acks: Cut['acks'] = []
    // an update of a peer that still waits for what it builds on: its barrier covers that too
    for (const p of this.awaitingAck)
      if (!this.held.has(p)) acks.push({ peer: p, barrier: p.barrier })
    const syncs = this.syncAfterCommit.map((s) => ({
      ...s,
      answer: this.syncStep2For(s.stateVector),
    }))
    this.syncAfterCommit = []
    return {
      batch,
      syncs,
      acks,
      sv: acks.length ? Y.encodeStateVector(this.doc) : null,
      waiters,
      state: waiters.some((w) => w.state) ? Y.encodeStateAsUpdate(this.doc) : null,
    }
  }

  private committed(cut: Cut, last: Map<string, number>): void {
    if (this.closed) {
      // discarded while the store worked (the workshop is being deleted): nobody is told "saved"
      this.rejectAll(cut.waiters, new WorkshopGoneError(this.workshopId))
      return
    }
    this.lastSeq = last.values().next().value ?? this.lastSeq
    for (const q of cut.batch) for (const c of q.claims) this.durableClients.add(c)
    // what waited on its claim's commit goes now, before anything applied after it
    this.sendToPeers(cut.batch.filter((q) => !q.sent))
    this.queue = this.queue.slice(cut.batch.length)
    for (const q of this.queue) q.claims = q.claims.filter((c) => !this.durableClients.has(c))
    this.sinceCheckpoint += cut.batch.length
    const bytes = batchBytes(cut.batch)
    this.queuedBytes -= bytes
    this.deps.usage.bytes += bytes
    if (this.failing) this.recovered()
    this.broadcastReady()
    this.deps.onCommit?.(this)
    this.settle(cut, this.lastSeq)
    // what arrived meanwhile is the next batch; waiters that came meanwhile are answered by it
    if (
      this.queue.length ||
      this.waiters.length ||
      this.syncAfterCommit.length ||
      this.awaitingAck.size
    )
      this.commit()
    this.maybeCheckpoint()
    this.maybeIdle()
  }

  /** The cut is on disk (or had nothing to write): its answers, acks and waiters go out. */
  private settle(cut: Cut, seq: number): void {
    for (const { peer, answer } of cut.syncs) if (this.peers.has(peer)) peer.send(answer)
    for (const { peer, barrier } of cut.acks) {
      // refused or gone meanwhile: never told "saved" again on this socket
      if (!this.awaitingAck.has(peer)) continue
      peer.send(encodeDurableAck(barrier, cut.sv!))
      // a later barrier came meanwhile: the next commit covers it
      if (peer.barrier === barrier) this.awaitingAck.delete(peer)
    }
    for (const w of cut.waiters) w.resolve({ seq, state: cut.state })
  }

  private commitFailed(cut: Cut, err: unknown): void {
    if (err instanceof NotOwnerError) {
      // never retried here: the new owner has the log, and the writers re-send what is unacked
      this.deps.log.warn('cluster.not_owner', { workshop: this.workshopId, doc: this.name })
      this.rejectAll([...cut.waiters, ...this.waiters], new StorageFailingError('moved'))
      this.waiters = []
      this.deps.onNotOwner?.(this)
      return
    }
    // Nothing is dropped: the queue stays in memory and is retried; no ack goes out meanwhile.
    const failure = new StorageFailingError('state not committed')
    this.rejectAll([...cut.waiters, ...this.waiters], failure)
    this.waiters = []
    if (this.closed) return
    this.syncAfterCommit = [
      ...cut.syncs.map(({ peer, stateVector }) => ({ peer, stateVector })),
      ...this.syncAfterCommit,
    ]
    this.storageFailed(err)
  }

  private rejectAll(waiters: Waiter[], err: Error): void {
    for (const w of waiters) w.reject(err)
  }

  private storageFailed(err: unknown): void {
    const code = (err as { code?: string }).code ?? 'unknown'
    if (!this.failing) {
      this.failing = true
      this.deps.log.error('storage.commit_failed', {
        workshop: this.workshopId,
        doc: this.name,
        code,
      })
      const notice = encodeNotice({ code: ErrorCode.StorageFailed, message: code })
      for (const p of this.peers) if (!p.readOnly) p.send(notice)
    }
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
    if (this.failing || this.queue.length || this.inFlight || this.checkpointing) return
    if (this.sinceCheckpoint === 0) return
    const every = this.deps.checkpointEveryUpdates ?? CHECKPOINT_EVERY_UPDATES
    const everyMs = this.deps.checkpointEveryMs ?? CHECKPOINT_EVERY_MS
    const now = this.deps.clock.now()
    if (!force && this.sinceCheckpoint < every && now - this.lastCheckpointAt < everyMs) return
    // a checkpoint must never carry a pending delete set (it would apply to future content)
    if (this.discardPending())
      this.deps.log.warn('room.discarded_pending', { workshop: this.workshopId, doc: this.name })
    // encoded now: with nothing queued nor in flight the doc is exactly the log up to lastSeq
    const covered = this.sinceCheckpoint
    const state = Y.encodeStateAsUpdate(this.doc)
    this.sinceCheckpoint = 0
    this.lastCheckpointAt = now
    let write: Promise<void>
    try {
      write = this.deps.store.writeCheckpoint(this.workshopId, this.name, this.lastSeq, now, state)
    } catch (err) {
      write = Promise.reject(err as Error)
    }
    const done = write.then(
      () => {},
      (err: unknown) => {
        // A missed checkpoint costs load time only; the log still holds every update.
        this.sinceCheckpoint += covered
        this.deps.log.warn('storage.checkpoint_failed', {
          workshop: this.workshopId,
          code: String((err as { code?: string }).code),
        })
      },
    )
    this.checkpointing = done.then(() => {
      this.checkpointing = null
    })
    this.deps.background?.(this.checkpointing)
  }

  private maybeIdle(): void {
    if (this.peers.size || this.queue.length || this.inFlight || this.closed) return
    if (this.waiters.length || this.syncAfterCommit.length) return
    this.maybeCheckpoint(true)
    this.deps.onIdle(this)
  }

  /** The store calls this room started and has not answered yet (a commit, a checkpoint). */
  settled(): Promise<void> {
    return Promise.all([this.inFlight, this.checkpointing]).then(() => {})
  }

  /**
   * Commits what is applied, for shutdown: one more attempt right away if storage was failing.
   * Whatever still fails stays unacked; its writers re-send it to the next server.
   */
  async drain(): Promise<void> {
    for (let attempt = 0; attempt < 3 && !this.closed; attempt++) {
      if (!this.queue.length && !this.inFlight) break
      if (this.retryTimer) {
        clearTimeout(this.retryTimer)
        this.retryTimer = null
      }
      await this.afterNextCommit()
      if (this.failing) break
    }
    await this.settled()
  }

  /** Drops the room without writing anything more (its workshop was deleted). */
  discard(code: number, reason: string): void {
    this.queue = []
    this.unsent = 0
    this.queuedBytes = 0
    for (const p of this.peers) p.close(code, reason)
    this.close(new WorkshopGoneError(this.workshopId))
  }

  /**
   * Stops timers and frees the doc; writes not yet committed stay out (see drain). Whoever still
   * waits on a commit is told why there will be none.
   */
  close(why: Error = new ServerStoppingError()): void {
    if (this.closed) return
    this.closed = true
    if (this.retryTimer) clearTimeout(this.retryTimer)
    if (this.spacingTimer) clearTimeout(this.spacingTimer)
    if (this.awarenessTimer) clearTimeout(this.awarenessTimer)
    if (this.heldTimer) clearTimeout(this.heldTimer)
    this.rejectAll(this.waiters, why)
    this.waiters = []
    this.awareness.destroy()
    this.doc.destroy()
  }
}
