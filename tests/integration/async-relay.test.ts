/**
 * The relay on a store that answers later (issue #12): rooms load while sockets wait, one commit
 * is in flight per room, and the races that opens. Each test holds the store's answers back at
 * the moment that matters (tests/helpers/gate.ts) and lets them go, never waiting on a clock.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { API, ROUND_API } from '../../shared/api.ts'
import { readRound } from '../../shared/control.ts'
import { addTask } from '../../shared/tasks.ts'
import {
  CloseCode,
  type Credential,
  DocName,
  MessageType,
  roomName,
} from '../../shared/protocol.ts'
import { addCard, listCards } from '../../shared/schema.ts'
import { encodeHello } from '../../shared/wire.ts'
import { asAsyncStore } from '../../server/store/async-store.ts'
import { openSqliteStore } from '../../server/store/sqlite.ts'
import type { LoggedUpdate } from '../../server/store/store.ts'
import { createWorkshop, joinTable, startTestServer, tempDir } from '../helpers/server.ts'
import { bearerFetch, facilitatedWorkshop } from '../helpers/scenario.ts'
import { saved } from '../helpers/clients.ts'
import { StoreGate } from '../helpers/gate.ts'
import { WirePeer } from '../helpers/wire-peer.ts'
import { openRaw } from '../helpers/raw.ts'
import { until } from '../helpers/wait.ts'
import { useCleanups } from '../helpers/lifecycle.ts'
import { makeCard } from '../fixtures/builders.ts'

const track = useCleanups()

async function gatedServer(dataDir = tempDir()) {
  const gate = new StoreGate()
  const server = await startTestServer({ dataDir, wrapAsyncStore: (s) => gate.wrap(s) })
  track(() => server.close())
  // a test that failed while holding calls must not hold the shutdown too (cleanups run newest first)
  track(() => gate.open())
  const ws = await createWorkshop(server.url)
  const url = `${server.wsUrl}/${roomName(ws.id, DocName.Board)}`
  const facilitator = { kind: 'facilitator' as const, key: ws.facilitatorKey }
  return { gate, server, ws, url, facilitator }
}

/** A facilitator's socket on the live board, and a wait for a card to be applied in the room. */
async function liveBoard(
  server: Awaited<ReturnType<typeof startTestServer>>,
  workshopId: string,
  url: string,
  facilitator: Credential,
) {
  const peer = await WirePeer.synced(url, facilitator)
  track(() => peer.close())
  await peer.roundTrip()
  const room = server.rooms.get(workshopId, DocName.Board)!
  const applied = (id: string) =>
    until(`${id} applied`, [[room.doc, 'update']], () =>
      listCards(room.doc).some((c) => c.id === id),
    )
  return { peer, room, applied }
}

const boardLoads = (gate: StoreGate, id: string) =>
  gate.count('loadDoc', ([w, doc]) => w === id && doc === DocName.Board)

const cardsInLog = (batches: unknown[][]) =>
  batches.flatMap((args) => (args[0] as LoggedUpdate[]).map((u) => u.data))

