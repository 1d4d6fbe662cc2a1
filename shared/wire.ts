/** Encoders and decoders for Stip's own messages on the y-websocket socket. */
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'
import {
  type Credential,
  CredentialSchema,
  MessageType,
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

export const encodeHello = (c: Credential) => jsonMessage(MessageType.Hello, c)
export const encodeWelcome = (w: Welcome) => jsonMessage(MessageType.Welcome, w)
export const encodeNotice = (n: Notice) => jsonMessage(MessageType.Notice, n)

export function encodeDurableAck(barrier: number, stateVector: Uint8Array): Bytes {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MessageType.DurableAck)
  encoding.writeVarUint(e, barrier)
  encoding.writeVarUint8Array(e, stateVector)
  return encoding.toUint8Array(e) as Bytes
}

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

export const readHello = (d: decoding.Decoder): Credential => CredentialSchema.parse(readJson(d))
export const readWelcome = (d: decoding.Decoder): Welcome => WelcomeSchema.parse(readJson(d))
export const readNotice = (d: decoding.Decoder): Notice => NoticeSchema.parse(readJson(d))
export function readDurableAck(d: decoding.Decoder): { barrier: number; stateVector: Map<number, number> } {
  const barrier = decoding.readVarUint(d)
  return { barrier, stateVector: Y.decodeStateVector(decoding.readVarUint8Array(d)) }
}
