/**
 * [finding 15] Half-open connections: the network drops without either socket closing. A TCP
 * proxy freezes the link (nothing forwarded, no close passed on); the client must notice by its
 * own heartbeat and go offline, and the server by its ping frames and drop the presence.
 */
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { WorkshopConnection } from '../../client/sync/connection.ts'
import * as encoding from 'lib0/encoding'
import {
  CLIENT_DEAD_AFTER_MS,
  SERVER_DEAD_AFTER_MS,
  SERVER_PING_EVERY_MS,
} from '../../shared/limits.ts'
import { MessageType } from '../../shared/protocol.ts'
import { encodeHello, encodePing } from '../../shared/wire.ts'
import { joinTable, startTestServer } from '../helpers/server.ts'
import { facilitatedWorkshop } from '../helpers/scenario.ts'
import { live } from '../helpers/clients.ts'
import { openRaw } from '../helpers/raw.ts'
import { until } from '../helpers/wait.ts'
import { useCleanups } from '../helpers/lifecycle.ts'
import { startFreezableProxy } from '../fault/tcp.ts'

const track = useCleanups()

/** Short server timings so the test is quick; the client keeps its real ones. */
const SERVER_HEARTBEAT = { everyMs: 100, deadAfterMs: 600 }

/** A server with the short heartbeat and a raw facilitator socket it has welcomed. */
async function welcomedFacilitatorSocket() {
  const server = await startTestServer({ heartbeat: SERVER_HEARTBEAT })
  track(() => server.close())
  const { ws } = await facilitatedWorkshop(server, track)
  const raw = await openRaw(`${server.wsUrl}/${ws.id}/board`, {
    hello: { kind: 'facilitator', key: ws.facilitatorKey },
  })
  track(() => raw.ws.terminate())
  await raw.next(MessageType.Welcome)
  return { server, ws, raw }
}

const present = (observer: WorkshopConnection, clientId: number) =>
  observer.awareness.getStates().has(clientId)

describe('liveness', () => {
  it('a frozen link shows offline on the client, its presence leaves for others, and it comes back live', async () => {
    const server = await startTestServer({ heartbeat: SERVER_HEARTBEAT })
    track(() => server.close())
    const proxy = await startFreezableProxy(server.url)
    track(() => proxy.close())
    const { ws, info, fac } = await facilitatedWorkshop(server, track)
    const p = await joinTable(server.url, ws.joinCode, 'Inge', info.tables[0]!.id)
    const behindProxy = new WorkshopConnection({
      serverUrl: proxy.wsUrl,
      workshopId: ws.id,
      credential: { kind: 'participant', token: p.token },
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    })
    track(() => behindProxy.destroy())
    await live(behindProxy)
    behindProxy.awareness.setLocalStateField('user', { name: 'Inge', color: '#1b6e3c' })
    const id = behindProxy.awareness.clientID
    await until('facilitator sees Inge', [[fac.awareness, 'change']], () => present(fac, id))

    const frozenAt = Date.now()
    proxy.freeze()
    const after = (p: Promise<void>) => p.then(() => Date.now() - frozenAt)
    const [detectedMs, droppedMs] = await Promise.all([
      // the client's own bound is 4.5 s (shared/limits.ts); the wait allows for a busy machine
      after(
        until(
          'client shows offline',
          [[behindProxy, 'change']],
          () => behindProxy.status.kind === 'offline',
          3 * CLIENT_DEAD_AFTER_MS,
        ),
      ),
      after(
        until(
          'server dropped the frozen presence',
          [[fac.awareness, 'change']],
          () => !present(fac, id),
        ),
      ),
    ])
    console.log(
      `[liveness] half-open link: client offline after ${detectedMs} ms; presence dropped for others after ${droppedMs} ms (server heartbeat ${SERVER_HEARTBEAT.everyMs}/${SERVER_HEARTBEAT.deadAfterMs} ms)`,
    )

    proxy.thaw()
    await live(behindProxy)
    await until('facilitator sees Inge again', [[fac.awareness, 'change']], () => present(fac, id))
  }, 30_000)

  it('the server answers a Ping with a Pong, and cuts a socket that answers no ping frame', async () => {
    const { server, ws, raw } = await welcomedFacilitatorSocket()
    raw.send(encodePing())
    await raw.next(MessageType.Pong)
    // a peer that stops answering ping frames (`ws` answers them itself unless told not to)
    const silent = new WebSocket(`${server.wsUrl}/${ws.id}/board`, { autoPong: false })
    silent.on('error', () => {})
    const closed = new Promise<number>((resolve) => silent.on('close', (code) => resolve(code)))
    await new Promise((resolve) => silent.once('open', resolve))
    silent.send(encodeHello({ kind: 'facilitator', key: ws.facilitatorKey }))
    // terminated, not closed: no close frame, so the client sees 1006
    expect(await closed).toBe(1006)
  }, 30_000)

  it("a live peer is not cut for the server's own stall: a 1.5 s block of the event loop is not the peer's silence", async () => {
    const { raw } = await welcomedFacilitatorSocket()
    let closed = false
    raw.ws.on('close', () => (closed = true))
    // the server runs in this process: a synchronous task here stalls it (a GC pause, a big sync)
    const stallUntil = Date.now() + SERVER_HEARTBEAT.deadAfterMs * 2.5
    while (Date.now() < stallUntil) {
      /* busy */
    }
    // three more ping frames after the stall: the peer answered them all and is still connected
    let pings = 0
    await until(
      'three ping frames after the stall',
      [
        [raw.ws, 'ping'],
        [raw.ws, 'close'],
      ],
      () => closed || ++pings > 3,
      10_000,
    )
    expect(closed).toBe(false)
  }, 30_000)

  it('with the default timings, a peer that stops answering ping frames loses its presence for others (time logged)', async () => {
    const server = await startTestServer()
    track(() => server.close())
    const { ws, fac } = await facilitatedWorkshop(server, track)
    const silent = new WebSocket(`${server.wsUrl}/${ws.id}/board`, { autoPong: false })
    silent.on('error', () => {})
    track(() => silent.terminate())
    await new Promise((resolve) => silent.once('open', resolve))
    silent.send(encodeHello({ kind: 'facilitator', key: ws.facilitatorKey }))
    const silentId = 424242
    silent.send(awarenessMessage(silentId, { user: { name: 'Stil', color: '#1b6e3c' } }))
    await until('facilitator sees the silent peer', [[fac.awareness, 'change']], () =>
      present(fac, silentId),
    )
    const since = Date.now()
    await until(
      'silent peer dropped',
      [[fac.awareness, 'change']],
      () => !present(fac, silentId),
      20_000,
    )
    console.log(
      `[liveness] default server heartbeat (${SERVER_PING_EVERY_MS}/${SERVER_DEAD_AFTER_MS} ms): silent peer's presence dropped after ${Date.now() - since} ms`,
    )
  }, 30_000)
})

function awarenessMessage(clientId: number, state: unknown): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MessageType.Awareness)
  const inner = encoding.createEncoder()
  encoding.writeVarUint(inner, 1)
  encoding.writeVarUint(inner, clientId)
  encoding.writeVarUint(inner, 1)
  encoding.writeVarString(inner, JSON.stringify(state))
  encoding.writeVarUint8Array(e, encoding.toUint8Array(inner))
  return encoding.toUint8Array(e)
}
