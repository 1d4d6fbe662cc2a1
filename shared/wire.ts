/** Encoders and decoders for Stip's own messages on the y-websocket socket. */
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'
import {
  type Credential,
  CredentialSchema,
  type Hello,
  HelloVersionSchema,
  MessageType,
  PROTOCOL_VERSION,
  type Notice,
  NoticeSchema,
  type Welcome,
  WelcomeSchema,
} from './protocol.ts'

type Bytes = Uint8Array<ArrayBuffer>

function jsonMessage(type: MessageType, value: unknown): Bytes {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, type)
  encoding.writeVarString(e, JSON.stringify(value))
  return encoding.toUint8Array(e) as Bytes
}

export const encodeHello = (c: Credential, v: number = PROTOCOL_VERSION) =>
  jsonMessage(MessageType.Hello, { ...c, v })
export const encodeWelcome = (w: Welcome) => jsonMessage(MessageType.Welcome, w)
export const encodeNotice = (n: Notice) => jsonMessage(MessageType.Notice, n)

export function encodeDurableAck(barrier: number, stateVector: Uint8Array): Bytes {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MessageType.DurableAck)
  encoding.writeVarUint(e, barrier)
  encoding.writeVarUint8Array(e, stateVector)
  return encoding.toUint8Array(e) as Bytes
}

function bare(type: MessageType): Bytes {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, type)
  return encoding.toUint8Array(e) as Bytes
}
export const encodePing = () => bare(MessageType.Ping)
export const encodePong = () => bare(MessageType.Pong)

export function encodeSaveBarrier(barrier: number): Bytes {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MessageType.SaveBarrier)
  encoding.writeVarUint(e, barrier)
  return encoding.toUint8Array(e) as Bytes
}

export const readSaveBarrier = (d: decoding.Decoder): number => decoding.readVarUint(d)

/** Reads a JSON payload after the type byte; throws on malformed input (caller decides). */
function readJson(decoder: decoding.Decoder): unknown {
  return JSON.parse(decoding.readVarString(decoder))
}

export function readHello(d: decoding.Decoder): Hello {
  const json = readJson(d)
  return { v: HelloVersionSchema.parse(json).v, credential: CredentialSchema.parse(json) }
}
export const readWelcome = (d: decoding.Decoder): Welcome => WelcomeSchema.parse(readJson(d))
export const readNotice = (d: decoding.Decoder): Notice => NoticeSchema.parse(readJson(d))
export function readDurableAck(d: decoding.Decoder): {
  barrier: number
  stateVector: Map<number, number>
} {
  const barrier = decoding.readVarUint(d)
  return { barrier, stateVector: Y.decodeStateVector(decoding.readVarUint8Array(d)) }
}

/**
 * Whether a client message decodes completely, without acting on it. The server asks this after
 * handling a message threw: a message that does not decode is the client's fault (4400, final), a
 * well-formed one that failed is the server's (1011, the client retries).
 */
export function decodesCleanly(bytes: Uint8Array, isHello: boolean): boolean {
  try {
    const d = decoding.createDecoder(bytes)
    const type = decoding.readVarUint(d)
    if (isHello) {
      if (type !== MessageType.Hello) return false
      readHello(d)
      return true
    }
    switch (type) {
      case MessageType.Sync: {
        const syncType = decoding.readVarUint(d)
        const payload = decoding.readVarUint8Array(d)
        if (syncType === 0) Y.decodeStateVector(payload)
        else if (syncType === 1 || syncType === 2) Y.decodeUpdate(payload)
        else return false
        return true
      }
      case MessageType.Awareness: {
        const update = decoding.createDecoder(decoding.readVarUint8Array(d))
        for (let n = decoding.readVarUint(update); n > 0; n--) {
          decoding.readVarUint(update)
          decoding.readVarUint(update)
          JSON.parse(decoding.readVarString(update))
        }
        return true
      }
      case MessageType.SaveBarrier:
        decoding.readVarUint(d)
        return true
      case MessageType.QueryAwareness:
      case MessageType.Ping:
        return true
      default:
        return false
    }
  } catch {
    return false
  }
}
