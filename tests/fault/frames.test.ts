/**
 * Bad input at volume: tens of thousands of random and mutated messages from authenticated raw
 * sockets, bad hellos, and hand-built bad WebSocket frames, against one real in-process server,
 * while two honest clients keep working. Seeded: replay a failure with STIP_FUZZ_SEED.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import * as syncProtocol from 'y-protocols/sync'
import type { WorkshopConnection } from '../../client/sync/connection.ts'
import {
  API,
  type CreateWorkshopResponse,
  type JoinResponse,
  type WorkshopInfo,
} from '../../shared/api.ts'
import { type Credential, DocName, MessageType, roomName } from '../../shared/protocol.ts'
import { encodeHello, encodeSaveBarrier } from '../../shared/wire.ts'
import { addCard, boardToJSON, listCards } from '../../shared/schema.ts'
import { createWorkshop, joinTable, lookup, startTestServer } from '../helpers/server.ts'
import { connectClient, live } from '../helpers/clients.ts'
import { type ChangeSource, until } from '../helpers/wait.ts'
import { guardProcess, type ProcessGuard } from './guard.ts'
import { fuzzSeed, mulberry32, type Rng } from './rng.ts'
import {
  awarenessAbuse,
  boardUpdatePool,
  controlUpdatePool,
  hugeLength,
  message,
  mutate,
  randomCard,
  syncStep1,
  syncUpdate,
  truncatedVarint,
  unknownType,
} from './frames.ts'
import { frame, OPCODE, upgrade } from './tcp.ts'

/** Messages from authenticated sockets; the brief asks for at least 40,000 in all. */
const AUTHED_MESSAGES = 40_000
/** Messages sent back to back before waiting for the server (flow control, not a limit). */
const BURST = 40
const BAD_HELLOS = 400
const WAIT_MS = 15_000

const seed = fuzzSeed()
let server: Awaited<ReturnType<typeof startTestServer>>
let workshop: CreateWorkshopResponse
let info: WorkshopInfo
let participant: JoinResponse
let guard: ProcessGuard
let a: WorkshopConnection
let b: WorkshopConnection
const counts = { authed: 0, reconnects: 0, badHellos: 0, tcpFrames: 0 }

beforeAll(async () => {
  console.log(`[frames] seed ${seed} (replay: STIP_FUZZ_SEED=${seed})`)
  guard = guardProcess()
  server = await startTestServer()
  workshop = await createWorkshop(server.url)
  info = await lookup(server.url, workshop.joinCode)
  participant = await joinTable(server.url, workshop.joinCode, 'Fuzzy', info.tables[0]!.id)
  a = connectClient(server.wsUrl, workshop.id, {
    kind: 'facilitator',
    key: workshop.facilitatorKey,
  })
  b = connectClient(server.wsUrl, workshop.id, { kind: 'participant', token: participant.token })
  await Promise.all([live(a), live(b)])
})

afterAll(async () => {
  a?.destroy()
  b?.destroy()
  guard?.stop()
  await server?.close()
  console.log(
    `[frames] seed ${seed}: ${counts.authed} messages on authenticated sockets (${counts.reconnects} reconnects), ` +
      `${counts.badHellos} bad hellos, ${counts.tcpFrames} hand-built bad frames`,
  )
})

const roomUrl = (doc: DocName) => `${server.wsUrl}/${roomName(workshop.id, doc)}`

interface Conn {
  ws: WebSocket
  closed: boolean
  /** Resolves on the next sync step 2 from the server, or when the socket closes. */
  pong(): Promise<'pong' | 'closed'>
}

