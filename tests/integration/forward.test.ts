/**
 * Forwarding to a workshop's owner (issue #12), between real servers on port 0: frames keep their
 * order both ways (also those sent before the owner answered), close codes pass through, and the
 * owner believes a forwarded address only with the cluster secret.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { ObservableV2 } from 'lib0/observable'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import {
  type Forwarded,
  forwardRequest,
  forwardSocket,
  verifyForwarded,
} from '../../server/cluster/forward.ts'
import { CloseCode } from '../../shared/protocol.ts'
import { until } from '../helpers/wait.ts'

const SECRET = 'cluster-secret-for-tests'
/** Fires whenever an owner or a client saw something, for the waits below. */
const changes = new ObservableV2<{ change: () => void }>()
const waitFor = (what: string, condition: () => boolean) =>
  until(what, [[changes, 'change']], condition)
const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c()
})

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  closers.push(() => new Promise((r) => server.close(() => r())))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

/** The owner: records what it was told, echoes frames with its own count, closes on 'close:N'. */
async function owner() {
  const seen: { path: string; forwarded: Forwarded | null; frames: string[] }[] = []
  const sockets = new Set<WebSocket>()
  const server = http.createServer((req, res) => {
    const body: Buffer[] = []
    req.on('data', (b: Buffer) => body.push(b))
    req.on('end', () => {
      res.writeHead(201, { 'content-type': 'application/json', 'x-owner': 'yes' })
      res.end(
        JSON.stringify({
          method: req.method,
          url: req.url,
          body: Buffer.concat(body).toString(),
          forwarded: verifyForwarded(req, SECRET),
        }),
      )
    })
  })
  const wss = new WebSocketServer({ server })
  wss.on('connection', (ws, req) => {
    sockets.add(ws)
    changes.emit('change', [])
    const entry = {
      path: req.url ?? '',
      forwarded: verifyForwarded(req, SECRET),
      frames: [] as string[],
    }
    seen.push(entry)
    ws.on('message', (data) => {
      const text = data.toString()
      entry.frames.push(text)
      changes.emit('change', [])
      const close = /^close:(\d+)$/.exec(text)
      if (close) return ws.close(Number(close[1]), 'because the owner said so')
      ws.send(`echo ${entry.frames.length} ${text}`)
    })
  })
  const url = await listen(server)
  closers.push(async () => {
    for (const s of sockets) s.terminate()
    wss.close()
  })
  return { url, seen, sockets }
}

/** The receiving instance: forwards every socket and request to `ownerUrl`. */
async function front(ownerUrl: string, secret = SECRET) {
  const server = http.createServer((req, res) =>
    forwardRequest(req, res, {
      ownerUrl,
      secret,
      client: { clientAddress: '203.0.113.7', origin: req.headers.origin },
    }),
  )
  const wss = new WebSocketServer({ noServer: true })
  server.on('upgrade', (req, socket, head) =>
    wss.handleUpgrade(req, socket, head, (ws) =>
      forwardSocket(ws, req.url ?? '/', {
        ownerUrl,
        secret,
        client: { clientAddress: '203.0.113.7', origin: req.headers.origin },
      }),
    ),
  )
  const url = await listen(server)
  closers.push(async () => {
    for (const c of wss.clients) c.terminate()
    wss.close()
  })
  return url.replace('http:', 'ws:')
}

function connect(url: string, origin = 'https://stip.example') {
  const ws = new WebSocket(url, { headers: { origin } })
  const received: string[] = []
  ws.on('message', (d) => {
    received.push(d.toString())
    changes.emit('change', [])
  })
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  )
  closers.push(async () => ws.terminate())
  return { ws, received, closed }
}

