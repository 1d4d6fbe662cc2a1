/**
 * A board client at the protocol level: a raw socket plus the Y.Doc it holds, for tests that must
 * control exactly which sync message goes out when (hand-built updates, step 2 before or after a
 * live update, no step 2 at all). It records everything the server tells it, so tests can count
 * sync requests, notices and acks.
 */
import * as Y from 'yjs'
import * as decoding from 'lib0/decoding'
import { ObservableV2 } from 'lib0/observable'
import * as syncProtocol from 'y-protocols/sync'
import { type Credential, MessageType, type Notice, type Welcome } from '../../shared/protocol.ts'
import {
  encodeHello,
  encodeSaveBarrier,
  readDurableAck,
  readNotice,
  readWelcome,
} from '../../shared/wire.ts'
import { syncStep1, syncUpdate } from '../fault/frames.ts'
import { openRaw, type RawSocket } from './raw.ts'
import { until } from './wait.ts'

/** Origin of updates this peer received from the server: never echoed back. */
const FROM_SERVER = Symbol('from-server')

export interface WirePeerOptions {
  /** The doc to continue with (a client that held edits before it reconnected). */
  doc?: Y.Doc
  /**
   * Answer the server's sync step 1 with the step 2 a stock provider sends (what we hold that the
   * server lacks). Off: the test answers itself, when it wants.
   */
  answerStep1?: boolean
  /** Send our own step 1 right after the hello, as the stock provider does. */
  sendStep1?: boolean
}

export class WirePeer extends ObservableV2<{ change: () => void }> {
  readonly doc: Y.Doc
  welcome: Welcome | null = null
  readonly notices: Notice[] = []
  /** The state vectors of the server's sync step 1 requests, in arrival order. */
  readonly step1s: Map<number, number>[] = []
  /** Barriers the server acked, in arrival order. */
  readonly acks: number[] = []
  /** Yjs client ids seen in awareness. */
  readonly awarenessIds = new Set<number>()
  /** Updates (sync update messages) the server relayed to us, as received. */
  readonly relayed: Uint8Array[] = []
  answerStep1: boolean
  closed: { code: number; reason: string } | null = null
  private step2sReceived = 0
  private step1sSent = 0
  private barriers = 0

  private constructor(
    readonly raw: RawSocket,
    opts: WirePeerOptions,
  ) {
    super()
    this.doc = opts.doc ?? new Y.Doc()
    this.answerStep1 = opts.answerStep1 ?? true
    raw.ws.on('message', (data: Buffer) => this.receive(new Uint8Array(data)))
    void raw.closed.then((c) => {
      this.closed = c
      this.emit('change', [])
    })
  }

  static async open(
    url: string,
    credential: Credential,
    opts: WirePeerOptions = {},
  ): Promise<WirePeer> {
    const raw = await openRaw(url)
    const peer = new WirePeer(raw, opts)
    raw.send(encodeHello(credential))
    if (opts.sendStep1 ?? true) peer.sendStep1()
    return peer
  }

  /** Opens and waits until this peer holds the server's state and the server asked for ours. */
  static async synced(
    url: string,
    credential: Credential,
    opts: WirePeerOptions = {},
  ): Promise<WirePeer> {
    const peer = await WirePeer.open(url, credential, { ...opts, sendStep1: true })
    await peer.waitFor('synced', () => peer.step2sReceived >= 1 && peer.step1s.length >= 1)
    return peer
  }

