/**
 * WebSocket at the byte level: a manual HTTP upgrade over net.Socket, then hand-built frames,
 * so tests can send what no WebSocket library would (bad RSV bits, unmasked frames, lies about
 * the payload length, invalid UTF-8 in text frames).
 */
import net from 'node:net'
import crypto from 'node:crypto'

export interface RawTcp {
  socket: net.Socket
  /** Bytes received after the 101 response. */
  received: Buffer[]
  /** Resolves when the server closed or reset the connection. */
  ended: Promise<void>
  write(bytes: Uint8Array): void
}

export async function upgrade(httpUrl: string, path: string): Promise<RawTcp> {
  const { hostname, port } = new URL(httpUrl)
  const socket = net.connect(Number(port), hostname)
  socket.on('error', () => {})
  const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()))
  const key = crypto.randomBytes(16).toString('base64')
  await new Promise<void>((resolve, reject) =>
    socket.once('connect', resolve).once('error', reject),
  )
  socket.write(
    `GET ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  )
  const received: Buffer[] = []
  await new Promise<void>((resolve, reject) => {
    let head = Buffer.alloc(0)
    const onData = (d: Buffer) => {
      head = Buffer.concat([head, d])
      const end = head.indexOf('\r\n\r\n')
      if (end < 0) return
      socket.off('data', onData)
      const status = head.subarray(0, head.indexOf('\r\n')).toString()
      if (!status.includes(' 101 ')) return reject(new Error(`upgrade refused: ${status}`))
      if (head.length > end + 4) received.push(head.subarray(end + 4))
      socket.on('data', (more: Buffer) => received.push(more))
      resolve()
    }
    socket.on('data', onData)
    void ended.then(() => reject(new Error('closed during upgrade')))
  })
  return { socket, received, ended, write: (b) => void socket.write(b) }
}

export interface FrameOptions {
  opcode: number
  payload: Uint8Array
  fin?: boolean
  /** RSV1..3 as bits 0b100, 0b010, 0b001. */
  rsv?: number
  /** Clients must mask; false builds the illegal unmasked client frame. */
  mask?: boolean
  /** Claimed payload length, when it should differ from the real one. */
  declaredLength?: number
}

export function frame(o: FrameOptions): Buffer {
  const mask = o.mask ?? true
  const len = o.declaredLength ?? o.payload.length
  const b0 = ((o.fin ?? true) ? 0x80 : 0) | ((o.rsv ?? 0) << 4) | (o.opcode & 0x0f)
  let header: Buffer
  if (len < 126) {
    header = Buffer.from([b0, (mask ? 0x80 : 0) | len])
  } else if (len < 65536) {
    header = Buffer.alloc(4)
    header[0] = b0
    header[1] = (mask ? 0x80 : 0) | 126
    header.writeUInt16BE(len, 2)
  } else {
    header = Buffer.alloc(10)
    header[0] = b0
    header[1] = (mask ? 0x80 : 0) | 127
    header.writeBigUInt64BE(BigInt(len), 2)
  }
  if (!mask) return Buffer.concat([header, Buffer.from(o.payload)])
  const key = crypto.randomBytes(4)
  const body = Buffer.from(o.payload)
  for (let i = 0; i < body.length; i++) body[i]! ^= key[i % 4]!
  return Buffer.concat([header, key, body])
}

export const OPCODE = { text: 0x1, binary: 0x2, close: 0x8 } as const

/**
 * A TCP proxy in front of a server that can freeze: while frozen nothing is forwarded either way
 * and no close is passed on, as when a Wi-Fi link drops without either end noticing (a half-open
 * connection). New connections are accepted but their bytes wait too. Thawing delivers what
 * waited, then the closes that happened meanwhile, like a network that comes back.
 */
export interface FreezableProxy {
  url: string
  wsUrl: string
  freeze(): void
  thaw(): void
  close(): Promise<void>
}

export async function startFreezableProxy(targetHttpUrl: string): Promise<FreezableProxy> {
  const { hostname, port } = new URL(targetHttpUrl)
  let frozen = false
  const pending: (() => void)[] = []
  const sockets = new Set<net.Socket>()
  /** Runs now, or on thaw while frozen (in order). */
  const whenFlowing = (fn: () => void) => (frozen ? pending.push(fn) : fn())
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(port), hostname)
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      sockets.add(from)
      from.on('error', () => {})
      from.on('data', (d: Buffer) => whenFlowing(() => to.write(d)))
      from.on('close', () => {
        sockets.delete(from)
        whenFlowing(() => to.destroy())
      })
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`
  return {
    url,
    wsUrl: url.replace(/^http/, 'ws') + '/ws',
    freeze: () => void (frozen = true),
    thaw() {
      frozen = false
      for (const fn of pending.splice(0)) fn()
    },
    close() {
      for (const s of sockets) s.destroy()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}
