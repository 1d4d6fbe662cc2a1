/**
 * One WebSocket from hello to close. Every byte from the client is untrusted: a message that does
 * not decode closes this socket only (4400), with the reason logged without its content; a
 * message that decodes but whose handling failed is our fault and closes with 1011 (retry).
 * Messages are handled one at a time in the order they came: while one waits on the store (the
 * hello's checks and room load, a lock read), the next ones queue behind it.
 */
import type { WebSocket } from 'ws'
import * as Y from 'yjs'
import * as decoding from 'lib0/decoding'
import * as syncProtocol from 'y-protocols/sync'
import * as awarenessProtocol from 'y-protocols/awareness'
import {
  CloseCode,
  DocName,
  ErrorCode,
  MessageType,
  PROTOCOL_VERSION,
  Role,
} from '../../shared/protocol.ts'
import {
  authorFor,
  boardAccess,
  type BoardPolicy,
  canWrite,
  ParticipantAccess,
} from '../../shared/permissions.ts'
import {
  AUTH_DEADLINE_MS,
  MAX_AWARENESS_PER_SECOND,
  MAX_BUFFERED_BYTES,
  SYNC_REQUEST_BURST,
  SYNC_REQUESTS_PER_SECOND,
} from '../../shared/limits.ts'
import { RateBudget } from './rate.ts'
import {
  decodesCleanly,
  encodeNotice,
  encodePong,
  encodeWelcome,
  readHello,
  readSaveBarrier,
} from '../../shared/wire.ts'
import { DEFAULT_HEARTBEAT, type HeartbeatOptions, startHeartbeat } from './heartbeat.ts'
import { type Identity, resolveCredential } from '../identity.ts'
import { ownerOf } from '../store/store.ts'
import type { AsyncStore } from '../store/async-store.ts'
import { ServerStoppingError, WorkshopGoneError } from '../store/errors.ts'
import type { Clock, Logger } from '../deps.ts'
import type { Peer, Room } from './room.ts'
import type { RoomRegistry } from './rooms.ts'
import { filterAwareness, presencePolicyFor, type PresencePolicy } from './awareness-filter.ts'
import { awarenessIdsOf } from './awareness-ids.ts'
import { personKeyOf } from './presence-people.ts'
import { afterStamp, keepPresencePolicy } from './presence-restamp.ts'
import type { Writer } from './write-guard.ts'
import type { DecodedUpdate } from './update-cut.ts'
import type { LinkSockets } from './link-sockets.ts'

export interface SocketContext {
  store: AsyncStore
  rooms: RoomRegistry
  clock: Clock
  log: Logger
  authDeadlineMs?: number
  maxBufferedBytes?: number
  /** Connections by socket, so the server can count and close them. */
  sockets: Set<WebSocket>
  /**
   * The join-code limit for a viewer hello (server/http/rate-limit.ts): null while this address
   * or the server is limited, else what to call when the code turns out wrong.
   */
  admitViewer?: () => (() => void) | null
  heartbeat?: HeartbeatOptions
  /** Sockets opened with a co-facilitator link, closed when the link is revoked. */
  linkSockets?: LinkSockets
  /** Bytes of messages that may wait behind one the store has not answered yet. */
  maxQueuedBytes?: number
}

/** Enough for a client's whole opening burst (sync, awareness, offline edits) behind its hello. */
const MAX_QUEUED_BYTES = 8 * 1024 * 1024

class BadMessage extends Error {}

const isEmpty = ({ structs, ds }: DecodedUpdate): boolean =>
  structs.length === 0 && ds.clients.size === 0

/** Who writes through a socket and what the role allows in the doc; null when it is read-only. */
function writerFor(who: Identity, doc: DocName, policy: () => BoardPolicy): Writer | null {
  if (!canWrite(who.role, doc)) return null
  return {
    principal: ownerOf(who.participantId),
    // the control doc is written by facilitators only (canWrite), all of it
    access:
      doc === DocName.Board ? (root) => boardAccess(who.role, root) : () => ParticipantAccess.Write,
    author: authorFor(who.role, who.participantId),
    // the table is the one of the token's row, never what the client says
    ...(doc === DocName.Board &&
      who.role === Role.Participant && {
        board: {
          who: { role: who.role, participantId: who.participantId, tableId: who.tableId },
          policy,
        },
      }),
  }
}

