import { describe, expect, it } from 'vitest'
import path from 'node:path'
import Database from 'better-sqlite3'
import { API } from '../../shared/api.ts'
import { ErrorCode } from '../../shared/protocol.ts'
import { addCard, listCards } from '../../shared/schema.ts'
import { createWorkshop, joinTable, lookup, startTestServer } from '../helpers/server.ts'
import { connectClient, live, saved } from '../helpers/clients.ts'
import { nextEvent, until } from '../helpers/wait.ts'
import { useCleanups } from '../helpers/lifecycle.ts'

const track = useCleanups()

describe('storage failures and room lifecycle', () => {
  it('a full disk withholds the ack, keeps the edit, and commits it once space is back', async () => {
    const MAX_PAGES = 120
    const server = await startTestServer({ store: { maxPageCount: MAX_PAGES }, storageRetryMs: 20 })
    track(() => server.close())
    const ws = await createWorkshop(server.url)
    const info = await lookup(server.url, ws.joinCode)
    const p = await joinTable(server.url, ws.joinCode, 'Eva', info.tables[0]!.id)
    // another writer fills the file to the server connection's page limit
    const other = new Database(path.join(server.dataDir, 'stip.db'))
    track(() => other.close())
    other
      .prepare(
        `INSERT INTO updates (workshop_id, doc, seq, time, participant_id, data) VALUES ('filler', 'board', 1, 0, NULL, ?)`,
      )
      .run(Buffer.alloc(MAX_PAGES * 4096))
    const a = connectClient(server.wsUrl, ws.id, { kind: 'participant', token: p.token })
    track(() => a.destroy())
    await live(a)
    const failed = nextEvent<[{ code: string }]>(
      a,
      'notice',
      (n) => n.code === ErrorCode.StorageFailed,
    )
    addCard(a.board, {
      id: 'kept',
      kind: 'vision',
      table: info.tables[0]!.id,
      x: 0,
      y: 0,
      w: 1,
      h: 1,
      author: 'e',
      created: 1,
      text: 'x'.repeat(20_000),
    })
    await failed
    expect(a.status).toMatchObject({ kind: 'live', saved: false })
    expect((await fetch(server.url + API.health)).status).toBe(503)

    const recovered = nextEvent<[{ code: string }]>(
      a,
      'notice',
      (n) => n.code === ErrorCode.StorageRecovered,
    )
    other.prepare(`DELETE FROM updates WHERE workshop_id = 'filler'`).run()
    await recovered
    await saved(a)
    a.destroy()
    await until('room unloaded', [[server.rooms, 'change']], () => server.rooms.size === 0)
    const b = connectClient(server.wsUrl, ws.id, { kind: 'participant', token: p.token })
    track(() => b.destroy())
    await live(b)
    expect(listCards(b.board).map((c) => c.id)).toEqual(['kept'])
    expect((await fetch(server.url + API.health)).status).toBe(200)
  })

  it('rooms unload from memory when the last client leaves', async () => {
    const server = await startTestServer()
    track(() => server.close())
    const ws = await createWorkshop(server.url)
    const info = await lookup(server.url, ws.joinCode)
    const p = await joinTable(server.url, ws.joinCode, 'Fatima', info.tables[0]!.id)
    for (let round = 0; round < 3; round++) {
      const a = connectClient(server.wsUrl, ws.id, { kind: 'participant', token: p.token })
      await live(a)
      expect(server.rooms.size).toBe(2)
      addCard(a.board, {
        id: `r${round}`,
        kind: 'need',
        table: info.tables[0]!.id,
        x: 0,
        y: 0,
        w: 1,
        h: 1,
        author: 'f',
        created: round,
      })
      await saved(a)
      a.destroy()
      await until('rooms unloaded', [[server.rooms, 'change']], () => server.rooms.size === 0)
    }
    const a = connectClient(server.wsUrl, ws.id, { kind: 'participant', token: p.token })
    track(() => a.destroy())
    await live(a)
    expect(listCards(a.board).map((c) => c.id)).toEqual(['r0', 'r1', 'r2'])
  })
})
