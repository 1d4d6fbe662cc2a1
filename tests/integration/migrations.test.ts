/**
 * [finding 16] Schema versions: docs written before versions existed (tests/fixtures/v0, made by
 * that build) are migrated on load and read the same; a doc newer than this build is not written
 * to by a client; entries a reader drops are counted and logged.
 */
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { openSqliteStore } from '../../server/store/sqlite.ts'
import { hashSecret, newSecret, systemRandom } from '../../server/identity.ts'
import type { Logger } from '../../server/deps.ts'
import { DocName, ErrorCode } from '../../shared/protocol.ts'
import {
  BOARD_SCHEMA_VERSION,
  boardRoot,
  listCards,
  readBoardSchemaVersion,
  writeBoardSchemaVersion,
} from '../../shared/schema.ts'
import { CONTROL_SCHEMA_VERSION, readControlSchemaVersion } from '../../shared/control.ts'
import { migrateBoard, migrateControl } from '../../shared/migrations.ts'
import { DroppedEntryCounter } from '../../client/sync/read-issues.ts'
import { displayStatus } from '../../client/sync/useWorkshop.ts'
import type { WorkshopConnection } from '../../client/sync/connection.ts'
import { API } from '../../shared/api.ts'
import { createWorkshop, startTestServer, tempDir } from '../helpers/server.ts'
import { bearerFetch } from '../helpers/scenario.ts'
import { connectClient, live } from '../helpers/clients.ts'
import { until } from '../helpers/wait.ts'
import { useCleanups } from '../helpers/lifecycle.ts'
import { readEverything } from '../fixtures/v0/read.ts'

const track = useCleanups()
const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/v0')
const fixture = (name: string) => new Uint8Array(fs.readFileSync(path.join(FIXTURE, name)))
const v0Expected = JSON.parse(fs.readFileSync(path.join(FIXTURE, 'expected.json'), 'utf8')) as {
  meta: object
  rounds: ({ kind: string } & Record<string, unknown>)[]
}
/**
 * What v0's readers showed, plus what today's show of a doc that predates them: the board policy's
 * defaults (issue #14); and a round with its own kind's settings only (issue #11 point 9): v0's
 * empty criteria list on a dots round (and dot limits on a score round) are not read back.
 */
const expected = {
  ...v0Expected,
  meta: { ...v0Expected.meta, cardScope: 'own-table', sharedTextOpen: false },
  rounds: v0Expected.rounds.map(({ criteria, dotsPerPerson, maxPerTask, ...r }) =>
    r.kind === 'dots' ? { ...r, dotsPerPerson, maxPerTask } : { ...r, criteria },
  ),
}

const ID = 'fixtureWorkshop0'

/** A data dir holding one workshop whose docs are the given states, as an older build left it. */
function storedWorkshop(board: Uint8Array, control: Uint8Array): { dataDir: string; key: string } {
  const dataDir = tempDir()
  const store = openSqliteStore({ dataDir, synchronous: 'NORMAL' })
  const key = newSecret(systemRandom)
  store.createWorkshop({
    id: ID,
    joinCode: 'FXTURE',
    facilitatorKeyHash: hashSecret(key),
    title: 'Leertuin Participatie',
    language: 'nl',
    anonymity: 'table',
    cardScope: 'own-table',
    sharedTextOpen: false,
    minTableVoters: 3,
    createdAt: 1,
  })
  store.appendUpdates([
    { workshopId: ID, doc: DocName.Board, time: 1, participantId: null, data: board },
    { workshopId: ID, doc: DocName.Control, time: 1, participantId: null, data: control },
  ])
  store.close()
  return { dataDir, key }
}

const changes = (c: WorkshopConnection) => [[c, 'change']] as [WorkshopConnection, string][]

