/**
 * Forwarding to a workshop's owner (issue #12). An instance that receives a socket or request for a
 * workshop another instance owns pipes it there: one internal WebSocket per client socket, frames
 * in order both ways, close codes passed through; REST requests relayed with their status and
 * body. The owner believes the forwarded client address and Origin only with the cluster secret.
 */
import { timingSafeEqual } from 'node:crypto'
import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import { WebSocket, type RawData } from 'ws'
import { CloseCode, ErrorCode } from '../../shared/protocol.ts'

export const INTERNAL_HEADER = {
  secret: 'x-stip-cluster-secret',
  client: 'x-stip-client-address',
  origin: 'x-stip-client-origin',
} as const

export interface Forwarded {
  /** The client's own address, for the owner's rate limits. */
  clientAddress: string
  /** The client's Origin, for the owner's Origin check (absent for non-browser clients). */
  origin: string | undefined
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name]
  return Array.isArray(v) ? v[0] : v
}

/** A request forwarded by another instance of this cluster, or null for anyone else's. */
export function verifyForwarded(req: IncomingMessage, secret: string): Forwarded | null {
  const given = header(req, INTERNAL_HEADER.secret)
  if (!secret || given === undefined) return null
  const a = Buffer.from(given)
  const b = Buffer.from(secret)
  if (a.length !== b.length || !timingSafeEqual(a, b)) return null
  return {
    clientAddress: (header(req, INTERNAL_HEADER.client) ?? 'unknown').slice(0, 64),
    origin: header(req, INTERNAL_HEADER.origin),
  }
}

export interface ForwardOptions {
  /** The owner's internal base URL (http://host:port); the client's path and query follow. */
  ownerUrl: string
  secret: string
  client: Forwarded
  /** Frames a client may send before the owner answers; beyond it the socket is cut (1013). */
  maxPendingBytes?: number
}

const DEFAULT_MAX_PENDING = 4 * 1024 * 1024

/** Codes a close frame may carry (RFC 6455 7.4): others (1005, 1006, 1015) are only reported. */
const sendable = (code: number) =>
  (code >= 1000 && code <= 1014 && ![1004, 1005, 1006].includes(code)) ||
  (code >= 3000 && code <= 4999)

/**
 * Pipes `client` to the owner at `path` (the client's request URL). A silent drop on either side
 * (no close frame) reaches the other as 1012 "service restart": the browser reconnects and lands
 * on whichever instance owns the workshop by then.
 */
export function forwardSocket(client: WebSocket, path: string, opts: ForwardOptions): WebSocket {
  const target = new URL(path, opts.ownerUrl)
  target.protocol = target.protocol === 'https:' ? 'wss:' : 'ws:'
  const upstream = new WebSocket(target, {
    headers: {
      [INTERNAL_HEADER.secret]: opts.secret,
      [INTERNAL_HEADER.client]: opts.client.clientAddress,
      ...(opts.client.origin ? { [INTERNAL_HEADER.origin]: opts.client.origin } : {}),
    },
    perMessageDeflate: false,
  })
  const limit = opts.maxPendingBytes ?? DEFAULT_MAX_PENDING
  let pending: { data: RawData; binary: boolean }[] | null = []
  let pendingBytes = 0

  const size = (d: RawData) =>
    Array.isArray(d) ? d.reduce((n, b) => n + b.length, 0) : (d as Buffer | ArrayBuffer).byteLength

  client.on('message', (data, binary) => {
    if (pending) {
      pendingBytes += size(data)
      if (pendingBytes > limit) {
        client.close(1013, 'owner not reachable yet')
        upstream.terminate()
        return
      }
      pending.push({ data, binary })
    } else if (upstream.readyState === WebSocket.OPEN) upstream.send(data, { binary })
  })
  upstream.on('open', () => {
    for (const m of pending ?? []) upstream.send(m.data, { binary: m.binary })
    pending = null
  })
  upstream.on('message', (data, binary) => {
    if (client.readyState === WebSocket.OPEN) client.send(data, { binary })
  })

  upstream.on('close', (code, reason) => {
    if (client.readyState === WebSocket.CLOSED || client.readyState === WebSocket.CLOSING) return
    if (sendable(code)) client.close(code, reason)
    else client.close(CloseCode.ServerRestart, 'owner went away')
  })
  upstream.on('error', () => {
    // 'close' follows, which closes the client; an owner that never answered is a restart too
    if (upstream.readyState !== WebSocket.OPEN) upstream.terminate()
  })
  // an unexpected-response (the owner refused the upgrade, e.g. a wrong secret) is a server fault
  upstream.on('unexpected-response', (_req, res) => {
    res.resume()
    client.close(CloseCode.InternalError, 'owner refused the forward')
    upstream.terminate()
  })
  client.on('close', (code, reason) => {
    pending = null
    if (upstream.readyState === WebSocket.CONNECTING) upstream.terminate()
    else if (upstream.readyState === WebSocket.OPEN) {
      if (sendable(code)) upstream.close(code, reason)
      else upstream.close(1000)
    }
  })
  client.on('error', () => upstream.terminate())
  return upstream
}

/**
 * Relays one REST request to the owner and its answer back, body streamed both ways; `body` is a
 * body already read here (a join, whose code named the owner).
 */
export function forwardRequest(
  req: IncomingMessage,
  res: ServerResponse,
  opts: Omit<ForwardOptions, 'maxPendingBytes'> & { body?: string },
): void {
  const target = new URL(req.url ?? '/', opts.ownerUrl)
  const headers = { ...req.headers }
  if (opts.body !== undefined) {
    delete headers['transfer-encoding']
    headers['content-length'] = String(Buffer.byteLength(opts.body))
  }
  delete headers[INTERNAL_HEADER.secret]
  delete headers[INTERNAL_HEADER.client]
  delete headers[INTERNAL_HEADER.origin]
  const out = http.request(target, {
    method: req.method,
    headers: {
      ...headers,
      [INTERNAL_HEADER.secret]: opts.secret,
      [INTERNAL_HEADER.client]: opts.client.clientAddress,
      ...(opts.client.origin ? { [INTERNAL_HEADER.origin]: opts.client.origin } : {}),
    },
  })
  out.on('response', (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers)
    answer.pipe(res)
  })
  out.on('error', () => {
    if (res.headersSent) return void res.destroy()
    // the owner went away between the lookup and this request: the client's retry finds the next
    res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' })
    res.end(
      JSON.stringify({
        error: ErrorCode.ServerRestart,
        message: 'the workshop is moving; try again',
      }),
    )
  })
  if (opts.body !== undefined) out.end(opts.body)
  else req.pipe(out)
}
