/**
 * Bounds on the write path (issue #13): the per-workshop storage quota, full-state sync requests
 * per socket, one re-ask after a lock, client-id owners recorded for logs written before they
 * were, and checkpoints that once stored a pending delete set.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import * as syncProtocol from 'y-protocols/sync'
import Database from 'better-sqlite3'
import path from 'node:path'
import { CloseCode, DocName, ErrorCode, MessageType, roomName } from '../../shared/protocol.ts'
import { SYNC_REQUEST_BURST } from '../../shared/limits.ts'
import { JOIN_CODE_LENGTH } from '../../shared/api.ts'
import { addCard, listCards } from '../../shared/schema.ts'
import { setLocked, setPhaseId } from '../../shared/control.ts'
import { encodeSaveBarrier, readDurableAck, readNotice } from '../../shared/wire.ts'
import { openSqliteStore } from '../../server/store/sqlite.ts'
import { STAFF } from '../../server/store/store.ts'
import { createWorkshop, joinTable, lookup, startTestServer } from '../helpers/server.ts'
import { connectClient, live, saved } from '../helpers/clients.ts'
import { nextEvent, until } from '../helpers/wait.ts'
import { openRaw, type RawSocket } from '../helpers/raw.ts'
import { useCleanups } from '../helpers/lifecycle.ts'

const track = useCleanups()

const card = (id: string, table: string, text?: string) => ({
  id,
  kind: 'vision' as const,
  table,
  x: 0,
  y: 0,
  w: 1,
  h: 1,
  author: 'x',
  created: 1,
  ...(text !== undefined && { text }),
})

function syncMessage(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MessageType.Sync)
  write(e)
  return encoding.toUint8Array(e)
}

/** Sync messages of one sync type the raw socket has received. */
function syncCount(raw: RawSocket, syncType: number): number {
  return raw.messages.filter((m) => {
    const d = decoding.createDecoder(m)
    return decoding.readVarUint(d) === MessageType.Sync && decoding.readVarUint(d) === syncType
  }).length
}

async function workshopWithParticipant(opts: Parameters<typeof startTestServer>[0] = {}) {
  const server = await startTestServer(opts)
  track(() => server.close())
  const ws = await createWorkshop(server.url)
  const info = await lookup(server.url, ws.joinCode)
  const table = info.tables[0]!.id
  const p = await joinTable(server.url, ws.joinCode, 'Noor', table)
  const conn = (credential: Parameters<typeof connectClient>[2]) => {
    const c = connectClient(server.wsUrl, ws.id, credential)
    track(() => c.destroy())
    return c
  }
  return {
    server,
    ws,
    table,
    token: p.token,
    conn,
    roomUrl: (doc: DocName) => `${server.wsUrl}/${roomName(ws.id, doc)}`,
  }
}

