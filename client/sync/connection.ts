/**
 * One workshop's live connection: the board and control docs, each over its own y-websocket room,
 * with Stip's hello / welcome / durable-ack messages. Framework-free so Node tests use it too.
 */
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { ObservableV2 } from 'lib0/observable'
import type * as decoding from 'lib0/decoding'
import { SaveTracker } from '../../shared/ack.ts'
import {
  CloseCode,
  type Credential,
  DocName,
  ErrorCode,
  MessageType,
  type Notice,
  type Welcome,
  roomName,
} from '../../shared/protocol.ts'
import {
  CLIENT_DEAD_AFTER_MS,
  CLIENT_HEARTBEAT_TICK_MS,
  CLIENT_PING_AFTER_MS,
} from '../../shared/limits.ts'
import { schemaTooNew } from '../../shared/migrations.ts'
import { changedAnything, localUpdates } from './localUpdates.ts'
import {
  encodeHello,
  encodePing,
  encodeSaveBarrier,
  readDurableAck,
  readNotice,
  readWelcome,
} from '../../shared/wire.ts'

export interface OfflineCache {
  whenSynced: Promise<unknown>
  /** The origin of the transactions in which the cache applies what it holds to the doc. */
  origin: unknown
  destroy(): Promise<void> | void
  /** Deletes what the cache holds (y-indexeddb's clearData). */
  clearData?(): Promise<void>
}

/**
 * `retry`: why the server closed the last socket when it asked us to come back (a fault, a
 * restart, a slow link); null after our own close or a plain network drop. `refusedEdit`: the
 * server refused an edit of ours, so what we hold is not saved until the person discards it.
 */
export type LinkStatus =
  | { kind: 'connecting'; retry: ErrorCode | null }
  | { kind: 'live'; saved: boolean; readOnly: boolean; refusedEdit: boolean }
  | { kind: 'offline'; saved: boolean; retry: ErrorCode | null }
  | { kind: 'refused'; code: ErrorCode }

export interface HeartbeatOptions {
  pingAfterMs: number
  deadAfterMs: number
  tickMs: number
}
export const DEFAULT_CLIENT_HEARTBEAT: HeartbeatOptions = {
  pingAfterMs: CLIENT_PING_AFTER_MS,
  deadAfterMs: CLIENT_DEAD_AFTER_MS,
  tickMs: CLIENT_HEARTBEAT_TICK_MS,
}

export interface ConnectionOptions {
  /** e.g. `ws://localhost:8080/ws` */
  serverUrl: string
  workshopId: string
  credential: Credential
  WebSocketPolyfill?: typeof WebSocket
  /** Offline cache per doc (y-indexeddb in the browser); absent in Node tests. */
  /** `remoteOrigin`: the origin of updates that came from the server (the provider). */
  offlineCache?: (doc: Y.Doc, name: string, remoteOrigin: unknown) => OfflineCache
  connect?: boolean
  /** Liveness check timings; tests may shorten them. */
  heartbeat?: HeartbeatOptions
}

/** Final closes: the same request cannot succeed, so the provider must not reconnect. */
const FINAL_CLOSES: Record<number, ErrorCode> = {
  [CloseCode.BadMessage]: ErrorCode.BadMessage,
  [CloseCode.Unauthorized]: ErrorCode.Unauthorized,
  [CloseCode.RoomNotFound]: ErrorCode.WorkshopNotFound,
  [CloseCode.AuthTimeout]: ErrorCode.AuthTimeout,
  [CloseCode.WorkshopDeleted]: ErrorCode.WorkshopNotFound,
  [CloseCode.VersionMismatch]: ErrorCode.VersionMismatch,
  // reconnecting would send the same too-large update again
  [CloseCode.MessageTooBig]: ErrorCode.TooLarge,
}
/** Closes after which the client comes back, and what it shows meanwhile. */
const RETRY_CLOSES: Record<number, ErrorCode> = {
  [CloseCode.InternalError]: ErrorCode.Internal,
  [CloseCode.ServerRestart]: ErrorCode.ServerRestart,
  [CloseCode.SlowConsumer]: ErrorCode.SlowConsumer,
  // too many join attempts or sync requests: coming back later is what the limit asks for
  [CloseCode.RateLimited]: ErrorCode.RateLimited,
}

export type CloseMeaning =
  { final: true; error: ErrorCode } | { final: false; error: ErrorCode | null }

/**
 * What a server's close code means here. Only 44xx (and 1009) are final; a 44xx this tab does not
 * know comes from a newer server, so the advice is to reload. Everything else is retried.
 */
