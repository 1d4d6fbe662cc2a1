/** A raw ws client for protocol tests: sends exact bytes and records what comes back. */
import WebSocket from 'ws'
import * as decoding from 'lib0/decoding'
import type { Credential } from '../../shared/protocol.ts'
import { encodeHello } from '../../shared/wire.ts'

export interface RawSocket {
  ws: WebSocket
  messages: Uint8Array[]
  closed: Promise<{ code: number; reason: string }>
  /** Resolves with the first received message of this type. */
  next(type: number, timeoutMs?: number): Promise<decoding.Decoder>
  send(bytes: Uint8Array): void
}

export async function openRaw(
  url: string,
  opts: { origin?: string; hello?: Credential } = {},
): Promise<RawSocket> {
  const ws = new WebSocket(url, opts.origin ? { origin: opts.origin } : {})
  ws.on('error', () => {})
  const messages: Uint8Array[] = []
  const waiters: { type: number; resolve: (d: decoding.Decoder) => void }[] = []
  ws.on('message', (data: Buffer) => {
    const bytes = new Uint8Array(data)
    messages.push(bytes)
    const d = decoding.createDecoder(bytes)
    const type = decoding.readVarUint(d)
    const i = waiters.findIndex((w) => w.type === type)
    if (i >= 0) waiters.splice(i, 1)[0]!.resolve(d)
  })
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  )
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('unexpected-response', (_req, res) =>
      reject(new Error(`upgrade refused: ${res.statusCode}`)),
    )
    ws.once('error', reject)
  })
  if (opts.hello) ws.send(encodeHello(opts.hello))
  return {
    ws,
    messages,
    closed,
    send: (b) => ws.send(b),
    next(type, timeoutMs = 5000) {
      for (const m of messages) {
        const d = decoding.createDecoder(m)
        if (decoding.readVarUint(d) === type) return Promise.resolve(d)
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no message of type ${type}`)), timeoutMs)
        waiters.push({ type, resolve: (d) => (clearTimeout(timer), resolve(d)) })
      })
    },
  }
}
