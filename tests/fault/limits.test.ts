/**
 * Connection limits under pressure: a reader that stops reading is cut off once the server holds
 * too many unsent bytes for it, silent sockets time out, and thousands of room open/close cycles
 * leave no room behind.
 */
import { describe, expect, it } from 'vitest'
import type WebSocket from 'ws'
import * as Y from 'yjs'
import type { Socket } from 'node:net'
import {
  type Credential,
  CloseCode,
  DocName,
  MessageType,
  roomName,
} from '../../shared/protocol.ts'
import { encodeSaveBarrier, readDurableAck } from '../../shared/wire.ts'
import { addCard } from '../../shared/schema.ts'
import { createWorkshop, joinTable, lookup, startTestServer } from '../helpers/server.ts'
import { openRaw } from '../helpers/raw.ts'
import { until } from '../helpers/wait.ts'
import { useCleanups } from '../helpers/lifecycle.ts'
import { syncUpdate } from './frames.ts'
import { withSeed } from './rng.ts'

const track = useCleanups()

/** Small on purpose: the default (8 MiB) would take a long flood on top of the kernel buffers. */
const MAX_BUFFERED = 256 * 1024
/** Flood budget before we call the limit broken: kernel socket buffers on loopback hold several MiB. */
const FLOOD_LIMIT_BYTES = 256 * 1024 * 1024
const CARD_TEXT_CHARS = 60_000

const socketOf = (ws: WebSocket) => (ws as unknown as { _socket: Socket })._socket

describe('connection limits', () => {
  it('a reader that stops reading is cut off past maxBufferedBytes and its memory is freed', async () => {
    const server = await startTestServer({ maxBufferedBytes: MAX_BUFFERED })
    track(() => server.close())
    const ws = await createWorkshop(server.url)
    const info = await lookup(server.url, ws.joinCode)
    const p = await joinTable(server.url, ws.joinCode, 'Traag', info.tables[0]!.id)
    const url = `${server.wsUrl}/${roomName(ws.id, DocName.Board)}`
    const slow = await openRaw(url, { hello: { kind: 'participant', token: p.token } })
    await slow.next(MessageType.Welcome)
    const flooder = await openRaw(url, { hello: { kind: 'facilitator', key: ws.facilitatorKey } })
    await flooder.next(MessageType.Welcome)
    const room = server.rooms.get(ws.id, DocName.Board)!
    expect(room.peers.size).toBe(2)
    const baseline = server.connectionCount()
    socketOf(slow.ws).pause()

    // every update waits for its durable ack, so the loop moves at the server's pace
    const doc = new Y.Doc()
    let sent = 0
    let barrier = 0
    while (server.connectionCount() === baseline) {
      if (sent > FLOOD_LIMIT_BYTES)
        throw new Error(`still connected after ${sent} bytes of broadcast`)
      const before = Y.encodeStateVector(doc)
      addCard(doc, {
        id: `flood-${barrier}`,
        kind: 'note',
        table: null,
        x: 0,
        y: 0,
        w: 1,
        h: 1,
        author: 'f',
        created: barrier,
        text: 'x'.repeat(CARD_TEXT_CHARS),
      })
      const update = Y.encodeStateAsUpdate(doc, before)
      flooder.messages.length = 0
      flooder.send(syncUpdate(update))
      flooder.send(encodeSaveBarrier(++barrier))
      const ack = readDurableAck(await flooder.next(MessageType.DurableAck))
      expect(ack.barrier).toBe(barrier)
      sent += update.length
    }
    expect(server.connectionCount()).toBe(baseline - 1)
    expect(room.peers.size).toBe(1)
    socketOf(slow.ws).resume()
    const closed = await slow.closed
    expect([CloseCode.SlowConsumer, 1006]).toContain(closed.code)
    console.log(
      `[limits] slow consumer cut off after ${(sent / 1024 / 1024).toFixed(1)} MiB of broadcast (limit ${MAX_BUFFERED} B)`,
    )
    // the flooder is unaffected
    flooder.messages.length = 0
    flooder.send(encodeSaveBarrier(++barrier))
    expect(readDurableAck(await flooder.next(MessageType.DurableAck)).barrier).toBe(barrier)
  }, 60_000)

  it('sockets that never say hello are closed at the auth deadline and forgotten', async () => {
    const server = await startTestServer({ authDeadlineMs: 150 })
    track(() => server.close())
    const ws = await createWorkshop(server.url)
    const url = `${server.wsUrl}/${roomName(ws.id, DocName.Board)}`
    const silent = await Promise.all(Array.from({ length: 30 }, () => openRaw(url)))
    const codes = await Promise.all(silent.map((s) => s.closed.then((c) => c.code)))
    expect(codes).toEqual(codes.map(() => CloseCode.AuthTimeout))
    // the server forgets a socket on its own 'close', a moment after the client saw the close frame
    await expect.poll(() => server.connectionCount(), { timeout: 2_000 }).toBe(0)
    expect(server.rooms.size).toBe(0)
  })

  it('2,000 room open/close cycles across many workshops leave no room loaded', async () => {
    await withSeed('rooms', async (rng) => {
      const server = await startTestServer()
      track(() => server.close())
      const workshops = await Promise.all(
        Array.from({ length: 40 }, (_, i) => createWorkshop(server.url, `Werkplaats ${i}`)),
      )
      const CYCLES = 2_000
      const PARALLEL = 20
      let started = 0
      let done = 0
      let maxRooms = 0
      const one = async () => {
        const w = rng.pick(workshops)
        const doc = rng.pick([DocName.Board, DocName.Control])
        const hello: Credential = { kind: 'facilitator', key: w.facilitatorKey }
        const raw = await openRaw(`${server.wsUrl}/${roomName(w.id, doc)}`, { hello })
        await raw.next(MessageType.Welcome)
        maxRooms = Math.max(maxRooms, server.rooms.size)
        if (rng.bool(0.3)) raw.ws.terminate()
        else raw.ws.close()
        await raw.closed
        done++
      }
      await Promise.all(
        Array.from({ length: PARALLEL }, async () => {
          while (started++ < CYCLES) await one()
        }),
      )
      expect(done).toBeGreaterThanOrEqual(CYCLES)
      expect(maxRooms).toBeGreaterThan(1)
      await until('every room unloaded', [[server.rooms, 'change']], () => server.rooms.size === 0)
      await expect.poll(() => server.connectionCount(), { timeout: 2_000 }).toBe(0)
      console.log(
        `[limits] ${done} room open/close cycles over ${workshops.length} workshops, up to ${maxRooms} rooms at once, 0 left`,
      )
    })
  }, 90_000)
})