export function closeMeaning(code: number): CloseMeaning {
  const final = FINAL_CLOSES[code]
  if (final) return { final: true, error: final }
  const retry = RETRY_CLOSES[code]
  if (retry) return { final: false, error: retry }
  if (code >= 4400 && code < 4500) return { final: true, error: ErrorCode.VersionMismatch }
  return { final: false, error: RETRY_CLOSES[code] ?? null }
}

type MessageHandler = (
  encoder: unknown,
  decoder: decoding.Decoder,
  provider: WebsocketProvider,
  emitSynced: boolean,
  messageType: number,
) => void

export class DocLink extends ObservableV2<{ change: () => void; notice: (n: Notice) => void }> {
  readonly doc = new Y.Doc()
  readonly provider: WebsocketProvider
  readonly tracker = new SaveTracker()
  /** Committed state vector from the last durable ack (tests compare it). */
  ackedStateVector = new Map<number, number>()
  welcome: Welcome | null = null
  /** From the last Welcome, kept while offline: a read-only link has nothing of its own to save. */
  private readOnly = false
  private everLive = false
  private refused: ErrorCode | null = null
  private retry: ErrorCode | null = null
  private refusedEdit = false
  /** The server said this copy holds others' edits it lost (ErrorCode.Diverged). */
  diverged = false
  private pingSentAt: number | null = null
  private readonly heartbeat: ReturnType<typeof setInterval>
  private readonly cache: OfflineCache | null

  constructor(
    readonly name: DocName,
    opts: ConnectionOptions,
  ) {
    super()
    const wsOpts: ConstructorParameters<typeof WebsocketProvider>[3] = {
      connect: false,
      disableBc: true,
    }
    if (opts.WebSocketPolyfill) wsOpts.WebSocketPolyfill = opts.WebSocketPolyfill
    wsOpts.shouldReconnect = (event) => !closeMeaning(event.code).final
    this.provider = new WebsocketProvider(
      opts.serverUrl,
      roomName(opts.workshopId, name),
      this.doc,
      wsOpts,
    )
    // The stock provider sends on every awareness change it hears, others' too: with 30 people
    // moving their pointers each tab sent 600 messages a second, which the server drops anyway
    // (it keeps only a socket's own state: server/relay/awareness-filter.ts). Only ours go out.
    const provider = this.provider
    const sendAwareness = provider._awarenessUpdateHandler
    provider.awareness.off('update', sendAwareness)
    provider._awarenessUpdateHandler = (changes, origin) => {
      if (origin !== provider) sendAwareness(changes, origin)
    }
    provider.awareness.on('update', provider._awarenessUpdateHandler)
    // the provider hears the doc's own edits through the gate, so the server's go unencoded
    const updates = localUpdates(this.doc, provider)
    this.doc.off('update', provider._updateHandler)
    updates.on(provider._updateHandler)
    const handlers = this.provider.messageHandlers as unknown as MessageHandler[]
    handlers[MessageType.Welcome] = (_e, d) => {
      this.welcome = readWelcome(d)
      this.readOnly = this.welcome.readOnly
      this.emit('change', [])
    }
    handlers[MessageType.DurableAck] = (_e, d) => {
      const { barrier, stateVector } = readDurableAck(d)
      this.tracker.ack(barrier)
      this.ackedStateVector = stateVector
      this.emit('change', [])
    }
    handlers[MessageType.Notice] = (_e, d) => {
      const notice = readNotice(d)
      if (notice.code === ErrorCode.Forbidden) this.refusedEdit = true
      if (notice.code === ErrorCode.Diverged) this.diverged = true
      this.emit('notice', [notice])
      this.emit('change', [])
    }
    // any message counts as an answer (the provider records when it last heard anything)
    handlers[MessageType.Pong] = () => {}
    // 'connected' is emitted before the provider sends sync step 1, so Hello is the first message.
    this.provider.on('status', ({ status }) => {
      if (status === 'connected') {
        this.provider.ws?.send(encodeHello(opts.credential))
        this.renewPresence()
      }
      if (status === 'disconnected') this.welcome = null
      this.pingSentAt = null
      this.emit('change', [])
    })
    // event is null when we closed the socket ourselves
    this.provider.on('connection-close', (event) => {
      this.retry = event ? closeMeaning(event.code).error : null
    })
    // The server's sync step 2 arrives after our reply to its step 1, which carried our offline
    // edits; a barrier sent now therefore covers them.
    this.provider.on('sync', (synced: boolean) => {
      if (synced) {
        this.everLive = true
        this.retry = null
        this.sendBarrier(this.tracker.latest)
      }
      this.emit('change', [])
    })
    this.provider.on('closed', ({ code }) => {
      this.refused = closeMeaning(code).error
      this.emit('change', [])
    })
    const hb = opts.heartbeat ?? DEFAULT_CLIENT_HEARTBEAT
    this.heartbeat = setInterval(() => this.checkAlive(hb), hb.tickMs)
    this.doc.on('afterTransaction', (tr: Y.Transaction) => {
      if (tr.origin !== provider || !changedAnything(tr)) return
      if (this.refused === null && schemaTooNew(name, this.doc)) this.stopForNewerVersion()
    })
    // Registered after the provider's own update handler, so the barrier follows the update.
    updates.on(() => {
      this.sendBarrier(this.tracker.edit())
      this.emit('change', [])
    })
    this.cache = opts.offlineCache
      ? opts.offlineCache(this.doc, `stip:${opts.workshopId}:${name}`, this.provider)
      : null
    // The cache's replay is the whole board on every reopen, and nobody needs its bytes: the
    // socket opens only once the cache was read, and our reply to the server's sync step 1 then
    // carries whatever of it the server lacks (the cache does not store what it read itself). It
    // still counts as an edit: it may hold offline work, unsaved until the server acks it.
    const cache = this.cache
    if (cache) {
      updates.quiet(cache.origin)
      this.doc.on('afterTransaction', (tr: Y.Transaction) => {
        if (tr.origin !== cache.origin || !changedAnything(tr)) return
        this.sendBarrier(this.tracker.edit())
        this.emit('change', [])
      })
    }
    const start = () => {
      if (opts.connect !== false) this.provider.connect()
    }
    if (this.cache) void this.cache.whenSynced.then(start, start)
    else start()
  }