describe('forwarding to the owner', () => {
  it('pipes frames in order both ways, including those sent before the owner answered', async () => {
    const o = await owner()
    const f = await front(o.url)
    const c = connect(`${f}/ws/workshop-1/board?x=1`)
    // sent at once: the front has not reached the owner yet for the first of these
    await new Promise((r) => c.ws.once('open', r))
    const N = 300
    for (let i = 0; i < N; i++) c.ws.send(`m${i}`)
    await waitFor('all echoes', () => c.received.length === N)
    expect(o.seen).toHaveLength(1)
    expect(o.seen[0]!.path).toBe('/ws/workshop-1/board?x=1')
    expect(o.seen[0]!.frames).toEqual(Array.from({ length: N }, (_, i) => `m${i}`))
    expect(c.received).toEqual(Array.from({ length: N }, (_, i) => `echo ${i + 1} m${i}`))
    expect(o.seen[0]!.forwarded).toEqual({
      clientAddress: '203.0.113.7',
      origin: 'https://stip.example',
    })
  })

  it('passes the owner’s close code and reason to the client, and the client’s close to the owner', async () => {
    const o = await owner()
    const f = await front(o.url)
    const a = connect(`${f}/ws/w/board`)
    await new Promise((r) => a.ws.once('open', r))
    a.ws.send(`close:${CloseCode.WorkshopDeleted}`)
    expect(await a.closed).toEqual({
      code: CloseCode.WorkshopDeleted,
      reason: 'because the owner said so',
    })

    const b = connect(`${f}/ws/w/board`)
    await new Promise((r) => b.ws.once('open', r))
    b.ws.send('hello')
    await waitFor('the second socket', () => o.sockets.size === 2 && b.received.length === 1)
    const second = [...o.sockets][1]!
    const ownerSaw = new Promise<number>((r) => second.once('close', (code) => r(code)))
    b.ws.close(4000, 'bye')
    expect(await ownerSaw).toBe(4000)
  })

  it('tells the client to reconnect when the owner drops without a close frame', async () => {
    const o = await owner()
    const f = await front(o.url)
    const c = connect(`${f}/ws/w/board`)
    await new Promise((r) => c.ws.once('open', r))
    c.ws.send('hi')
    await waitFor('the echo', () => c.received.length === 1)
    for (const s of o.sockets) s.terminate()
    expect((await c.closed).code).toBe(CloseCode.ServerRestart)
  })

  it('is refused by the owner without the cluster secret', async () => {
    const o = await owner()
    const f = await front(o.url, 'a-wrong-secret-of-same-size!!')
    const c = connect(`${f}/ws/w/board`)
    await new Promise((r) => c.ws.once('open', r))
    c.ws.send('hi')
    await waitFor('the forwarded socket', () => o.seen.length === 1)
    expect(o.seen[0]!.forwarded).toBeNull()
    // and a client cannot claim to be forwarded by sending the headers itself
    const direct = new WebSocket(o.url.replace('http:', 'ws:'), {
      headers: { 'x-stip-cluster-secret': 'guess', 'x-stip-client-address': '10.0.0.1' },
    })
    closers.push(async () => direct.terminate())
    await new Promise((r) => direct.once('open', r))
    await waitFor('the direct socket', () => o.seen.length === 2)
    expect(o.seen[1]!.forwarded).toBeNull()
  })

  it('relays REST requests with their status, headers and body', async () => {
    const o = await owner()
    const f = (await front(o.url)).replace('ws:', 'http:')
    const res = await fetch(`${f}/api/workshops/w/settings?y=2`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', origin: 'https://stip.example' },
      body: JSON.stringify({ title: 'Nieuw' }),
    })
    expect(res.status).toBe(201)
    expect(res.headers.get('x-owner')).toBe('yes')
    expect(await res.json()).toEqual({
      method: 'PATCH',
      url: '/api/workshops/w/settings?y=2',
      body: '{"title":"Nieuw"}',
      forwarded: { clientAddress: '203.0.113.7', origin: 'https://stip.example' },
    })
  })

  it('answers 503 with a retry when the owner is gone', async () => {
    const gone = http.createServer()
    const url = await listen(gone)
    await new Promise<void>((r) => gone.close(() => r()))
    closers.pop()
    const f = (await front(url)).replace('ws:', 'http:')
    const res = await fetch(`${f}/api/x`)
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('1')
  })
})