describe('rooms that load while sockets wait', () => {
  it('two sockets joining one room while it loads share one load, and both are served', async () => {
    const { gate, server, ws, url, facilitator } = await gatedServer()
    gate.hold('loadDoc')
    const a = await WirePeer.open(url, facilitator)
    const b = await WirePeer.open(url, facilitator)
    track(() => a.close())
    track(() => b.close())
    await until('the board load is held', [[gate, 'change']], () => gate.heldCount('loadDoc') >= 1)
    // both hellos are past their checks and wait on the same load
    await until('both hellos wait', [[gate, 'change']], () => gate.count('workshop') >= 2)
    expect(server.rooms.size).toBe(0)
    gate.open('loadDoc')
    await a.waitFor('a welcomed', () => a.welcome !== null)
    await b.waitFor('b welcomed', () => b.welcome !== null)
    await a.roundTrip()
    await b.roundTrip()
    expect(boardLoads(gate, ws.id)).toBe(1)
    expect(server.rooms.get(ws.id, DocName.Board)!.peers.size).toBe(2)
    // both hold the template the room loaded
    expect(listCards(a.doc).length).toBe(listCards(b.doc).length)
  })

  it('messages sent while the room loads are handled after it, in the order sent', async () => {
    const { gate, server, ws, url, facilitator } = await gatedServer()
    gate.hold('loadDoc')
    const peer = await WirePeer.open(url, facilitator, { sendStep1: false })
    track(() => peer.close())
    // the hello is still waiting: these queue behind it
    peer.edit((d) => addCard(d, makeCard({ id: 'early-1', text: 'eerst' })))
    peer.edit((d) => addCard(d, makeCard({ id: 'early-2', text: 'daarna' })))
    const barrier = peer.barrier()
    peer.sendStep1()
    await until('the load is held', [[gate, 'change']], () => gate.heldCount('loadDoc') >= 1)
    expect(peer.welcome).toBeNull()
    gate.open('loadDoc')
    expect(await peer.ackOrRefusal(barrier)).toBe('acked')
    const room = server.rooms.get(ws.id, DocName.Board)!
    const ids = listCards(room.doc).map((c) => c.id)
    expect(ids).toEqual(expect.arrayContaining(['early-1', 'early-2']))
    // the ack came after the welcome: the hello was handled first
    expect(peer.welcome).not.toBeNull()
    expect(peer.notices).toEqual([])
  })

  it('a socket that closes while its room loads leaves no room behind', async () => {
    const { gate, server, ws, url, facilitator } = await gatedServer()
    gate.hold('loadDoc')
    const raw = await openRaw(url)
    raw.send(encodeHello(facilitator))
    await until('the load is held', [[gate, 'change']], () => gate.heldCount('loadDoc') >= 1)
    raw.ws.close()
    await raw.closed
    const changes: number[] = []
    server.rooms.on('change', () => changes.push(server.rooms.size))
    gate.open('loadDoc')
    // loaded, then unloaded again: nobody joined it
    await until('loaded and unloaded', [[server.rooms, 'change']], () => changes.includes(0))
    expect(server.rooms.get(ws.id, DocName.Board)).toBeUndefined()
    expect(boardLoads(gate, ws.id)).toBe(1)
    // nobody was welcomed on the closed socket
    expect(raw.messages.some((m) => m[0] === MessageType.Welcome)).toBe(false)
  })
})