  /**
   * A browser cannot see a half-open connection (a Wi-Fi drop): the socket stays open and sends
   * go nowhere. So when nothing came in for a while we ping, and a ping without any answer means
   * the link is dead: drop the socket (the status goes offline) and connect again.
   */
  private checkAlive(hb: HeartbeatOptions): void {
    const ws = this.provider.ws
    if (!this.provider.wsconnected || !ws || ws.readyState !== ws.OPEN) return
    const now = Date.now()
    const heard = this.provider.wsLastMessageReceived
    if (this.pingSentAt !== null && heard < this.pingSentAt) {
      if (now - this.pingSentAt < hb.deadAfterMs - hb.pingAfterMs) return
      this.pingSentAt = null
      this.provider.disconnect()
      this.provider.connect()
      return
    }
    this.pingSentAt = null
    if (now - heard >= hb.pingAfterMs) {
      this.pingSentAt = now
      ws.send(encodePing())
    }
  }

  /**
   * When our last socket closed, the server dropped our presence, which counts as one clock step
   * newer than our last state; a state that is not newer is ignored (y-protocols awareness), so
   * others would not see us until the 15 s renewal. Two steps make ours newer at once.
   */
  private renewPresence(): void {
    const awareness = this.provider.awareness
    const state = awareness.getLocalState()
    if (state === null) return
    awareness.setLocalState(state)
    awareness.setLocalState(state)
  }

  /** The doc is of a layout newer than this tab knows: writing to it could lose data. */
  private stopForNewerVersion(): void {
    this.refused = ErrorCode.VersionMismatch
    this.provider.disconnect()
    this.emit('change', [])
  }

  /**
   * Throws away what this device holds of the doc that the server does not: the offline cache
   * is cleared and the socket closed; the caller reloads, so the doc comes back as the server's.
   */
  async discardLocal(): Promise<void> {
    this.provider.disconnect()
    await this.cache?.clearData?.()
  }

  /**
   * Ends a divergence: once the server has everything of ours it can take (saved, or refused
   * for good), what this device holds is thrown away ({@link discardLocal}), so the caller's
   * reload shows the doc as the server has it. Our own edits are not lost: they are saved first.
   */
  async resolveDivergence(): Promise<void> {
    await new Promise<void>((resolve) => {
      const check = () => {
        const s = this.status
        const done = s.kind === 'refused' || (s.kind === 'live' && (s.saved || s.refusedEdit))
        if (!done) return
        this.off('change', check)
        resolve()
      }
      this.on('change', check)
      check()
    })
    await this.discardLocal()
  }

