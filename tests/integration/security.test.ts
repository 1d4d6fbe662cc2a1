import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import { API } from '../../shared/api.ts'
import { CloseCode, DocName, ErrorCode, MessageType, roomName } from '../../shared/protocol.ts'
import { MAX_MESSAGE_BYTES } from '../../shared/limits.ts'
import {
  Anonymity,
  BOARD_ROOT,
  addCard,
  boardRoot,
  listCards,
  listTables,
  readMeta,
  writeMeta,
  writeTable,
} from '../../shared/schema.ts'
import { addTask, allTasks, listTasks, mergeTasks, renameTask } from '../../shared/tasks.ts'
import { readManualLock, readPhaseId, setLocked, setPhaseId } from '../../shared/control.ts'
import { readNotice, readWelcome } from '../../shared/wire.ts'
import { createWorkshop, joinTable, lookup, startTestServer } from '../helpers/server.ts'
import { connectClient, live, saved } from '../helpers/clients.ts'
import { nextEvent, until } from '../helpers/wait.ts'
import { openRaw } from '../helpers/raw.ts'
import { useCleanups } from '../helpers/lifecycle.ts'

const track = useCleanups()

async function setup(opts: Parameters<typeof startTestServer>[0] = {}) {
  const server = await startTestServer(opts)
  track(() => server.close())
  const ws = await createWorkshop(server.url)
  const info = await lookup(server.url, ws.joinCode)
  const p = await joinTable(server.url, ws.joinCode, 'Carla', info.tables[0]!.id)
  const conn = (credential: Parameters<typeof connectClient>[2]) => {
    const c = connectClient(server.wsUrl, ws.id, credential)
    track(() => c.destroy())
    return c
  }
  const roomUrl = (doc: DocName) => `${server.wsUrl}/${roomName(ws.id, doc)}`
  return { server, ws, info, token: p.token, conn, roomUrl }
}

function updateMessage(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MessageType.Sync)
  syncProtocol.writeUpdate(e, update)
  return encoding.toUint8Array(e)
}