async function openAuthed(url: string, credential: Credential): Promise<Conn> {
  const ws = new WebSocket(url)
  ws.on('error', () => {})
  let waiter: ((r: 'pong' | 'closed') => void) | null = null
  const conn: Conn = {
    ws,
    closed: false,
    pong: () =>
      conn.closed ? Promise.resolve('closed') : new Promise((resolve) => (waiter = resolve)),
  }
  let welcomed: (() => void) | null = null
  const welcome = new Promise<void>((resolve) => (welcomed = resolve))
  ws.on('message', (data: Buffer) => {
    const d = decoding.createDecoder(new Uint8Array(data))
    const type = decoding.readVarUint(d)
    if (type === MessageType.Welcome) welcomed?.()
    if (type === MessageType.Sync && decoding.readVarUint(d) === syncProtocol.messageYjsSyncStep2) {
      waiter?.('pong')
      waiter = null
    }
  })
  ws.on('close', () => {
    conn.closed = true
    waiter?.('closed')
    waiter = null
    welcomed?.()
  })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  ws.send(encodeHello(credential))
  await welcome
  if (conn.closed) throw new Error('authenticated socket refused')
  return conn
}

/** One fuzz message; about half of these get the socket closed, which is the point. */
function fuzzMessage(rng: Rng, pool: Uint8Array[]): Uint8Array | string {
  const roll = rng.int(100)
  if (roll < 30)
    return syncUpdate(
      mutate(rng, pool),
      rng.pick([syncProtocol.messageYjsUpdate, syncProtocol.messageYjsSyncStep2]),
    )
  if (roll < 42) return syncUpdate(rng.pick(pool)) // real updates keep sockets alive and the doc busy
  if (roll < 50) return rng.bytes(rng.int(200))
  if (roll < 57) return truncatedVarint(rng)
  if (roll < 64) return hugeLength(rng)
  if (roll < 71) return unknownType(rng)
  if (roll < 76) return awarenessAbuse(rng)
  if (roll < 80)
    return rng.pick(['hello', '{"kind":"facilitator"}', '\u0000', 'x'.repeat(rng.int(5000))])
  if (roll < 85) return encodeSaveBarrier(rng.pick([0, 1, rng.int(2 ** 31), 2 ** 53 - 1]))
  if (roll < 90) return message((e) => encoding.writeVarUint(e, MessageType.QueryAwareness))
  if (roll < 95)
    return syncStep1(
      rng.bool() ? mutate(rng, [Y.encodeStateVector(new Y.Doc())]) : rng.bytes(rng.int(12)),
    )
  return new Uint8Array(0)
}

/** Sends `quota` messages over a socket it reopens whenever the server closes it. */
async function fuzzWorker(
  rng: Rng,
  url: string,
  credential: Credential,
  pool: Uint8Array[],
  quota: number,
) {
  let sent = 0
  while (sent < quota) {
    const conn = await openAuthed(url, credential)
    counts.reconnects++
    while (!conn.closed && sent < quota) {
      for (let i = 0; i < BURST && sent < quota && conn.ws.readyState === WebSocket.OPEN; i++) {
        conn.ws.send(fuzzMessage(rng, pool))
        sent++
        counts.authed++
      }
      if (conn.ws.readyState !== WebSocket.OPEN) break
      // a fresh sync step 1 always gets a step 2 back: the server has read everything before it
      const answered = conn.pong()
      conn.ws.send(syncStep1(Y.encodeStateVector(new Y.Doc())))
      const timeout = new Promise<'timeout'>((resolve) =>
        setTimeout(() => resolve('timeout'), WAIT_MS).unref(),
      )
      const r = await Promise.race([answered, timeout])
      if (r === 'timeout') throw new Error('server neither answered nor closed the socket')
    }
    conn.ws.terminate()
  }
}

async function healthStatus(): Promise<number> {
  return (await fetch(server.url + API.health)).status
}

async function honestRoundTrip(id: string): Promise<void> {
  addCard(a.board, randomCard(mulberry32(id.length), id, info.tables[1]!.id))
  await until(`card ${id} reaches the other client`, [[b.board, 'update']], () =>
    listCards(b.board).some((c) => c.id === id),
  )
}