  private receive(bytes: Uint8Array): void {
    const d = decoding.createDecoder(bytes)
    switch (decoding.readVarUint(d)) {
      case MessageType.Welcome:
        this.welcome = readWelcome(d)
        break
      case MessageType.Notice:
        this.notices.push(readNotice(d))
        break
      case MessageType.DurableAck:
        this.acks.push(readDurableAck(d).barrier)
        break
      case MessageType.Awareness: {
        const u = decoding.createDecoder(decoding.readVarUint8Array(d))
        const count = decoding.readVarUint(u)
        for (let i = 0; i < count; i++) {
          this.awarenessIds.add(decoding.readVarUint(u))
          decoding.readVarUint(u)
          decoding.readVarString(u)
        }
        break
      }
      case MessageType.Sync: {
        const sub = decoding.readVarUint(d)
        const payload = decoding.readVarUint8Array(d)
        if (sub === syncProtocol.messageYjsSyncStep1) {
          const sv = Y.decodeStateVector(payload)
          this.step1s.push(sv)
          if (this.answerStep1) this.sendStep2(Y.encodeStateAsUpdate(this.doc, payload))
        } else {
          if (sub === syncProtocol.messageYjsSyncStep2) this.step2sReceived++
          else this.relayed.push(payload)
          Y.applyUpdate(this.doc, payload, FROM_SERVER)
        }
        break
      }
    }
    this.emit('change', [])
  }

  /** The server's state vector as of its last sync step 1 (empty before one arrived). */
  get serverStateVector(): Map<number, number> {
    return this.step1s.at(-1) ?? new Map()
  }

  get forbidden(): Notice[] {
    return this.notices.filter((n) => n.code === 'FORBIDDEN')
  }

  send(bytes: Uint8Array): void {
    if (this.raw.ws.readyState === this.raw.ws.OPEN) this.raw.send(bytes)
  }

  sendUpdate(update: Uint8Array): void {
    this.send(syncUpdate(update))
  }

  sendStep2(update: Uint8Array): void {
    this.send(syncUpdate(update, syncProtocol.messageYjsSyncStep2))
  }

  sendStep1(): void {
    this.step1sSent++
    this.send(syncStep1(Y.encodeStateVector(this.doc)))
  }

  /** Edits the doc and sends the transaction as a live update, as a provider does. */
  edit(fn: (doc: Y.Doc) => void): Uint8Array {
    const update = this.offline(fn)
    if (update.length) this.sendUpdate(update)
    return update
  }

  /** Edits the doc without sending anything; returns the transaction's update. */
  offline(fn: (doc: Y.Doc) => void): Uint8Array {
    const parts: Uint8Array[] = []
    const onUpdate = (u: Uint8Array, origin: unknown) => {
      if (origin !== FROM_SERVER) parts.push(u)
    }
    this.doc.on('update', onUpdate)
    try {
      this.doc.transact(() => fn(this.doc))
    } finally {
      this.doc.off('update', onUpdate)
    }
    return parts.length === 0
      ? new Uint8Array()
      : parts.length === 1
        ? parts[0]!
        : Y.mergeUpdates(parts)
  }

  /** Sends the next save barrier and returns its number. */
  barrier(): number {
    this.send(encodeSaveBarrier(++this.barriers))
    return this.barriers
  }

  waitFor(what: string, condition: () => boolean, timeoutMs?: number): Promise<void> {
    return until(what, [[this, 'change']], condition, timeoutMs)
  }

  /** Waits until the barrier is acked, or a notice or close says it will not be. */
  async ackOrRefusal(
    barrier: number,
    noticesBefore = 0,
    timeoutMs?: number,
  ): Promise<'acked' | 'refused' | 'closed'> {
    await this.waitFor(
      `ack of barrier ${barrier} or a refusal`,
      () =>
        this.acks.some((b) => b >= barrier) ||
        this.notices.length > noticesBefore ||
        this.closed !== null,
      timeoutMs,
    )
    if (this.acks.some((b) => b >= barrier)) return 'acked'
    return this.closed && !this.notices.length ? 'closed' : 'refused'
  }

  /**
   * Resolves once the server has handled everything sent before: it answers a sync step 1 in the
   * handler, in order with every other message of this socket. Also resolves if the socket closes.
   */
  async roundTrip(): Promise<void> {
    this.sendStep1()
    // the server answers every step 1 in order: the reply to this one is the step1sSent-th
    const want = this.step1sSent
    await this.waitFor(
      'sync step 2 reply',
      () => this.step2sReceived >= want || this.closed !== null,
    )
  }

  close(): Promise<unknown> {
    this.raw.ws.close()
    return this.raw.closed
  }
}
