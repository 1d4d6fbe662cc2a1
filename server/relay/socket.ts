/**
 * One WebSocket from hello to close. Every byte from the client is untrusted: a message that does
 * not decode closes this socket only (4400), with the reason logged without its content; a
 * message that decodes but whose handling failed is our fault and closes with 1011 (retry).
 */
import type { WebSocket } from 'ws'
import * as Y from 'yjs'
import * as decoding from 'lib0/decoding'
import * as syncProtocol from 'y-protocols/sync'
import * as awarenessProtocol from 'y-protocols/awareness'
import { CloseCode, DocName, ErrorCode, MessageType, PROTOCOL_VERSION, Role } from '../../shared/protocol.ts'
import { canWrite } from '../../shared/permissions.ts'
import { AUTH_DEADLINE_MS, MAX_AWARENESS_PER_SECOND, MAX_BUFFERED_BYTES } from '../../shared/limits.ts'
import { RateBudget } from './rate.ts'
import { decodesCleanly, encodeNotice, encodePong, encodeWelcome, readHello, readSaveBarrier } from '../../shared/wire.ts'
import { DEFAULT_HEARTBEAT, type HeartbeatOptions, startHeartbeat } from './heartbeat.ts'
import { resolveCredential } from '../identity.ts'
import type { Store } from '../store/store.ts'
import type { Clock, Logger } from '../deps.ts'
import type { Peer, Room } from './room.ts'
import type { RoomRegistry } from './rooms.ts'
import { filterAwareness, participantPresence, type PresencePolicy } from './awareness-filter.ts'
import { type DecodedUpdate, refusedParticipantRoot } from './write-guard.ts'

export interface SocketContext {
  store: Store
  rooms: RoomRegistry
  clock: Clock
  log: Logger
  authDeadlineMs?: number
  maxBufferedBytes?: number
  /** Connections by socket, so the server can count and close them. */
  sockets: Set<WebSocket>
  heartbeat?: HeartbeatOptions
}

class BadMessage extends Error {}

const isEmpty = ({ structs, ds }: DecodedUpdate): boolean => structs.length === 0 && ds.clients.size === 0