describe('one commit in flight per room', () => {
  it('updates that arrive during a commit wait, go in the next one together, and are acked after it', async () => {
    const { gate, server, ws, url, facilitator } = await gatedServer()
    const { peer, room, applied } = await liveBoard(server, ws.id, url, facilitator)
    const before = gate.count('appendUpdates')
    gate.hold('appendUpdates')
    peer.edit((d) => addCard(d, makeCard({ id: 'first', text: 'een' })))
    const first = peer.barrier()
    await until(
      'the first commit is in flight',
      [[gate, 'change']],
      () => gate.heldCount('appendUpdates') === 1,
    )
    peer.edit((d) => addCard(d, makeCard({ id: 'second', text: 'twee' })))
    peer.edit((d) => addCard(d, makeCard({ id: 'third', text: 'drie' })))
    const later = peer.barrier()
    await applied('third')
    // no second commit while the first is in flight, and no ack for what it holds yet
    expect(gate.count('appendUpdates')).toBe(before + 1)
    expect(peer.acks).toEqual([])
    gate.release('appendUpdates')
    expect(await peer.ackOrRefusal(first)).toBe('acked')
    // the later barrier waits for the commit that holds its edits
    expect(peer.acks).not.toContain(later)
    await until(
      'the next commit is in flight',
      [[gate, 'change']],
      () => gate.heldCount('appendUpdates') === 1,
    )
    // the two cards (each with the author the server stamps on it) go in as one batch
    const next = new Y.Doc()
    Y.applyUpdate(next, (await server.rooms.storedState(ws.id, DocName.Board)).state)
    const batch = gate.held.find((h) => h.method === 'appendUpdates')!.args[0] as LoggedUpdate[]
    for (const u of batch) Y.applyUpdate(next, u.data)
    expect(listCards(next).map((c) => c.id)).toEqual(expect.arrayContaining(['second', 'third']))
    expect(gate.count('appendUpdates')).toBe(before + 2)
    gate.open('appendUpdates')
    expect(await peer.ackOrRefusal(later)).toBe('acked')
    const committed = new Y.Doc()
    const batches = gate.calls.filter((c) => c.method === 'appendUpdates').map((c) => c.args)
    for (const data of cardsInLog(batches)) Y.applyUpdate(committed, data)
    expect(listCards(committed).map((c) => c.id)).toEqual(
      expect.arrayContaining(['first', 'second', 'third']),
    )
    expect(room.hasUnsavedWrites).toBe(false)
  })

  it('a workshop deleted while a commit is in flight is deleted after that commit landed: nothing is left', async () => {
    const { gate, server, ws, url, facilitator } = await gatedServer()
    const peer = await WirePeer.synced(url, facilitator)
    track(() => peer.close())
    await peer.roundTrip()
    gate.hold('appendUpdates')
    peer.edit((d) => addCard(d, makeCard({ id: 'late', text: 'laat' })))
    peer.barrier()
    await until(
      'the commit is in flight',
      [[gate, 'change']],
      () => gate.heldCount('appendUpdates') === 1,
    )
    const deleted = fetch(server.url + API.workshop(ws.id), {
      method: 'DELETE',
      headers: { authorization: `Bearer ${ws.facilitatorKey}` },
    })
    // the sockets are closed at once; the rows wait for the commit
    await peer.waitFor('closed', () => peer.closed !== null)
    expect(peer.closed?.code).toBe(CloseCode.WorkshopDeleted)
    expect(gate.count('deleteWorkshop')).toBe(0)
    gate.open('appendUpdates')
    expect((await deleted).status).toBe(204)
    const order = gate.done.filter((m) => m === 'appendUpdates' || m === 'deleteWorkshop')
    expect(order.at(-1)).toBe('deleteWorkshop')
    const check = openSqliteStore({ dataDir: server.dataDir })
    try {
      expect(Object.values(check.rowsForWorkshop(ws.id)).every((n) => n === 0)).toBe(true)
    } finally {
      check.close()
    }
    // the relay refuses the workshop from now on
    const again = await WirePeer.open(url, facilitator)
    track(() => again.close())
    await again.waitFor('refused', () => again.closed !== null)
    expect([CloseCode.RoomNotFound, CloseCode.WorkshopDeleted]).toContain(again.closed!.code)
  })

  it('shutdown commits what is in flight and what queued behind it before the store closes', async () => {
    const dataDir = tempDir()
    const { gate, server, ws, url, facilitator } = await gatedServer(dataDir)
    const { peer, applied } = await liveBoard(server, ws.id, url, facilitator)
    gate.hold('appendUpdates')
    peer.edit((d) => addCard(d, makeCard({ id: 'in-flight', text: 'onderweg' })))
    await until(
      'the commit is in flight',
      [[gate, 'change']],
      () => gate.heldCount('appendUpdates') === 1,
    )
    peer.edit((d) => addCard(d, makeCard({ id: 'queued', text: 'in de rij' })))
    await applied('queued')
    const closing = server.close()
    gate.open('appendUpdates')
    await closing
    const store = asAsyncStore(openSqliteStore({ dataDir }))
    try {
      const doc = new Y.Doc()
      for (const e of await store.log(ws.id, DocName.Board)) Y.applyUpdate(doc, e.data)
      expect(listCards(doc).map((c) => c.id)).toEqual(
        expect.arrayContaining(['in-flight', 'queued']),
      )
    } finally {
      await store.close()
    }
  })

  it('a commit that fails keeps its edits queued and withholds the ack until a retry lands', async () => {
    const gate = new StoreGate()
    let failures = 1
    const server = await startTestServer({
      storageRetryMs: 10,
      wrapAsyncStore: (s) =>
        gate.wrap({
          ...s,
          file: s.file,
          appendUpdates: (batch) => {
            if (failures > 0 && batch.some((u) => u.doc === DocName.Board)) {
              failures--
              return Promise.reject(Object.assign(new Error('disk full'), { code: 'SQLITE_FULL' }))
            }
            return s.appendUpdates(batch)
          },
        }),
    })
    track(() => server.close())
    const ws = await createWorkshop(server.url)
    const url = `${server.wsUrl}/${roomName(ws.id, DocName.Board)}`
    const peer = await WirePeer.synced(url, { kind: 'facilitator', key: ws.facilitatorKey })
    track(() => peer.close())
    peer.edit((d) => addCard(d, makeCard({ id: 'kept', text: 'bewaard' })))
    const barrier = peer.barrier()
    await peer.waitFor('told storage failed', () =>
      peer.notices.some((n) => n.code === 'STORAGE_FAILED'),
    )
    expect(peer.acks).toEqual([])
    expect(await peer.ackOrRefusal(barrier, peer.notices.length)).toBe('acked')
    expect(peer.notices.map((n) => n.code)).toContain('STORAGE_RECOVERED')
    const doc = new Y.Doc()
    for (const e of await server.rooms.storedState(ws.id, DocName.Board).then((s) => [s]))
      Y.applyUpdate(doc, e.state)
    expect(listCards(doc).map((c) => c.id)).toContain('kept')
  })
})