describe('schema versions', () => {
  it('the v0 fixture has no version, and the migration stamps the current one', () => {
    const board = new Y.Doc()
    Y.applyUpdate(board, fixture('board.bin'))
    const control = new Y.Doc()
    Y.applyUpdate(control, fixture('control.bin'))
    expect(readBoardSchemaVersion(board)).toBe(0)
    expect(readControlSchemaVersion(control)).toBe(0)
    expect(migrateBoard(board)).toBe(BOARD_SCHEMA_VERSION)
    expect(migrateControl(control)).toBe(CONTROL_SCHEMA_VERSION)
    expect(readBoardSchemaVersion(board)).toBe(BOARD_SCHEMA_VERSION)
    expect(migrateBoard(board)).toBe(0)
    expect(readEverything(board, control)).toEqual(expected)
  })

  it('a workshop stored by the v0 build is migrated on load and reads the same cards, tasks, rounds', async () => {
    const { dataDir, key } = storedWorkshop(fixture('board.bin'), fixture('control.bin'))
    const server = await startTestServer({ dataDir })
    track(() => server.close())
    const fac = connectClient(server.wsUrl, ID, { kind: 'facilitator', key })
    track(() => fac.destroy())
    await live(fac)
    expect(readBoardSchemaVersion(fac.board)).toBe(BOARD_SCHEMA_VERSION)
    expect(readControlSchemaVersion(fac.control)).toBe(CONTROL_SCHEMA_VERSION)
    expect(readEverything(fac.board, fac.control)).toEqual(expected)
    // the stamp is in the log, not only in memory
    const committed = new Y.Doc()
    Y.applyUpdate(committed, (await server.rooms.committedState(ID, DocName.Board)).state)
    expect(readBoardSchemaVersion(committed)).toBe(BOARD_SCHEMA_VERSION)
  })

  it('a new workshop is created with the current versions', async () => {
    const server = await startTestServer()
    track(() => server.close())
    const ws = await createWorkshop(server.url)
    const board = new Y.Doc()
    Y.applyUpdate(board, (await server.rooms.committedState(ws.id, DocName.Board)).state)
    const control = new Y.Doc()
    Y.applyUpdate(control, (await server.rooms.committedState(ws.id, DocName.Control)).state)
    expect(readBoardSchemaVersion(board)).toBe(BOARD_SCHEMA_VERSION)
    expect(readControlSchemaVersion(control)).toBe(CONTROL_SCHEMA_VERSION)
  })

  it('a client that receives a board newer than it knows shows "reload" and stops writing', async () => {
    const board = new Y.Doc()
    Y.applyUpdate(board, fixture('board.bin'))
    writeBoardSchemaVersion(board, BOARD_SCHEMA_VERSION + 1)
    const { dataDir, key } = storedWorkshop(Y.encodeStateAsUpdate(board), fixture('control.bin'))
    const server = await startTestServer({ dataDir })
    track(() => server.close())
    const fac = connectClient(server.wsUrl, ID, { kind: 'facilitator', key })
    track(() => fac.destroy())
    await until('refused', changes(fac), () => fac.boardLink.status.kind === 'refused')
    expect(fac.boardLink.status).toEqual({ kind: 'refused', code: ErrorCode.VersionMismatch })
    expect(displayStatus(fac)).toBe(`refused:${ErrorCode.VersionMismatch}`)
    expect(fac.boardLink.provider.shouldConnect).toBe(false)
    // the server did not "migrate" it down either
    expect(readBoardSchemaVersion(board)).toBe(BOARD_SCHEMA_VERSION + 1)
    expect(await server.rooms.read(ID, DocName.Board, readBoardSchemaVersion)).toBe(
      BOARD_SCHEMA_VERSION + 1,
    )
  })

  it('entries a reader cannot parse are counted on the client and logged by the server (root and count only)', async () => {
    const board = new Y.Doc()
    Y.applyUpdate(board, fixture('board.bin'))
    const broken = new Y.Map<unknown>()
    broken.set('name', 'geen geldige tafel')
    const card = new Y.Map<unknown>()
    card.set('kind', 'not-a-kind')
    board.transact(() => {
      boardRoot(board).tables.set('broken-table', broken)
      boardRoot(board).cards.set('broken-card', card)
    })
    const { dataDir, key } = storedWorkshop(Y.encodeStateAsUpdate(board), fixture('control.bin'))
    const lines: { event: string; fields: Record<string, unknown> }[] = []
    const log: Logger = {
      info() {},
      warn: (event, fields = {}) => lines.push({ event, fields }),
      error() {},
    }
    const server = await startTestServer({ dataDir, log })
    track(() => server.close())
    expect((await bearerFetch(server.url, key)('GET', API.workshop(ID))).status).toBe(200)
    expect(lines.filter((l) => l.event === 'schema.dropped_entry')).toContainEqual({
      event: 'schema.dropped_entry',
      fields: { root: 'tables', count: 1 },
    })
    const counter = new DroppedEntryCounter()
    track(() => counter.destroy())
    const fac = connectClient(server.wsUrl, ID, { kind: 'facilitator', key })
    track(() => fac.destroy())
    await live(fac)
    counter.byRoot.clear()
    expect(listCards(fac.board)).toHaveLength(2)
    expect(counter.byRoot.get('cards')).toBe(1)
  })
})