export function acceptSocket(ws: WebSocket, target: { workshopId: string; doc: DocName }, ctx: SocketContext): void {
  ctx.sockets.add(ws)
  const maxBuffered = ctx.maxBufferedBytes ?? MAX_BUFFERED_BYTES
  let room: Room | null = null
  let peer: Peer | null = null
  let awarenessId: number | null = null
  let readOnlyNoticeSent = false
  const awarenessBudget = new RateBudget(MAX_AWARENESS_PER_SECOND, ctx.clock)
  /**
   * A participant's board writes stop while the facilitator has locked the board, and each is
   * checked against what participants may change.
   */
  let participantOnBoard = false
  let presencePolicy: PresencePolicy | undefined
  let guardNoticeSent = false

  const send = (message: Uint8Array) => {
    if (ws.readyState !== ws.OPEN) return
    if (ws.bufferedAmount > maxBuffered) {
      ctx.log.warn('relay.slow_consumer', { workshop: target.workshopId, buffered: ws.bufferedAmount })
      ws.close(CloseCode.SlowConsumer, ErrorCode.SlowConsumer)
      ws.terminate()
      return
    }
    ws.send(message)
  }
  const close = (code: number, reason: string) => {
    if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(code, reason)
  }

  startHeartbeat(ws, ctx.clock, ctx.heartbeat ?? DEFAULT_HEARTBEAT, () =>
    ctx.log.warn('relay.peer_silent', { workshop: target.workshopId, doc: target.doc }),
  )
  const authTimer = setTimeout(() => close(CloseCode.AuthTimeout, ErrorCode.AuthTimeout), ctx.authDeadlineMs ?? AUTH_DEADLINE_MS)

  ws.on('error', (err) => {
    // ws emits 'error' for protocol violations (bad RSV, bad UTF-8, too large) and closes itself.
    ctx.log.warn('relay.socket_error', { workshop: target.workshopId, code: (err as { code?: string }).code ?? 'unknown' })
  })

  const hello = (decoder: decoding.Decoder) => {
    if (decoding.readVarUint(decoder) !== MessageType.Hello) {
      close(CloseCode.Unauthorized, ErrorCode.Unauthorized)
      return
    }
    const { credential, v } = readHello(decoder)
    if (v !== PROTOCOL_VERSION) {
      ctx.log.warn('relay.version_mismatch', { workshop: target.workshopId, version: v })
      close(CloseCode.VersionMismatch, ErrorCode.VersionMismatch)
      return
    }
    const workshop = ctx.store.workshop(target.workshopId)
    if (!workshop) {
      close(CloseCode.RoomNotFound, ErrorCode.WorkshopNotFound)
      return
    }
    const who = resolveCredential(ctx.store, workshop, credential)
    if (!who) {
      ctx.log.warn('relay.unauthorized', { workshop: target.workshopId, kind: credential.kind })
      close(CloseCode.Unauthorized, ErrorCode.Unauthorized)
      return
    }
    clearTimeout(authTimer)
    const readOnly = !canWrite(who.role, target.doc)
    peer = { participantId: who.participantId, readOnly, send, close, barrier: 0, diverged: false }
    participantOnBoard = who.role === Role.Participant && target.doc === DocName.Board
    if (who.role === Role.Participant) presencePolicy = participantPresence(workshop.anonymity, who)
    room = ctx.rooms.acquire(target.workshopId, target.doc)
    room.add(peer)
    send(encodeWelcome({ role: who.role, readOnly, participantId: who.participantId, serverTime: ctx.clock.now() }))
    // Ask writers for what we lack (offline edits); read-only peers have nothing we would take.
    if (!readOnly) send(room.syncStep1())
    const aw = room.awarenessSnapshot()
    if (aw) send(aw)
  }

  const refuseWrite = () => {
    ctx.log.warn('relay.write_refused', { workshop: target.workshopId, doc: target.doc })
    if (!readOnlyNoticeSent) {
      readOnlyNoticeSent = true
      send(encodeNotice({ code: ErrorCode.ReadOnly, message: target.doc }))
    }
  }

  const message = (r: Room, p: Peer, decoder: decoding.Decoder) => {
    const type = decoding.readVarUint(decoder)
    switch (type) {
      case MessageType.Sync: {
        const syncType = decoding.readVarUint(decoder)
        if (syncType === syncProtocol.messageYjsSyncStep1) {
          send(r.syncStep2For(decoding.readVarUint8Array(decoder)))
          return
        }
        if (syncType !== syncProtocol.messageYjsSyncStep2 && syncType !== syncProtocol.messageYjsUpdate) {
          throw new BadMessage('sync type')
        }
        const update = decoding.readVarUint8Array(decoder)
        const decoded = Y.decodeUpdate(update)
        if (isEmpty(decoded)) return
        if (p.readOnly) return refuseWrite()
        if (participantOnBoard && ctx.rooms.boardLocked(target.workshopId)) {
          p.diverged = true
          send(encodeNotice({ code: ErrorCode.BoardLocked, message: '' }))
          return
        }
        if (participantOnBoard) {
          const refused = refusedParticipantRoot(r.doc, decoded)
          if (refused !== null) {
            // The whole update is refused, not a part of it: it may be one transaction.
            // The peer now holds edits we lack, so it gets no durable acks: its status stays unsaved.
            p.diverged = true
            ctx.log.warn('relay.participant_write_refused', { workshop: target.workshopId, root: refused })
            if (!guardNoticeSent) {
              guardNoticeSent = true
              send(encodeNotice({ code: ErrorCode.Forbidden, message: refused }))
            }
            return
          }
        }
        r.applyFrom(p, update)
        // a step 2 answers our step 1 (on join or after a lock): the edits it re-sent are in,
        // so barriers the peer sent meanwhile can be acked
        if (syncType === syncProtocol.messageYjsSyncStep2 && p.barrier > 0) r.requestAck(p, p.barrier)
        return
      }
      case MessageType.Awareness: {
        const update = decoding.readVarUint8Array(decoder)
        if (!awarenessBudget.take()) return
        const filtered = filterAwareness(update, awarenessId, presencePolicy)
        if (!filtered) return
        awarenessId = filtered.ownId
        awarenessProtocol.applyAwarenessUpdate(r.awareness, filtered.update, p)
        return
      }
      case MessageType.QueryAwareness: {
        const aw = r.awarenessSnapshot()
        if (aw) send(aw)
        return
      }
      case MessageType.Ping:
        send(encodePong())
        return
      case MessageType.SaveBarrier: {
        const barrier = readSaveBarrier(decoder)
        if (!p.readOnly) r.requestAck(p, barrier)
        return
      }
      default:
        throw new BadMessage('message type')
    }
  }

  ws.on('message', (data, isBinary) => {
    const isHello = !room || !peer
    let bytes: Uint8Array | null = null
    try {
      if (!isBinary || !(data instanceof Buffer)) throw new BadMessage('not binary')
      bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      const decoder = decoding.createDecoder(bytes)
      if (!room || !peer) return hello(decoder)
      message(room, peer, decoder)
    } catch (err) {
      const fields = { workshop: target.workshopId, doc: target.doc, error: err instanceof BadMessage ? err.message : (err as Error).name }
      if (!(err instanceof BadMessage) && bytes && decodesCleanly(bytes, isHello)) {
        ctx.log.error('relay.handler_failed', fields)
        close(CloseCode.InternalError, ErrorCode.Internal)
        return
      }
      ctx.log.warn('relay.bad_message', fields)
      close(CloseCode.BadMessage, ErrorCode.BadMessage)
    }
  })

  ws.on('close', () => {
    clearTimeout(authTimer)
    ctx.sockets.delete(ws)
    if (room && peer) room.remove(peer, awarenessId === null ? [] : [awarenessId])
    room = null
    peer = null
  })
}