describe('roles and read-only connections are enforced by the server', () => {
  it('a projector (viewer) is read-only: its card never reaches the server or other clients', async () => {
    const { ws, info, token, conn } = await setup()
    const viewer = conn({ kind: 'viewer', code: ws.joinCode })
    const participant = conn({ kind: 'participant', token })
    await Promise.all([live(viewer), live(participant)])
    expect(viewer.welcome).toMatchObject({ role: 'viewer', readOnly: true })
    const refused = nextEvent<[{ code: string }]>(viewer, 'notice')
    addCard(viewer.board, {
      id: 'forged',
      kind: 'vision',
      table: info.tables[0]!.id,
      x: 0,
      y: 0,
      w: 1,
      h: 1,
      author: 'x',
      created: 1,
    })
    expect((await refused)[0].code).toBe(ErrorCode.ReadOnly)
    // a later legit edit proves the participant's stream got past the point of the forged one
    addCard(participant.board, {
      id: 'legit',
      kind: 'vision',
      table: info.tables[0]!.id,
      x: 0,
      y: 0,
      w: 1,
      h: 1,
      author: 'p',
      created: 2,
    })
    await saved(participant)
    const reader = conn({ kind: 'participant', token })
    await live(reader)
    expect(listCards(reader.board).map((c) => c.id)).toEqual(['legit'])
  })

  it("a participant's write to the control doc is refused; a facilitator's is accepted", async () => {
    const { ws, token, conn } = await setup()
    const participant = conn({ kind: 'participant', token })
    const facilitator = conn({ kind: 'facilitator', key: ws.facilitatorKey })
    await Promise.all([live(participant), live(facilitator)])
    expect(participant.controlLink.welcome).toMatchObject({ role: 'participant', readOnly: true })
    expect(participant.boardLink.welcome).toMatchObject({ readOnly: false })
    const refused = nextEvent<[{ code: string }]>(participant, 'notice')
    setPhaseId(participant.control, 'stemmen')
    expect((await refused)[0].code).toBe(ErrorCode.ReadOnly)
    setPhaseId(facilitator.control, 'plenair')
    await saved(facilitator)
    const reader = conn({ kind: 'viewer', code: ws.joinCode })
    await live(reader)
    expect(readPhaseId(reader.control)).toBe('plenair')
  })

  it('participants may propose tasks but not rename, merge or delete them; a facilitator may', async () => {
    const { ws, token, conn } = await setup()
    const participant = conn({ kind: 'participant', token })
    const facilitator = conn({ kind: 'facilitator', key: ws.facilitatorKey })
    await Promise.all([live(participant), live(facilitator)])
    addTask(facilitator.board, {
      id: 'task-fac-1',
      title: 'Wijkbudget',
      origin: [],
      author: 'f',
      created: 1,
    })
    addTask(facilitator.board, {
      id: 'task-fac-2',
      title: 'Buurtkamer',
      origin: [],
      author: 'f',
      created: 2,
    })
    await saved(facilitator)
    await until(
      'tasks reach the participant',
      [[participant.board, 'update']],
      () => listTasks(participant.board).length === 2,
    )
    // proposing is allowed: a new task in one transaction, acked like any edit
    addTask(participant.board, {
      id: 'task-part-1',
      title: 'Groene schoolpleinen',
      origin: [],
      author: 'p',
      created: 3,
    })
    await saved(participant)

    const refused = nextEvent<[{ code: string; message: string }]>(participant, 'notice')
    renameTask(participant.board, 'task-fac-1', 'Gekaapt')
    // the barrier sent right after the refused rename: no durable ack may ever cover it
    const refusedBarrier = participant.boardLink.tracker.latest
    // the notice names the barrier before the refused update: the tab can tell which edit it was
    expect((await refused)[0]).toEqual({
      code: ErrorCode.Forbidden,
      message: BOARD_ROOT.tasks,
      after: refusedBarrier - 1,
    })
    mergeTasks(participant.board, 'task-fac-1', ['task-fac-2'])
    boardRoot(participant.board).tasks.delete('task-part-1')

    // the facilitator's later rename lands, so everything the participant sent before was judged
    renameTask(facilitator.board, 'task-fac-2', 'Buurtkamer in elke wijk')
    await saved(facilitator)
    const reader = conn({ kind: 'viewer', code: ws.joinCode })
    await live(reader)
    expect(allTasks(reader.board).map((t) => [t.id, t.title, t.mergedInto])).toEqual([
      ['task-fac-1', 'Wijkbudget', null],
      ['task-fac-2', 'Buurtkamer in elke wijk', null],
      ['task-part-1', 'Groene schoolpleinen', null],
    ])
    // the refused edits are not on disk, so the participant is never told they were saved
    expect(participant.status).toMatchObject({ kind: 'live', saved: false })
    expect(participant.boardLink.tracker.acknowledged).toBeLessThan(refusedBarrier)
  })

  it("a participant cannot change the workshop's anonymity or its tables; cards still flow", async () => {
    const { server, ws, info, token, conn } = await setup()
    const participant = conn({ kind: 'participant', token })
    await live(participant)
    const meta = readMeta(participant.board)!
    expect(meta.anonymity).toBe(Anonymity.Table)
    const refused = nextEvent<[{ code: string; message: string }]>(participant, 'notice')
    writeMeta(participant.board, { ...meta, anonymity: Anonymity.Named })
    const refusedBarrier = participant.boardLink.tracker.latest
    expect((await refused)[0]).toEqual({
      code: ErrorCode.Forbidden,
      message: BOARD_ROOT.meta,
      after: refusedBarrier - 1,
    })
    const table = listTables(participant.board)[0]!
    writeTable(participant.board, { ...table, name: 'Gekaapt' })
    boardRoot(participant.board).tables.delete(listTables(participant.board)[1]!.id)

    await until(
      'participant unsaved',
      [[participant, 'change']],
      () => participant.status.kind === 'live' && !participant.status.saved,
    )

    // another participant's card still flows and is saved
    const bo = await joinTable(server.url, ws.joinCode, 'Bo', info.tables[1]!.id)
    const other = conn({ kind: 'participant', token: bo.token })
    await live(other)
    addCard(other.board, {
      id: 'card-bo',
      kind: 'vision',
      table: info.tables[1]!.id,
      x: 0,
      y: 0,
      w: 1,
      h: 1,
      author: 'b',
      created: 1,
    })
    await saved(other)
    const reader = conn({ kind: 'viewer', code: ws.joinCode })
    await live(reader)
    expect(readMeta(reader.board)?.anonymity).toBe(Anonymity.Table)
    expect(listTables(reader.board).map((t) => t.name)).toEqual(info.tables.map((t) => t.name))
    expect(listCards(reader.board).map((c) => c.id)).toEqual(['card-bo'])
  })

  it('a forged token, a wrong facilitator key and a wrong code are closed with 4401', async () => {
    const { roomUrl } = await setup()
    for (const hello of [
      { kind: 'participant' as const, token: 'A'.repeat(22) },
      { kind: 'facilitator' as const, key: 'B'.repeat(22) },
      { kind: 'viewer' as const, code: 'ZZZZZZ' },
    ]) {
      const raw = await openRaw(roomUrl(DocName.Board), { hello })
      expect((await raw.closed).code).toBe(CloseCode.Unauthorized)
    }
  })

  it('a socket that sends sync before hello is closed 4401; one that sends nothing times out', async () => {
    const { roomUrl } = await setup({ authDeadlineMs: 200 })
    const eager = await openRaw(roomUrl(DocName.Board))
    const e = encoding.createEncoder()
    encoding.writeVarUint(e, MessageType.Sync)
    syncProtocol.writeSyncStep1(e, new Y.Doc())
    eager.send(encoding.toUint8Array(e))
    expect((await eager.closed).code).toBe(CloseCode.Unauthorized)
    const silent = await openRaw(roomUrl(DocName.Board))
    expect((await silent.closed).code).toBe(CloseCode.AuthTimeout)
  })

  it('a crafted update on a read-only raw socket is refused with a notice and not applied', async () => {
    const { ws, token, conn, roomUrl } = await setup()
    const raw = await openRaw(roomUrl(DocName.Control), { hello: { kind: 'participant', token } })
    expect(readWelcome(await raw.next(MessageType.Welcome)).readOnly).toBe(true)
    const forged = new Y.Doc()
    setLocked(forged, true)
    raw.send(updateMessage(Y.encodeStateAsUpdate(forged)))
    expect(readNotice(await raw.next(MessageType.Notice)).code).toBe(ErrorCode.ReadOnly)
    const reader = conn({ kind: 'facilitator', key: ws.facilitatorKey })
    await live(reader)
    expect(readManualLock(reader.control)).toBe(false)
  })

  it('an upgrade from a foreign Origin is refused with 403; the own origin is accepted', async () => {
    const { server, roomUrl } = await setup()
    await expect(
      openRaw(roomUrl(DocName.Board), { origin: 'https://evil.example' }),
    ).rejects.toThrow('403')
    const ok = await openRaw(roomUrl(DocName.Board), { origin: server.url })
    ok.ws.close()
  })

  it('room names that are not a workshop id and a doc are closed with 4404', async () => {
    const { server } = await setup()
    for (const path of [
      '/ws/../../etc/passwd/board',
      '/ws/abc/board',
      '/ws/AAAAAAAAAAAA/other',
      '/nope',
    ]) {
      const raw = await openRaw(server.url.replace('http', 'ws') + path)
      expect((await raw.closed).code).toBe(CloseCode.RoomNotFound)
    }
  })
})

