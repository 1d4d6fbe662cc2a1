/**
 * Every close code the server sends, and what the client makes of it: 44xx (and 1009) are final
 * and shown; 1011, 1012 and 4508 are retried with a status saying why (finding 13, issue #13).
 */
import { describe, expect, it } from 'vitest'
import type WebSocket from 'ws'
import { WebSocketServer } from 'ws'
import type { AddressInfo } from 'node:net'
import { addCard } from '../../shared/schema.ts'
import { MAX_MESSAGE_BYTES } from '../../shared/limits.ts'
import { CloseCode, ErrorCode, MessageType } from '../../shared/protocol.ts'
import { encodeHello } from '../../shared/wire.ts'
import type { WorkshopConnection } from '../../client/sync/connection.ts'
import { displayStatus } from '../../client/sync/useWorkshop.ts'
import { createWorkshop, startTestServer } from '../helpers/server.ts'
import { facilitatedWorkshop } from '../helpers/scenario.ts'
import { connectClient, live } from '../helpers/clients.ts'
import { openRaw } from '../helpers/raw.ts'
import { until } from '../helpers/wait.ts'
import { useCleanups } from '../helpers/lifecycle.ts'
import { makeCard } from '../fixtures/builders.ts'

const track = useCleanups()
const changes = (c: WorkshopConnection) => [[c, 'change']] as [WorkshopConnection, string][]

describe('close codes', () => {
  it('[4426] a Hello of another protocol version, or of none (an old tab), is closed with VersionMismatch', async () => {
    const server = await startTestServer()
    track(() => server.close())
    const ws = await createWorkshop(server.url)
    const cred = { kind: 'facilitator', key: ws.facilitatorKey } as const
    const wrong = await openRaw(`${server.wsUrl}/${ws.id}/board`)
    wrong.send(encodeHello(cred, 99))
    expect(await wrong.closed).toEqual({
      code: CloseCode.VersionMismatch,
      reason: ErrorCode.VersionMismatch,
    })
    // today's build before versions sent the bare credential
    const old = await openRaw(`${server.wsUrl}/${ws.id}/board`)
    const bare = new TextEncoder().encode(JSON.stringify(cred))
    old.send(Uint8Array.from([MessageType.Hello, bare.length, ...bare]))
    expect((await old.closed).code).toBe(CloseCode.VersionMismatch)
  })

  it('[4426] the client shows the reload message and does not reconnect', async () => {
    let connections = 0
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' })
    wss.on('connection', (s) => {
      connections++
      s.close(CloseCode.VersionMismatch, ErrorCode.VersionMismatch)
    })
    track(() => new Promise((resolve) => wss.close(resolve)))
    await new Promise((resolve) => wss.once('listening', resolve))
    const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ws`
    const c = connectClient(url, 'w'.repeat(16), { kind: 'viewer', code: 'ABCDEF' })
    track(() => c.destroy())
    await until(
      'both links refused',
      changes(c),
      () => c.boardLink.status.kind === 'refused' && c.controlLink.status.kind === 'refused',
    )
    expect(displayStatus(c)).toBe(`refused:${ErrorCode.VersionMismatch}`)
    expect(c.boardLink.provider.shouldConnect).toBe(false)
    expect(c.controlLink.provider.shouldConnect).toBe(false)
    expect(connections).toBe(2)
  })

  it('[1011] a server fault while handling a message closes with 1011; the client shows why and comes back', async () => {
    let failNext = 0
    const server = await startTestServer({
      wrapStore: (store) =>
        new Proxy(store, {
          get(target, prop, receiver) {
            const value = Reflect.get(target, prop, receiver) as unknown
            if (prop !== 'workshop' || typeof value !== 'function') return value
            return (id: string) => {
              if (failNext > 0) {
                failNext--
                throw new Error('injected storage fault')
              }
              return (value as (id: string) => unknown).call(target, id)
            }
          },
        }),
    })
    track(() => server.close())
    const ws = await createWorkshop(server.url)
    const raw = await openRaw(`${server.wsUrl}/${ws.id}/board`)
    failNext = 1
    raw.send(encodeHello({ kind: 'facilitator', key: ws.facilitatorKey }))
    expect(await raw.closed).toEqual({ code: CloseCode.InternalError, reason: ErrorCode.Internal })

    const c = connectClient(server.wsUrl, ws.id, { kind: 'facilitator', key: ws.facilitatorKey })
    track(() => c.destroy())
    await live(c)
    const seen: string[] = []
    c.on('change', () => seen.push(displayStatus(c)))
    failNext = 2
    // drop both sockets from the server side; the hellos of the reconnect hit the fault
    for (const s of [c.boardLink.provider.ws, c.controlLink.provider.ws])
      (s as unknown as WebSocket).terminate()
    await until(
      'live again',
      changes(c),
      () => seen.includes(`retry:${ErrorCode.Internal}`) && c.status.kind === 'live',
    )
  })

  it('[1009] an update over the message limit is refused as too large, and the client stops there', async () => {
    const server = await startTestServer()
    track(() => server.close())
    const { fac } = await facilitatedWorkshop(server, track)
    addCard(fac.board, makeCard({ text: 'x'.repeat(MAX_MESSAGE_BYTES + 1024) }))
    await until('refused', changes(fac), () => fac.status.kind === 'refused')
    expect(fac.status).toEqual({ kind: 'refused', code: ErrorCode.TooLarge })
    expect(fac.boardLink.provider.shouldConnect).toBe(false)
  })

  it('[1012] a server restart shows a retry status and the client keeps trying', async () => {
    const server = await startTestServer()
    const { fac } = await facilitatedWorkshop(server, track)
    await server.close()
    await until(
      'retrying',
      changes(fac),
      () => displayStatus(fac) === `retry:${ErrorCode.ServerRestart}`,
    )
    expect(fac.boardLink.provider.shouldConnect).toBe(true)
  })
})