describe('round routes on an async store', () => {
  it('a close that races ballots lets no ballot in after it: each cast is checked and stored in turn', async () => {
    const gate = new StoreGate()
    const server = await startTestServer({ wrapAsyncStore: (s) => gate.wrap(s) })
    track(() => server.close())
    const { ws, info, fac } = await facilitatedWorkshop(server, track)
    addTask(fac.board, { id: 'task-1', title: 'Kader', origin: [], author: 'f', created: 1 })
    await saved(fac)
    const people = []
    for (let i = 0; i < 6; i++)
      people.push(await joinTable(server.url, ws.joinCode, `p${i}`, info.tables[0]!.id))
    const post = (secret: string, path: string, body: unknown) =>
      bearerFetch(server.url, secret)('POST', path, body)
    const opened = await post(ws.facilitatorKey, ROUND_API.open(ws.id), {
      kind: 'dots',
      taskIds: ['task-1'],
      dotsPerPerson: 1,
      maxPerTask: 1,
    })
    expect(opened.status).toBe(201)
    const { roundId } = (await opened.json()) as { roundId: string }
    // every ballot waits at the store; the close comes in between them
    gate.hold('putBallot')
    const casts = people.map((p) =>
      post(p.token, ROUND_API.ballot(ws.id, roundId), { dots: { 'task-1': 1 } }),
    )
    await until(
      'the first ballot is held',
      [[gate, 'change']],
      () => gate.heldCount('putBallot') === 1,
    )
    const close = post(ws.facilitatorKey, ROUND_API.close(ws.id, roundId), {})
    gate.open('putBallot')
    const statuses = (await Promise.all(casts)).map((r) => r.status)
    expect((await close).status).toBe(200)
    const accepted = statuses.filter((s) => s === 200).length
    // the first one was in before the close; the ones queued behind the close are refused
    expect(accepted).toBeGreaterThanOrEqual(1)
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true)
    const check = openSqliteStore({ dataDir: server.dataDir })
    try {
      expect(check.ballots(ws.id, roundId).length).toBe(accepted)
    } finally {
      check.close()
    }
    const round = await server.rooms.read(ws.id, DocName.Control, (d) => readRound(d, roundId))
    expect(round?.status).toBe('closed')
    expect(round?.voterCount).toBe(accepted)
  })
})