export function acceptSocket(
  ws: WebSocket,
  target: { workshopId: string; doc: DocName },
  ctx: SocketContext,
): void {
  ctx.sockets.add(ws)
  const maxBuffered = ctx.maxBufferedBytes ?? MAX_BUFFERED_BYTES
  let room: Room | null = null
  let peer: Peer | null = null
  let readOnlyNoticeSent = false
  const awarenessBudget = new RateBudget(MAX_AWARENESS_PER_SECOND, ctx.clock)
  const syncRequestBudget = new RateBudget(SYNC_REQUESTS_PER_SECOND, ctx.clock, SYNC_REQUEST_BURST)
  /** A participant's board writes stop while the facilitator has locked the board. */
  let participantOnBoard = false
  /** null for viewers: a projector has no presence. */
  let presencePolicy: PresencePolicy | null = null
  let presenceNoticeLogged = false
  let forgetLink: (() => void) | null = null
  let socketClosed = false

  const send = (message: Uint8Array) => {
    if (ws.readyState !== ws.OPEN) return
    if (ws.bufferedAmount > maxBuffered) {
      ctx.log.warn('relay.slow_consumer', {
        workshop: target.workshopId,
        buffered: ws.bufferedAmount,
      })
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
  const authTimer = setTimeout(
    () => close(CloseCode.AuthTimeout, ErrorCode.AuthTimeout),
    ctx.authDeadlineMs ?? AUTH_DEADLINE_MS,
  )

  ws.on('error', (err) => {
    // ws emits 'error' for protocol violations (bad RSV, bad UTF-8, too large) and closes itself.
    ctx.log.warn('relay.socket_error', {
      workshop: target.workshopId,
      code: (err as { code?: string }).code ?? 'unknown',
    })
  })

  const hello = (decoder: decoding.Decoder): Promise<void> | void => {
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
    return admit(credential)
  }

  const admit = async (credential: ReturnType<typeof readHello>['credential']) => {
    const workshop = await ctx.store.workshop(target.workshopId)
    if (socketClosed) return
    if (!workshop) {
      close(CloseCode.RoomNotFound, ErrorCode.WorkshopNotFound)
      return
    }
    const viewerFailed = credential.kind === 'viewer' ? ctx.admitViewer?.() : undefined
    if (viewerFailed === null) {
      close(CloseCode.RateLimited, ErrorCode.RateLimited)
      return
    }
    const who = await resolveCredential(ctx.store, workshop, credential)
    if (socketClosed) return
    if (!who) {
      viewerFailed?.()
      ctx.log.warn('relay.unauthorized', { workshop: target.workshopId, kind: credential.kind })
      close(CloseCode.Unauthorized, ErrorCode.Unauthorized)
      return
    }
    clearTimeout(authTimer)
    if (who.coFacilitatorId && ctx.linkSockets)
      forgetLink = ctx.linkSockets.add(target.workshopId, who.coFacilitatorId, { close })
    let loaded: Room
    try {
      loaded = await ctx.rooms.acquire(target.workshopId, target.doc)
    } catch (err) {
      if (err instanceof WorkshopGoneError)
        return close(CloseCode.WorkshopDeleted, ErrorCode.WorkshopNotFound)
      if (err instanceof ServerStoppingError)
        return close(CloseCode.ServerRestart, 'server restart')
      throw err
    }
    // closed while the room loaded: nobody joins, and the room may unload again
    if (socketClosed) return loaded.releaseIfIdle()
    const writer = writerFor(who, target.doc, () => ctx.rooms.policy(target.workshopId))
    const readOnly = writer === null
    peer = {
      participantId: who.participantId,
      readOnly,
      writer,
      send,
      close,
      barrier: 0,
      lockRefused: false,
      refused: false,
    }
    participantOnBoard = who.role === Role.Participant && target.doc === DocName.Board
    room = loaded
    const person = personKeyOf(room, who)
    presencePolicy = presencePolicyFor(
      who,
      () => ctx.rooms.row(target.workshopId)?.anonymity ?? workshop.anonymity,
      person,
    )
    keepPresencePolicy(peer, presencePolicy)
    room.add(peer)
    send(
      encodeWelcome({
        role: who.role,
        readOnly,
        participantId: who.participantId,
        serverTime: ctx.clock.now(),
        person,
      }),
    )
    // Ask for what we lack: a writer's offline edits; of a read-only peer, nothing we would take,
    // but what it holds beyond us tells that its copy diverged (Room.judgeReadOnlyAnswer).
    send(room.syncStep1())
    const aw = room.awarenessSnapshot()
    if (aw) send(aw)
  }

  const writeUpdate = (
    r: Room,
    p: Peer,
    update: Uint8Array,
    locked: boolean,
    syncType: number,
  ): void => {
    if (r.isClosed) return
    const outcome = r.write(p, update, {
      locked,
      resend: syncType === syncProtocol.messageYjsSyncStep2,
    })
    if (outcome.kind === 'locked') send(encodeNotice({ code: ErrorCode.BoardLocked, message: '' }))
    if (outcome.kind === 'refused') {
      ctx.log.warn('relay.write_refused', {
        workshop: target.workshopId,
        doc: target.doc,
        code: outcome.code,
        root: outcome.root,
      })
    }
    // a step 2 answers our step 1 (on join or after a lock): the edits it re-sent are in,
    // so barriers the peer sent meanwhile can be acked
    if (syncType === syncProtocol.messageYjsSyncStep2 && p.barrier > 0) r.requestAck(p, p.barrier)
  }

  const refuseWrite = () => {
    ctx.log.warn('relay.write_refused', { workshop: target.workshopId, doc: target.doc })
    if (!readOnlyNoticeSent) {
      readOnlyNoticeSent = true
      send(encodeNotice({ code: ErrorCode.ReadOnly, message: target.doc }))
    }
  }

  const message = (r: Room, p: Peer, decoder: decoding.Decoder): Promise<void> | void => {
    const type = decoding.readVarUint(decoder)
    switch (type) {
      case MessageType.Sync: {
        const syncType = decoding.readVarUint(decoder)
        if (syncType === syncProtocol.messageYjsSyncStep1) {
          const stateVector = decoding.readVarUint8Array(decoder)
          // each answer may be the whole board: a socket that keeps asking is cut off
          if (!syncRequestBudget.take()) {
            ctx.log.warn('relay.sync_requests_limited', {
              workshop: target.workshopId,
              doc: target.doc,
            })
            close(CloseCode.RateLimited, ErrorCode.RateLimited)
            return
          }
          return r.answerSyncRequest(p, stateVector)
        }
        if (
          syncType !== syncProtocol.messageYjsSyncStep2 &&
          syncType !== syncProtocol.messageYjsUpdate
        ) {
          throw new BadMessage('sync type')
        }
        const update = decoding.readVarUint8Array(decoder)
        if (p.readOnly) {
          const refused =
            syncType === syncProtocol.messageYjsSyncStep2
              ? r.judgeReadOnlyAnswer(p, update) === 'refused'
              : !isEmpty(Y.decodeUpdate(update))
          if (refused) refuseWrite()
          return
        }
        const locked = participantOnBoard && ctx.rooms.boardLocked(target.workshopId)
        // the lock copy had to be read first: this update goes in once it is known
        if (locked instanceof Promise)
          return locked.then((l) => writeUpdate(r, p, update, l, syncType))
        writeUpdate(r, p, update, locked, syncType)
        return
      }

      case MessageType.Awareness: {
        const update = decoding.readVarUint8Array(decoder)
        if (!awarenessBudget.take() || !presencePolicy) return
        const filtered = filterAwareness(update, presencePolicy)
        if (!filtered) return
        const ids = awarenessIdsOf(r)
        // the id a writer shows in presence is the Yjs client id it will write under: reserve it
        // before anyone who sees it here can write under it first
        if (
          ids.idOfSocket(p) === null &&
          p.writer &&
          !r.owners.reserve(filtered.clientId, p.writer.principal)
        ) {
          ctx.log.warn('relay.awareness_id_taken', { workshop: target.workshopId, doc: target.doc })
          return
        }
        if (!ids.bind(filtered.clientId, p)) {
          // another live socket's id, or not this socket's own: never applied, logged once
          if (!presenceNoticeLogged) {
            presenceNoticeLogged = true
            ctx.log.warn('relay.awareness_id_refused', {
              workshop: target.workshopId,
              doc: target.doc,
            })
          }
          return
        }
        awarenessProtocol.applyAwarenessUpdate(
          r.awareness,
          afterStamp(r, filtered.clientId, filtered.update),
          p,
        )
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

  const failed = (err: unknown, bytes: Uint8Array | null, isHello: boolean) => {
    const fields = {
      workshop: target.workshopId,
      doc: target.doc,
      error: err instanceof BadMessage ? err.message : (err as Error).name,
    }
    if (!(err instanceof BadMessage) && bytes && decodesCleanly(bytes, isHello)) {
      ctx.log.error('relay.handler_failed', fields)
      close(CloseCode.InternalError, ErrorCode.Internal)
      return
    }
    ctx.log.warn('relay.bad_message', fields)
    close(CloseCode.BadMessage, ErrorCode.BadMessage)
  }

  /** Handles one message; a promise when it waits on the store, and the next must wait for it. */
  const handle = (data: unknown, isBinary: boolean): Promise<void> | void => {
    // a refused hello or a fault closed the socket: what it sent after is not looked at
    if (socketClosed || ws.readyState !== ws.OPEN) return
    if (room?.isClosed) return // the server is stopping or the workshop was deleted
    const isHello = !room || !peer
    let bytes: Uint8Array | null = null
    try {
      if (!isBinary || !(data instanceof Buffer)) throw new BadMessage('not binary')
      bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      const decoder = decoding.createDecoder(bytes)
      const out = !room || !peer ? hello(decoder) : message(room, peer, decoder)
      if (!out) return
      const held = bytes
      return out.catch((err: unknown) => failed(err, held, isHello))
    } catch (err) {
      failed(err, bytes, isHello)
    }
  }

  const waiting: { data: unknown; isBinary: boolean; size: number }[] = []
  let waitingBytes = 0
  let busy = false
  const maxQueued = ctx.maxQueuedBytes ?? MAX_QUEUED_BYTES
  const run = (data: unknown, isBinary: boolean) => {
    const out = handle(data, isBinary)
    if (!out) return
    busy = true
    void out.then(() => {
      busy = false
      while (!busy && waiting.length) {
        const next = waiting.shift()!
        waitingBytes -= next.size
        run(next.data, next.isBinary)
      }
    })
  }

  ws.on('message', (data, isBinary) => {
    if (!busy) return run(data, isBinary)
    const size = data instanceof Buffer ? data.byteLength : 0
    waitingBytes += size
    if (waitingBytes > maxQueued) {
      ctx.log.warn('relay.queue_overflow', { workshop: target.workshopId, doc: target.doc })
      waiting.length = 0
      close(CloseCode.SlowConsumer, ErrorCode.SlowConsumer)
      return
    }
    waiting.push({ data, isBinary, size })
  })

  ws.on('close', () => {
    socketClosed = true
    waiting.length = 0
    clearTimeout(authTimer)
    forgetLink?.()
    ctx.sockets.delete(ws)
    if (room && peer) {
      // only this socket's own id: another peer's presence is never removed by our close
      const own = awarenessIdsOf(room).release(peer)
      room.remove(peer, own === null ? [] : [own])
    }
    room = null
    peer = null
  })
}
