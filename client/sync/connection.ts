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
  encodeHello,
  encodeSaveBarrier,
  readDurableAck,
  readNotice,
  readWelcome,
} from '../../shared/wire.ts'

export interface OfflineCache {
  whenSynced: Promise<unknown>
  destroy(): Promise<void> | void
}

export type LinkStatus =
  | { kind: 'connecting' }
  | { kind: 'live'; saved: boolean; readOnly: boolean }
  | { kind: 'offline'; saved: boolean }
  | { kind: 'refused'; code: ErrorCode }

export interface ConnectionOptions {
  /** e.g. `ws://localhost:8080/ws` */
  serverUrl: string
  workshopId: string
  credential: Credential
  WebSocketPolyfill?: typeof WebSocket
  /** Offline cache per doc (y-indexeddb in the browser); absent in Node tests. */
  offlineCache?: (doc: Y.Doc, name: string) => OfflineCache
  connect?: boolean
}

const closeToError: Record<number, ErrorCode> = {
  [CloseCode.Unauthorized]: ErrorCode.Unauthorized,
  [CloseCode.Forbidden]: ErrorCode.Forbidden,
  [CloseCode.RoomNotFound]: ErrorCode.WorkshopNotFound,
  [CloseCode.WorkshopDeleted]: ErrorCode.WorkshopNotFound,
  [CloseCode.BadMessage]: ErrorCode.BadMessage,
  [CloseCode.TooLarge]: ErrorCode.TooLarge,
  [CloseCode.AuthTimeout]: ErrorCode.AuthTimeout,
  [CloseCode.RateLimited]: ErrorCode.RateLimited,
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
    this.provider = new WebsocketProvider(opts.serverUrl, roomName(opts.workshopId, name), this.doc, wsOpts)
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
      this.emit('notice', [readNotice(d)])
    }
    // 'connected' is emitted before the provider sends sync step 1, so Hello is the first message.
    this.provider.on('status', ({ status }) => {
      if (status === 'connected') this.provider.ws?.send(encodeHello(opts.credential))
      if (status === 'disconnected') this.welcome = null
      this.emit('change', [])
    })
    // The server's sync step 2 arrives after our reply to its step 1, which carried our offline
    // edits; a barrier sent now therefore covers them.
    this.provider.on('sync', (synced: boolean) => {
      if (synced) {
        this.everLive = true
        this.sendBarrier(this.tracker.latest)
      }
      this.emit('change', [])
    })
    this.provider.on('closed', ({ code }) => {
      this.refused = closeToError[code] ?? ErrorCode.Forbidden
      this.emit('change', [])
    })
    // Registered after the provider's own update handler, so the barrier follows the update.
    this.doc.on('update', (_update: Uint8Array, origin: unknown) => {
      if (origin === this.provider) return
      this.sendBarrier(this.tracker.edit())
      this.emit('change', [])
    })
    this.cache = opts.offlineCache ? opts.offlineCache(this.doc, `stip:${opts.workshopId}:${name}`) : null
    const start = () => {
      if (opts.connect !== false) this.provider.connect()
    }
    if (this.cache) void this.cache.whenSynced.then(start, start)
    else start()
  }

  private sendBarrier(barrier: number): void {
    const ws = this.provider.ws
    if (barrier > 0 && this.provider.synced && ws && ws.readyState === ws.OPEN) ws.send(encodeSaveBarrier(barrier))
  }

  get status(): LinkStatus {
    if (this.refused) return { kind: 'refused', code: this.refused }
    // Updates the offline cache replays count as edits (they may hold unsaved offline work), but
    // the server never acks a read-only link (a participant's control doc), so it is never unsaved.
    const saved = this.readOnly || this.tracker.saved
    if (this.provider.wsconnected && this.provider.synced && this.welcome) {
      return { kind: 'live', saved, readOnly: this.welcome.readOnly }
    }
    if (this.everLive) return { kind: 'offline', saved }
    return { kind: 'connecting' }
  }

  override destroy(): void {
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
  switch (worse.kind) {
    case 'live':
      return { kind: 'live', saved, readOnly: a.kind === 'live' && b.kind === 'live' && a.readOnly && b.readOnly }
    case 'offline':
      return { kind: 'offline', saved }
    default:
      return worse
  }
}

export class WorkshopConnection extends ObservableV2<{ change: () => void; notice: (n: Notice) => void }> {
  readonly boardLink: DocLink
  readonly controlLink: DocLink

  constructor(readonly opts: ConnectionOptions) {
    super()
    this.boardLink = new DocLink(DocName.Board, opts)
    this.controlLink = new DocLink(DocName.Control, opts)
    for (const link of [this.boardLink, this.controlLink]) {
      link.on('change', () => this.emit('change', []))
      link.on('notice', (n) => this.emit('notice', [n]))
    }
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