describe('bad frames close only the offending socket', () => {
  it('malformed messages close that socket with 4400 and others keep syncing', async () => {
    const { info, token, conn, roomUrl } = await setup()
    const a = conn({ kind: 'participant', token })
    const b = conn({ kind: 'participant', token })
    await Promise.all([live(a), live(b)])
    const bad: Uint8Array[] = [
      new Uint8Array([MessageType.Sync, 2, 0xff, 0xff, 0xff, 0xff, 0x0f]), // huge length
      new Uint8Array([MessageType.Sync, 2, 5, 1, 2]), // truncated update
      new Uint8Array([MessageType.Sync, 9]), // unknown sync type
      new Uint8Array([77]), // unknown message type
      new Uint8Array([MessageType.Awareness, 3, 1, 1, 1]), // truncated awareness
      new Uint8Array([0x80]), // truncated varint
    ]
    for (const bytes of bad) {
      const raw = await openRaw(roomUrl(DocName.Board), { hello: { kind: 'participant', token } })
      await raw.next(MessageType.Welcome)
      raw.send(bytes)
      expect((await raw.closed).code).toBe(CloseCode.BadMessage)
    }
    const textFrame = await openRaw(roomUrl(DocName.Board), {
      hello: { kind: 'participant', token },
    })
    textFrame.ws.send('hello as text')
    expect((await textFrame.closed).code).toBe(CloseCode.BadMessage)
    addCard(a.board, {
      id: 'after',
      kind: 'need',
      table: info.tables[0]!.id,
      x: 0,
      y: 0,
      w: 1,
      h: 1,
      author: 'a',
      created: 1,
    })
    await until('b receives', [[b.board, 'update']], () => listCards(b.board).length === 1)
  })

  it('an oversized message closes that socket (1009) and the server keeps serving', async () => {
    const { server, token, conn, roomUrl } = await setup()
    const a = conn({ kind: 'participant', token })
    await live(a)
    const raw = await openRaw(roomUrl(DocName.Board), { hello: { kind: 'participant', token } })
    await raw.next(MessageType.Welcome)
    raw.send(new Uint8Array(MAX_MESSAGE_BYTES + 1))
    expect((await raw.closed).code).toBe(1009)
    const res = await fetch(server.url + API.health)
    expect(res.status).toBe(200)
    expect(a.status.kind).toBe('live')
  })
})