describe('the relay survives bad input at volume', () => {
  it(`${AUTHED_MESSAGES} random and mutated messages leave the server up and honest clients in sync`, async () => {
    const rng = mulberry32(seed)
    const tables = info.tables.map((t) => t.id)
    const boardPool = boardUpdatePool(rng, 400, tables)
    const controlPool = controlUpdatePool(rng, 100)
    const participantCred: Credential = { kind: 'participant', token: participant.token }
    const facilitatorCred: Credential = { kind: 'facilitator', key: workshop.facilitatorKey }
    const workers = [
      { doc: DocName.Board, cred: participantCred, pool: boardPool, share: 3 },
      { doc: DocName.Board, cred: participantCred, pool: boardPool, share: 3 },
      { doc: DocName.Board, cred: facilitatorCred, pool: boardPool, share: 2 },
      { doc: DocName.Board, cred: participantCred, pool: boardPool, share: 2 },
      { doc: DocName.Control, cred: facilitatorCred, pool: controlPool, share: 2 },
      { doc: DocName.Control, cred: participantCred, pool: controlPool, share: 1 },
    ]
    const shares = workers.reduce((s, w) => s + w.share, 0)
    // Rounds, so the honest clients are checked while the fuzz runs, not only after it.
    const ROUNDS = 4
    for (let round = 0; round < ROUNDS; round++) {
      await Promise.all(
        workers.map((w, i) =>
          fuzzWorker(
            mulberry32(rng.int(2 ** 32) + i),
            roomUrl(w.doc),
            w.cred,
            w.pool,
            Math.ceil((AUTHED_MESSAGES * w.share) / shares / ROUNDS),
          ),
        ),
      )
      expect(a.status.kind).toBe('live')
      expect(b.status.kind).toBe('live')
      await honestRoundTrip(`honest-${round}`)
    }
    expect(counts.authed).toBeGreaterThanOrEqual(AUTHED_MESSAGES)
    expect(guard.errors).toEqual([])
  }, 240_000)

  it(`${BAD_HELLOS} bad hellos and text frames are refused before any room is joined`, async () => {
    const rng = mulberry32(seed ^ 0x5eed)
    const hellos = (): Uint8Array | string => {
      const json = (s: string) =>
        message((e) => (encoding.writeVarUint(e, MessageType.Hello), encoding.writeVarString(e, s)))
      switch (rng.int(8)) {
        case 0:
          return json('{"kind":"facilitator","key":')
        case 1:
          return json(JSON.stringify({ kind: 'participant', token: 'x'.repeat(rng.range(0, 400)) }))
        case 2:
          return json(
            JSON.stringify({
              kind: rng.pick(['admin', 'server', '__proto__']),
              key: 'k'.repeat(20),
            }),
          )
        case 3:
          return json('{"__proto__":{"kind":"facilitator"},"key":"' + 'a'.repeat(20) + '"}')
        case 4:
          return rng.bytes(rng.int(64))
        case 5:
          return rng.pick(['{"kind":"viewer","code":"ABCDEF"}', 'GET / HTTP/1.1', ''])
        case 6:
          return truncatedVarint(rng)
        default:
          return message(
            (e) => (encoding.writeVarUint(e, MessageType.Hello), encoding.writeVarUint(e, 2 ** 31)),
          )
      }
    }
    const roomsBefore = server.rooms.size
    for (let i = 0; i < BAD_HELLOS; i += 10) {
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          const ws = new WebSocket(roomUrl(rng.bool() ? DocName.Board : DocName.Control))
          ws.on('error', () => {})
          const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)))
          await new Promise((resolve) => ws.once('open', resolve))
          ws.send(hellos())
          counts.badHellos++
          const code = await closed
          // a well-formed credential without a protocol version is an old tab's: 4426 (reload)
          expect([4400, 4401, 4404, 4426]).toContain(code)
        }),
      )
    }
    expect(server.rooms.size).toBe(roomsBefore)
    expect(guard.errors).toEqual([])
  }, 60_000)

  it('hand-built bad WebSocket frames close only their own connection', async () => {
    const path = new URL(roomUrl(DocName.Board)).pathname
    const hello = frame({
      opcode: OPCODE.binary,
      payload: encodeHello({ kind: 'participant', token: participant.token }),
    })
    const cases: { name: string; bytes: () => Buffer; afterHello: boolean }[] = [
      {
        name: 'RSV1 set without an extension',
        bytes: () =>
          frame({ opcode: OPCODE.binary, payload: new Uint8Array([0, 0, 0]), rsv: 0b100 }),
        afterHello: true,
      },
      {
        name: 'RSV2+RSV3 set',
        bytes: () => frame({ opcode: OPCODE.binary, payload: new Uint8Array([3]), rsv: 0b011 }),
        afterHello: false,
      },
      {
        name: 'invalid UTF-8 in a text frame',
        bytes: () =>
          frame({ opcode: OPCODE.text, payload: new Uint8Array([0xc3, 0x28, 0xff, 0xfe]) }),
        afterHello: true,
      },
      {
        name: 'huge declared length (2^62)',
        bytes: () =>
          frame({ opcode: OPCODE.binary, payload: new Uint8Array(8), declaredLength: 2 ** 62 }),
        afterHello: true,
      },
      {
        name: 'declared length just over maxPayload',
        bytes: () =>
          frame({
            opcode: OPCODE.binary,
            payload: new Uint8Array(16),
            declaredLength: 2 * 1024 * 1024 + 1,
          }),
        afterHello: false,
      },
      {
        name: 'unmasked client frame',
        bytes: () =>
          frame({
            opcode: OPCODE.binary,
            payload: new Uint8Array([MessageType.QueryAwareness]),
            mask: false,
          }),
        afterHello: true,
      },
      {
        name: 'reserved opcode 0x3',
        bytes: () => frame({ opcode: 0x3, payload: new Uint8Array([1]) }),
        afterHello: true,
      },
      {
        name: 'fragmented control frame (close without FIN)',
        bytes: () => frame({ opcode: OPCODE.close, payload: new Uint8Array([3, 232]), fin: false }),
        afterHello: false,
      },
      {
        name: 'continuation frame with nothing to continue',
        bytes: () => frame({ opcode: 0x0, payload: new Uint8Array([1, 2]) }),
        afterHello: true,
      },
    ]
    for (const c of cases) {
      const tcp = await upgrade(server.url, path)
      if (c.afterHello) {
        tcp.write(hello)
        await until(
          `welcome before: ${c.name}`,
          [[tcp.socket as unknown as ChangeSource, 'data']],
          () => tcp.received.length > 0,
          WAIT_MS,
        )
      }
      tcp.write(c.bytes())
      counts.tcpFrames++
      const closed = await Promise.race([
        tcp.ended.then(() => true),
        new Promise<false>((r) => setTimeout(() => r(false), WAIT_MS).unref()),
      ])
      expect(closed, `server closes the connection after: ${c.name}`).toBe(true)
    }
    expect(await healthStatus()).toBe(200)
    expect(guard.errors).toEqual([])
  }, 60_000)

  it('afterwards: health is 200, honest clients still sync and equal the server view', async () => {
    expect(await healthStatus()).toBe(200)
    await honestRoundTrip('honest-final')
    const room = server.rooms.get(workshop.id, DocName.Board)
    const control = server.rooms.get(workshop.id, DocName.Control)
    expect(room).toBeDefined()
    expect(control).toBeDefined()
    const sv = (d: Y.Doc) => Buffer.from(Y.encodeStateVector(d)).toString('hex')
    for (const [name, doc, serverDoc] of [
      ['board', (c: WorkshopConnection) => c.board, room!.doc],
      ['control', (c: WorkshopConnection) => c.control, control!.doc],
    ] as const) {
      await until(
        `${name}: both honest docs reach the server's state`,
        [
          [a[name], 'update'],
          [b[name], 'update'],
        ],
        () => sv(doc(a)) === sv(serverDoc) && sv(doc(b)) === sv(serverDoc),
      )
    }
    expect(boardToJSON(a.board)).toEqual(boardToJSON(room!.doc))
    expect(boardToJSON(b.board)).toEqual(boardToJSON(room!.doc))
    expect(a.control.getMap('state').toJSON()).toEqual(control!.doc.getMap('state').toJSON())
    expect(b.control.getMap('state').toJSON()).toEqual(control!.doc.getMap('state').toJSON())
    expect(guard.errors).toEqual([])
  }, 60_000)
})