  private sendBarrier(barrier: number): void {
    const ws = this.provider.ws
    if (barrier > 0 && this.provider.synced && ws && ws.readyState === ws.OPEN)
      ws.send(encodeSaveBarrier(barrier))
  }

  get status(): LinkStatus {
    if (this.refused) return { kind: 'refused', code: this.refused }
    const retry = this.retry
    // Updates the offline cache replays count as edits (they may hold unsaved offline work), but
    // the server never acks a read-only link (a participant's control doc), so it is never unsaved.
    const saved = this.readOnly || this.tracker.saved
    if (this.provider.wsconnected && this.provider.synced && this.welcome) {
      return {
        kind: 'live',
        saved,
        readOnly: this.welcome.readOnly,
        refusedEdit: this.refusedEdit && !saved,
      }
    }
    if (this.everLive) return { kind: 'offline', saved, retry }
    return { kind: 'connecting', retry }
  }

  override destroy(): void {
    clearInterval(this.heartbeat)
    this.provider.destroy()
    void this.cache?.destroy()
    this.doc.destroy()
    super.destroy()
  }
}

/**
 * The status a person sees: the worse of the two docs' states, and saved only when both are.
 * (Each doc's socket notices a dropped connection on its own, so one can be live and one offline.)
 */
export function combineStatus(a: LinkStatus, b: LinkStatus): LinkStatus {
  const rank = { refused: 0, offline: 1, connecting: 2, live: 3 } as const
  const worse = rank[a.kind] <= rank[b.kind] ? a : b
  const savedOf = (s: LinkStatus) => (s.kind === 'live' || s.kind === 'offline' ? s.saved : true)
  const saved = savedOf(a) && savedOf(b)
  const retryOf = (s: LinkStatus) =>
    s.kind === 'offline' || s.kind === 'connecting' ? s.retry : null
  switch (worse.kind) {
    case 'live': {
      const both = a.kind === 'live' && b.kind === 'live'
      return {
        kind: 'live',
        saved,
        readOnly: both && a.readOnly && b.readOnly,
        refusedEdit: both && (a.refusedEdit || b.refusedEdit),
      }
    }
    case 'offline':
      return { kind: 'offline', saved, retry: retryOf(a) ?? retryOf(b) }
    default:
      return worse
  }
}

/** Notices kept for a screen still loading; more than this and the oldest go. */
const MAX_UNHEARD_NOTICES = 8

export class WorkshopConnection extends ObservableV2<{
  change: () => void
  notice: (n: Notice, doc: DocName) => void
}> {
  readonly boardLink: DocLink
  readonly controlLink: DocLink
  /**
   * Notices that arrived while nobody listened: the board's screen is its own chunk, fetched
   * while the sockets open, so a refusal of the offline cache's replay can come before the toasts
   * are there to show it. The first listener takes them ({@link takeUnheardNotices}).
   */
  private unheard: [Notice, DocName][] = []

  constructor(readonly opts: ConnectionOptions) {
    super()
    this.boardLink = new DocLink(DocName.Board, opts)
    this.controlLink = new DocLink(DocName.Control, opts)
    for (const link of [this.boardLink, this.controlLink]) {
      link.on('change', () => this.emit('change', []))
      link.on('notice', (n) => {
        if (this._observers.get('notice')?.size) this.emit('notice', [n, link.name])
        // bounded: a connection nobody shows notices for (a test harness) does not grow
        else this.unheard = [...this.unheard.slice(-(MAX_UNHEARD_NOTICES - 1)), [n, link.name]]
      })
    }
  }

  /** The notices nobody has heard yet, oldest first; they are handed out once. */
  takeUnheardNotices(): [Notice, DocName][] {
    const list = this.unheard
    this.unheard = []
    return list
  }

  get board(): Y.Doc {
    return this.boardLink.doc
  }
  get control(): Y.Doc {
    return this.controlLink.doc
  }
  get awareness() {
    return this.boardLink.provider.awareness
  }
  get welcome(): Welcome | null {
    return this.boardLink.welcome
  }
  get status(): LinkStatus {
    return combineStatus(this.boardLink.status, this.controlLink.status)
  }

  link(name: DocName): DocLink {
    return name === DocName.Board ? this.boardLink : this.controlLink
  }

  connect(): void {
    this.boardLink.provider.connect()
    this.controlLink.provider.connect()
  }
  disconnect(): void {
    this.boardLink.provider.disconnect()
    this.controlLink.provider.disconnect()
  }

  override destroy(): void {
    this.boardLink.destroy()
    this.controlLink.destroy()
    super.destroy()
  }
}