describe('write-path limits', () => {
  it('a workshop past its storage quota refuses edits with QUOTA_EXCEEDED; other workshops keep saving', async () => {
    const { server, ws, table, token, conn } = await workshopWithParticipant({
      workshopQuotaBytes: 48 * 1024,
    })
    const writer = conn({ kind: 'participant', token })
    await live(writer)
    addCard(writer.board, card('small', table, 'Eén loket'))
    await saved(writer)
    const refused = nextEvent<[{ code: string }]>(
      writer,
      'notice',
      (n) => n.code === ErrorCode.QuotaExceeded,
    )
    addCard(writer.board, card('huge', table, 'x'.repeat(60_000)))
    await refused
    expect(writer.status).toMatchObject({ kind: 'live', saved: false })

    const other = await createWorkshop(server.url)
    const otherInfo = await lookup(server.url, other.joinCode)
    const op = await joinTable(server.url, other.joinCode, 'Sem', otherInfo.tables[0]!.id)
    const elsewhere = connectClient(server.wsUrl, other.id, {
      kind: 'participant',
      token: op.token,
    })
    track(() => elsewhere.destroy())
    await live(elsewhere)
    addCard(elsewhere.board, card('elsewhere', otherInfo.tables[0]!.id, 'y'.repeat(20_000)))
    await saved(elsewhere)

    const reader = conn({ kind: 'viewer', code: ws.joinCode })
    await live(reader)
    expect(listCards(reader.board).map((c) => c.id)).toEqual(['small'])
  })

  it(`a socket that keeps asking for the whole board is answered ${SYNC_REQUEST_BURST} times, then closed with 4429`, async () => {
    const fixed = 5_000_000
    const { ws, roomUrl } = await workshopWithParticipant({ clock: { now: () => fixed } })
    const raw = await openRaw(roomUrl(DocName.Board), {
      hello: { kind: 'viewer', code: ws.joinCode },
    })
    await raw.next(MessageType.Welcome)
    const ask = syncMessage((e) => syncProtocol.writeSyncStep1(e, new Y.Doc()))
    for (let i = 0; i < SYNC_REQUEST_BURST * 5; i++) raw.send(ask)
    expect((await raw.closed).code).toBe(CloseCode.RateLimited)
    expect(syncCount(raw, syncProtocol.messageYjsSyncStep2)).toBe(SYNC_REQUEST_BURST)
  })

  it('a participant refused during a lock is asked for its edits once when the lock lifts, not on every control change', async () => {
    const { ws, table, token, conn, roomUrl } = await workshopWithParticipant()
    const fac = conn({ kind: 'facilitator', key: ws.facilitatorKey })
    await live(fac)
    setLocked(fac.control, true)
    await saved(fac)

    const raw = await openRaw(roomUrl(DocName.Board), { hello: { kind: 'participant', token } })
    await raw.next(MessageType.Welcome)
    await until(
      'server asked once on join',
      [[raw.ws, 'message']],
      () => syncCount(raw, syncProtocol.messageYjsSyncStep1) === 1,
    )
    const mine = new Y.Doc()
    addCard(mine, card('during-lock', table))
    raw.send(syncMessage((e) => syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(mine))))
    expect(readNotice(await raw.next(MessageType.Notice)).code).toBe(ErrorCode.BoardLocked)

    setLocked(fac.control, false)
    await until(
      'asked again after unlock',
      [[raw.ws, 'message']],
      () => syncCount(raw, syncProtocol.messageYjsSyncStep1) === 2,
    )
    for (let i = 0; i < 20; i++) setPhaseId(fac.control, `phase-${i}`)
    await saved(fac)
    // a later board edit that reaches the raw socket proves the control edits were all handled
    addCard(fac.board, card('after', table))
    await until(
      'facilitator edit relayed',
      [[raw.ws, 'message']],
      () => syncCount(raw, syncProtocol.messageYjsUpdate) > 0,
    )
    expect(syncCount(raw, syncProtocol.messageYjsSyncStep1)).toBe(2)
  })

  it('a log written before client ids had owners gets them on open: the first writer of each id, staff for the rest', async () => {
    const { server, ws, table, token, conn } = await workshopWithParticipant()
    const participant = conn({ kind: 'participant', token })
    const fac = conn({ kind: 'facilitator', key: ws.facilitatorKey })
    await Promise.all([live(participant), live(fac)])
    addCard(participant.board, card('p', table))
    addCard(fac.board, card('f', table))
    await Promise.all([saved(participant), saved(fac)])
    const me = (await (
      await fetch(`${server.url}/api/workshops/${ws.id}/me`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as {
      participantId: string
    }
    const dataDir = server.dataDir
    await server.close()

    const old = new Database(path.join(dataDir, 'stip.db'))
    old.exec('DROP TABLE client_owners')
    old.pragma('user_version = 0')
    old.close()
    const store = openSqliteStore({ dataDir })
    try {
      const owners = store.clientOwners(ws.id, DocName.Board)
      expect(owners.get(participant.board.clientID)).toBe(me.participantId)
      expect(owners.get(fac.board.clientID)).toBe(STAFF)
    } finally {
      store.close()
    }
  })

  it('a checkpoint that holds a pending delete set no longer erases the next writer under those clocks', async () => {
    const { server, ws, table, conn } = await workshopWithParticipant()
    const victim = 424_242
    // what such a checkpoint held: the board plus deletions of clocks nobody had written yet
    const poisoned = new Y.Doc()
    const reader = conn({ kind: 'facilitator', key: ws.facilitatorKey })
    await live(reader)
    Y.applyUpdate(poisoned, Y.encodeStateAsUpdate(reader.board))
    const e = encoding.createEncoder()
    encoding.writeVarUint(e, 0)
    encoding.writeVarUint(e, 1)
    encoding.writeVarUint(e, victim)
    encoding.writeVarUint(e, 1)
    encoding.writeVarUint(e, 0)
    encoding.writeVarUint(e, 10_000_000)
    Y.applyUpdate(poisoned, encoding.toUint8Array(e))
    expect(poisoned.store.pendingDs).not.toBeNull()
    reader.destroy()
    await until('rooms unloaded', [[server.rooms, 'change']], () => server.rooms.size === 0)
    const dataDir = server.dataDir
    const db = new Database(path.join(dataDir, 'stip.db'))
    const seq = (
      db
        .prepare(`SELECT MAX(seq) AS s FROM updates WHERE workshop_id = ? AND doc = 'board'`)
        .get(ws.id) as { s: number }
    ).s
    db.prepare(
      `INSERT OR REPLACE INTO checkpoints (workshop_id, doc, seq, time, state) VALUES (?, 'board', ?, 0, ?)`,
    ).run(ws.id, seq, Buffer.from(Y.encodeStateAsUpdate(poisoned)))
    db.close()

    const fac = await openRaw(`${server.wsUrl}/${roomName(ws.id, DocName.Board)}`, {
      hello: { kind: 'facilitator', key: ws.facilitatorKey },
    })
    await fac.next(MessageType.Welcome)
    const next = new Y.Doc()
    next.clientID = victim
    addCard(next, card('survives', table, 'Samen verder'))
    fac.send(syncMessage((e) => syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(next))))
    fac.send(encodeSaveBarrier(1))
    expect(readDurableAck(await fac.next(MessageType.DurableAck)).barrier).toBe(1)
    const check = conn({ kind: 'viewer', code: ws.joinCode })
    await live(check)
    expect(listCards(check.board).map((c) => c.id)).toEqual(['survives'])

    // the same checkpoint, found under a log that already holds the victim's card
    fac.ws.close()
    check.destroy()
    await until('rooms unloaded again', [[server.rooms, 'change']], () => server.rooms.size === 0)
    const db2 = new Database(path.join(dataDir, 'stip.db'))
    db2.prepare(`DELETE FROM checkpoints WHERE workshop_id = ?`).run(ws.id)
    db2
      .prepare(
        `INSERT INTO checkpoints (workshop_id, doc, seq, time, state) VALUES (?, 'board', ?, 0, ?)`,
      )
      .run(ws.id, seq, Buffer.from(Y.encodeStateAsUpdate(poisoned)))
    db2.close()
    const again = conn({ kind: 'viewer', code: ws.joinCode })
    await live(again)
    expect(listCards(again.board).map((c) => c.id)).toEqual(['survives'])
  })

  /** A full disk: the store's file may not grow past `MAX_PAGES` once `fill` has run. */
  const MAX_PAGES = 120
  function fullDisk(dataDir: string) {
    const filler = new Database(path.join(dataDir, 'stip.db'))
    track(() => filler.close())
    return {
      fill: () =>
        filler
          .prepare(
            `INSERT INTO updates (workshop_id, doc, seq, time, participant_id, data) VALUES ('filler', 'board', 1, 0, NULL, ?)`,
          )
          .run(Buffer.alloc(MAX_PAGES * 4096)),
      free: () => filler.prepare(`DELETE FROM updates WHERE workshop_id = 'filler'`).run(),
    }
  }

  it('while the disk is full edits still reach peers and joiners at once; their writer is told saved only once they are on disk', async () => {
    const { server, ws, table, token, conn } = await workshopWithParticipant({
      store: { maxPageCount: MAX_PAGES },
      storageRetryMs: 20,
    })
    const writer = conn({ kind: 'participant', token })
    const peer = conn({ kind: 'viewer', code: ws.joinCode })
    await Promise.all([live(writer), live(peer)])
    addCard(writer.board, card('stored', table))
    await saved(writer)
    const disk = fullDisk(server.dataDir)
    disk.fill()
    const failed = nextEvent<[{ code: string }]>(
      writer,
      'notice',
      (n) => n.code === ErrorCode.StorageFailed,
    )
    addCard(writer.board, card('pending', table, 'x'.repeat(20_000)))
    await failed
    await until(
      'the edit not yet on disk reaches the peer',
      [[peer.board, 'update']],
      () => listCards(peer.board).length === 2,
    )
    const joiner = conn({ kind: 'viewer', code: ws.joinCode })
    await live(joiner)
    expect(
      listCards(joiner.board)
        .map((c) => c.id)
        .sort(),
    ).toEqual(['pending', 'stored'])
    expect(writer.status).toMatchObject({ kind: 'live', saved: false })
    disk.free()
    await saved(writer)
  })

  it('while the disk is full a first edit under a new client id reaches nobody, joiners included, until its owner is on disk', async () => {
    const { server, ws, table, token, conn } = await workshopWithParticipant({
      store: { maxPageCount: MAX_PAGES },
      storageRetryMs: 20,
    })
    const first = conn({ kind: 'participant', token })
    await live(first)
    addCard(first.board, card('stored', table))
    await saved(first)
    const bram = await joinTable(server.url, ws.joinCode, 'Bram', table)
    const newcomer = conn({ kind: 'participant', token: bram.token })
    await live(newcomer)
    const disk = fullDisk(server.dataDir)
    disk.fill()
    const failed = nextEvent<[{ code: string }]>(
      newcomer,
      'notice',
      (n) => n.code === ErrorCode.StorageFailed,
    )
    addCard(newcomer.board, card('first-of-bram', table, 'x'.repeat(20_000)))
    await failed
    // an edit under an id already on disk still goes out at once: it is not stuck behind it
    addCard(first.board, card('later', table))
    const joiner = conn({ kind: 'viewer', code: ws.joinCode })
    await live(joiner)
    await until(
      'the later edit reaches the joiner',
      [[joiner.board, 'update']],
      () => listCards(joiner.board).length === 2,
    )
    expect(
      listCards(joiner.board)
        .map((c) => c.id)
        .sort(),
    ).toEqual(['later', 'stored'])
    expect(listCards(first.board).map((c) => c.id)).not.toContain('first-of-bram')
    disk.free()
    await saved(newcomer)
    await until(
      'the committed first edit and what followed it reach the joiner',
      [[joiner.board, 'update']],
      () => listCards(joiner.board).length === 3,
    )
  })

  it('a join code from before codes grew keeps its letters and gets longer on open', async () => {
    const server = await startTestServer()
    const ws = await createWorkshop(server.url)
    const dataDir = server.dataDir
    await server.close()
    const old = new Database(path.join(dataDir, 'stip.db'))
    old.prepare(`UPDATE workshops SET join_code = 'ABC234' WHERE id = ?`).run(ws.id)
    old.pragma('user_version = 1')
    old.close()
    const store = openSqliteStore({ dataDir })
    try {
      const code = store.workshop(ws.id)!.joinCode
      expect(code).toHaveLength(JOIN_CODE_LENGTH)
      expect(code.startsWith('ABC234')).toBe(true)
    } finally {
      store.close()
    }
  })
})
