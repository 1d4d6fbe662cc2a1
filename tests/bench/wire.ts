/** Raw `ws` bench clients speaking each server's protocol (Hocuspocus adds a name prefix and auth). */
import WebSocket from 'ws'
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import * as syncProtocol from 'y-protocols/sync'
import { MessageType } from '../../shared/protocol.ts'
import type { Room } from './targets.ts'

const HOCUS_AUTH = 2
const HOCUS_SYNC_REPLY = 4

export interface Client {
  ws: WebSocket
  /** Sends a y-websocket style message (type first); adds the Hocuspocus prefix when needed. */
  send(body: (e: encoding.Encoder) => void): void
  /** Raw bytes of every server message, for marker scanning. */
  onRaw: ((data: Buffer) => void) | null
  /** Sync step 2 / update payloads from the server. */
  onSync: ((sub: number, update: Uint8Array) => void) | null
  onOther: ((type: number, d: decoding.Decoder) => void) | null
}

export async function connect(room: Room): Promise<Client> {
  const ws = new WebSocket(room.url, { perMessageDeflate: false })
  ws.binaryType = 'nodebuffer'
  const hocus = room.docName !== ''
  const client: Client = {
    ws,
    onRaw: null,
    onSync: null,
    onOther: null,
    send(body) {
      const e = encoding.createEncoder()
      if (hocus) encoding.writeVarString(e, room.docName)
      body(e)
      ws.send(encoding.toUint8Array(e))
    },
  }
  ws.on('message', (data: Buffer) => {
    client.onRaw?.(data)
    const d = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
    if (hocus) decoding.readVarString(d)
    const type = decoding.readVarUint(d)
    if (type === MessageType.Sync || (hocus && type === HOCUS_SYNC_REPLY)) {
      const sub = decoding.readVarUint(d)
      if (sub === syncProtocol.messageYjsSyncStep1) return
      client.onSync?.(sub, decoding.readVarUint8Array(d))
      return
    }
    client.onOther?.(type, d)
  })
  ws.on('error', (err) => console.error(`client error: ${err.message}`))
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  if (room.hello) ws.send(room.hello)
  if (hocus) {
    client.send((e) => {
      encoding.writeVarUint(e, HOCUS_AUTH)
      encoding.writeVarUint(e, 0) // token
      encoding.writeVarString(e, 'bench')
    })
  }
  return client
}

export const sendUpdate = (c: Client, update: Uint8Array) =>
  c.send((e) => {
    encoding.writeVarUint(e, MessageType.Sync)
    syncProtocol.writeUpdate(e, update)
  })

/** Sends sync step 1 from an empty doc and resolves with the step 2 the server answers. */
export function fullSync(c: Client): Promise<Uint8Array> {
  return new Promise((resolve) => {
    c.onSync = (sub, update) => {
      if (sub !== syncProtocol.messageYjsSyncStep2) return
      c.onSync = null
      resolve(update)
    }
    c.send((e) => {
      encoding.writeVarUint(e, MessageType.Sync)
      syncProtocol.writeSyncStep1(e, new Y.Doc())
    })
  })
}

export async function connectSynced(room: Room): Promise<Client> {
  const c = await connect(room)
  await fullSync(c)
  return c
}

export function closeAll(clients: Client[]) {
  for (const c of clients) c.ws.terminate()
}
