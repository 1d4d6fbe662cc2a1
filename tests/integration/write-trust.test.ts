/**
 * The write path judges every Yjs update by what it would do (issue #13, findings 1-4, 13, 14).
 * Attacks are hand-built updates on raw sockets; honest clients are the app's own connection or a
 * wire-level peer that behaves like the stock provider. What counts is the committed state, read
 * three ways: a fresh connection, the organiser's export (state and log), and after a restart.
 */
import { describe, expect, it } from 'vitest'
import path from 'node:path'
import Database from 'better-sqlite3'
import * as Y from 'yjs'
import type { WorkshopConnection } from '../../client/sync/connection.ts'
import { HISTORY_API } from '../../shared/api.ts'
import { type Credential, DocName, ErrorCode, roomName } from '../../shared/protocol.ts'
import {
  Anonymity,
  addCard,
  boardRoot,
  cardBody,
  cardMap,
  listCards,
  listTables,
  readMeta,
  writeMeta,
  writeTable,
} from '../../shared/schema.ts'
import { addTask, readTask, renameTask } from '../../shared/tasks.ts'
import { readPhaseId, setPhaseId } from '../../shared/control.ts'
import { plainText } from '../../shared/richtext.ts'
import { ReportSchema } from '../../shared/report.ts'
import { createWorkshop, joinTable, lookup, startTestServer } from '../helpers/server.ts'
import { connectClient, live, saved, stopClient } from '../helpers/clients.ts'
import { bearerFetch } from '../helpers/scenario.ts'
import { nextEvent, until } from '../helpers/wait.ts'
import { useCleanups } from '../helpers/lifecycle.ts'
import { WirePeer } from '../helpers/wire-peer.ts'
import { deleteSetOnly, forgedEdit, futureDeletes } from '../helpers/yjs-craft.ts'
import { committedBoards } from '../helpers/committed.ts'
import { makeCard } from '../fixtures/builders.ts'

const track = useCleanups()

type Server = Awaited<ReturnType<typeof startTestServer>>

async function setup(
  opts: { anonymity?: Anonymity; server?: Parameters<typeof startTestServer>[0] } = {},
) {
  // the current server: tests restart it, cleanup closes whichever is running
  const at: { server: Server } = { server: await startTestServer(opts.server) }
  track(() => at.server.close())
  const ws = await createWorkshop(at.server.url, 'Leertuin Participatie', opts.anonymity)
  const info = await lookup(at.server.url, ws.joinCode)
  const fac = connectClient(at.server.wsUrl, ws.id, { kind: 'facilitator', key: ws.facilitatorKey })
  track(() => stopClient(fac, 'destroy'))
  await live(fac)
  const boardUrl = () => `${at.server.wsUrl}/${roomName(ws.id, DocName.Board)}`
  const join = async (name: string, table = 0) => {
    const p = await joinTable(at.server.url, ws.joinCode, name, info.tables[table]!.id)
    const credential: Credential = { kind: 'participant', token: p.token }
    return { ...p, credential, tableId: info.tables[table]!.id }
  }
  /** A participant on the app's own connection. */
  const participant = async (name: string, table = 0) => {
    const p = await join(name, table)
    const conn = connectClient(at.server.wsUrl, ws.id, p.credential)
    track(() => conn.destroy())
    await live(conn)
    return { ...p, conn }
  }
  /** A participant on a raw socket that holds the server's state. */
  const rawParticipant = async (name: string, table = 0) => {
    const p = await join(name, table)
    return { ...p, peer: await openPeer(p.credential) }
  }
  const openPeer = async (
    credential: Credential,
    opts: Parameters<typeof WirePeer.open>[2] = {},
  ) => {
    const peer = await WirePeer.synced(boardUrl(), credential, opts)
    track(() => peer.close())
    return peer
  }
  /** Reads every committed view; honest connections are stopped first so none re-sends anything. */
  const committed = async (...clients: WorkshopConnection[]) => {
    for (const c of [fac, ...clients]) stopClient(c, 'disconnect')
    const { views, restarted } = await committedBoards(at.server, ws)
    at.server = restarted
    return views
  }
  return { at, ws, info, fac, boardUrl, join, participant, rawParticipant, openPeer, committed }
}

/** One summary per committed view, so a failure shows every view side by side. */
const perView = <T>(views: Record<string, Y.Doc>, read: (doc: Y.Doc) => T) =>
  Object.fromEntries(Object.entries(views).map(([name, doc]) => [name, read(doc)]))
const sameInEveryView = <T>(views: Record<string, Y.Doc>, expected: T) =>
  Object.fromEntries(Object.keys(views).map((name) => [name, expected]))

const tableName = (d: Y.Doc, id: string) => listTables(d).find((t) => t.id === id)?.name ?? null
function renameTable(doc: Y.Doc, id: string, name: string): void {
  writeTable(doc, { ...listTables(doc).find((t) => t.id === id)!, name })
}

const offline = (c: WorkshopConnection) =>
  until('connection offline', [[c, 'change']], () => c.status.kind === 'offline')

describe('every participant update is judged on what it would do (issue #13)', () => {
  it('[F1] a delete set over clocks the server has not seen yet erases none of the edits acked after it', async () => {
    const s = await setup()
    const { fac, info } = s
    addTask(fac.board, { id: 'task-1', title: 'Wijkbudget', origin: [], author: 'f', created: 1 })
    await saved(fac)
    const bo = await s.participant('Bo', 1)
    const eve = await s.rawParticipant('Eve', 0)
    // every client id Eve can learn (presence, the server's state vector), each from its next clock on
    const ids = new Set([
      ...eve.peer.awarenessIds,
      ...eve.peer.serverStateVector.keys(),
      fac.board.clientID,
      bo.conn.board.clientID,
    ])
    eve.peer.sendUpdate(deleteSetOnly(futureDeletes(eve.peer.doc, ids, 10_000_000)))
    await eve.peer.roundTrip()

    // the title is set through the settings route now; a table's name is the facilitator's too
    renameTable(fac.board, info.tables[0]!.id, 'Inwoners na de pauze')
    renameTask(fac.board, 'task-1', 'Wijkbudget voor iedereen')
    writeTable(fac.board, {
      id: 'table-extra',
      name: 'Jongeren',
      perspective: 'other',
      color: '#336699',
      pattern: 'dots',
      order: 9,
      x: 0,
      y: 2000,
      w: 760,
      h: 900,
    })
    await saved(fac)
    addCard(
      bo.conn.board,
      makeCard({
        id: 'card-bo',
        table: info.tables[1]!.id,
        author: bo.participantId,
        text: 'Kaart van Bo',
      }),
    )
    await saved(bo.conn)

    const views = await s.committed(bo.conn)
    const summary = (d: Y.Doc) => ({
      title: tableName(d, info.tables[0]!.id),
      task: readTask(d, 'task-1')?.title ?? null,
      extraTable: listTables(d).some((t) => t.id === 'table-extra'),
      boCard: listCards(d).some((c) => c.id === 'card-bo'),
    })
    expect(perView(views, summary)).toEqual(
      sameInEveryView(views, {
        title: 'Inwoners na de pauze',
        task: 'Wijkbudget voor iedereen',
        extraTable: true,
        boCard: true,
      }),
    )
  })

  it("[F2] structs under the facilitator's client id from a participant neither land nor eat the facilitator's offline table name", async () => {
    const s = await setup()
    const { fac, info } = s
    renameTable(fac.board, info.tables[0]!.id, 'Eerste naam')
    await saved(fac)
    const facId = fac.board.clientID
    const eve = await s.rawParticipant('Eve', 0)
    expect(eve.peer.serverStateVector.get(facId)).toBeGreaterThan(0)
    fac.disconnect()
    await offline(fac)

    // a card (which participants may write), but at the facilitator's next clock under its id
    const forged = forgedEdit(eve.peer.doc, facId, (d) =>
      addCard(
        d,
        makeCard({
          id: 'forged',
          table: info.tables[0]!.id,
          author: eve.participantId,
          text: 'Vervalst',
        }),
      ),
    )
    eve.peer.sendUpdate(forged)
    await eve.peer.roundTrip()

    renameTable(fac.board, info.tables[0]!.id, 'Naam van de facilitator')
    fac.connect()
    await saved(fac)

    const views = await s.committed()
    expect(
      perView(views, (d) => ({
        title: tableName(d, info.tables[0]!.id),
        forgedUnderFacilitatorId: boardRoot(d).cards._map.get('forged')?.id.client === facId,
      })),
    ).toEqual(
      sameInEveryView(views, { title: 'Naam van de facilitator', forgedUnderFacilitatorId: false }),
    )
  })

  it("[F3] after a crash with a facilitator edit broadcast but never committed, a participant's own card is saved on reconnect, and her copy is told it diverged until she reloads", async () => {
    const MAX_PAGES = 120
    const s = await setup({ server: { store: { maxPageCount: MAX_PAGES }, storageRetryMs: 20 } })
    const { fac, at, info } = s
    const eve = await s.rawParticipant('Eve', 0)
    // the facilitator's client id is on disk, so its next edits go out before their commit
    renameTable(fac.board, info.tables[0]!.id, 'Voor de storing')
    await saved(fac)
    // disk full: another writer fills the file up to the server connection's page limit
    const dataDir = at.server.dataDir
    const filler = new Database(path.join(dataDir, 'stip.db'))
    track(() => filler.close())
    filler
      .prepare(
        `INSERT INTO updates (workshop_id, doc, seq, time, participant_id, data) VALUES ('filler', 'board', 1, 0, NULL, ?)`,
      )
      .run(Buffer.alloc(MAX_PAGES * 4096))
    const failed = nextEvent<[{ code: string }]>(
      fac,
      'notice',
      (n) => n.code === ErrorCode.StorageFailed,
    )
    addCard(
      fac.board,
      makeCard({
        id: 'card-lost',
        table: info.tables[0]!.id,
        author: 'facilitator',
        text: 'Lang '.repeat(4_000),
      }),
    )
    await failed
    // whatever the server relayed before its failed commit has reached Eve after this
    await eve.peer.roundTrip()
    const reachedEve = cardMap(eve.peer.doc, 'card-lost') !== null
    expect(reachedEve, 'peers get an edit before it is on disk').toBe(true)

    // the server goes down without having committed it; the facilitator never comes back
    fac.destroy()
    await eve.peer.close()
    await at.server.close()
    filler.prepare(`DELETE FROM updates WHERE workshop_id = 'filler'`).run()
    filler.close()
    at.server = await startTestServer({ dataDir })

    // Eve kept working meanwhile; on reconnect she answers the server's step 1 with all it lacks
    eve.peer.offline((d) =>
      addCard(
        d,
        makeCard({
          id: 'card-eve',
          table: eve.tableId,
          author: eve.participantId,
          text: 'Kaart van Eve',
        }),
      ),
    )
    const again = await s.openPeer(eve.credential, { doc: eve.peer.doc })
    const barrier = again.barrier()
    const outcome = await again.ackOrRefusal(barrier)
    expect({
      outcome,
      forbidden: again.forbidden,
      diverged: again.notices.filter((n) => n.code === ErrorCode.Diverged).length,
    }).toEqual({ outcome: 'acked', forbidden: [], diverged: 1 })
    // her reload (a fresh copy from the server) holds her card and not the lost one
    const reloaded = await s.openPeer(eve.credential)
    expect({
      eve: cardMap(reloaded.doc, 'card-eve') !== null,
      lost: cardMap(reloaded.doc, 'card-lost') !== null,
    }).toEqual({ eve: true, lost: false })
    await reloaded.close()

    const views = await s.committed()
    expect(
      perView(views, (d) => ({
        eveCard: listCards(d).some((c) => c.id === 'card-eve'),
        facilitatorCard: cardMap(d, 'card-lost') !== null,
      })),
      // only its writer may send content under the facilitator's id: the lost card is not stored from Eve
    ).toEqual(sameInEveryView(views, { eveCard: true, facilitatorCard: false }))
  })

  it("a participant's read-only control copy holding a facilitator change the server lost is told it diverged, and nothing of it is taken", async () => {
    const { fac, participant } = await setup()
    setPhaseId(fac.control, 'ph-saved')
    await saved(fac)
    const anna = await participant('Anna')
    const notices: [string, string][] = []
    anna.conn.on('notice', (n, doc) => notices.push([n.code, doc]))
    await until(
      'Anna has the phase',
      [[anna.conn, 'change']],
      () => readPhaseId(anna.conn.controlLink.doc) === 'ph-saved',
    )
    // what a crash could leave in her tab: the facilitator's next phase, relayed, never committed
    const atServer = Y.encodeStateVector(fac.control)
    const copy = new Y.Doc()
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(fac.control))
    copy.clientID = fac.control.clientID
    setPhaseId(copy, 'ph-lost')
    const link = anna.conn.controlLink
    link.provider.disconnect()
    Y.applyUpdate(link.doc, Y.encodeStateAsUpdate(copy, atServer), 'crash-leftover')
    link.provider.connect()
    await until('the diverged notice', [[anna.conn, 'change']], () => link.diverged)
    expect(notices).toEqual([[ErrorCode.Diverged, DocName.Control]])
    // the server kept its own phase: the facilitator and a fresh reader both see it
    expect(readPhaseId(fac.control)).toBe('ph-saved')
    const reader = await participant('Bram')
    expect(readPhaseId(reader.conn.controlLink.doc)).toBe('ph-saved')
  })

  it("[F4] in a named workshop a participant can neither author a card as someone else nor take over another's card", async () => {
    const s = await setup({ anonymity: Anonymity.Named })
    const { at, ws } = s
    const bram = await s.participant('Bram', 1)
    const anna = await s.rawParticipant('Anna', 0)
    anna.peer.edit((d) =>
      addCard(
        d,
        makeCard({
          id: 'card-anna',
          table: anna.tableId,
          author: bram.participantId,
          text: 'Kaart van Anna',
        }),
      ),
    )
    await anna.peer.roundTrip()
    addCard(
      bram.conn.board,
      makeCard({
        id: 'card-bram',
        table: bram.tableId,
        author: bram.participantId,
        text: 'Kaart van Bram',
      }),
    )
    await saved(bram.conn)
    await anna.peer.waitFor(
      "Bram's card reaches Anna",
      () => cardMap(anna.peer.doc, 'card-bram') !== null,
    )
    anna.peer.edit((d) => cardMap(d, 'card-bram')!.set('author', anna.participantId))
    await anna.peer.roundTrip()

    const res = await bearerFetch(at.server.url, ws.facilitatorKey)(
      'GET',
      `${HISTORY_API.report(ws.id)}?format=json`,
    )
    const report = ReportSchema.parse(await res.json())
    const printed = Object.fromEntries(
      report.tables
        .flatMap((t) => [...t.visions, ...t.needs, ...t.other])
        .map((c) => [c.text, c.author]),
    )
    // Anna's card is refused (absent) or hers; Bram's card stays Bram's
    expect({
      anna: printed['Kaart van Anna'] === undefined ? 'absent' : printed['Kaart van Anna'],
      bram: printed['Kaart van Bram'],
    }).toEqual({
      anna: expect.stringMatching(/^(absent|Anna)$/),
      bram: 'Bram',
    })

    const views = await s.committed(bram.conn)
    const authorOf = (d: Y.Doc, id: string) =>
      listCards(d).find((c) => c.id === id)?.author ?? 'absent'
    for (const [name, d] of Object.entries(views)) {
      expect([anna.participantId, 'absent'], `${name}: author of Anna's card`).toContain(
        authorOf(d, 'card-anna'),
      )
      expect(authorOf(d, 'card-bram'), `${name}: author of Bram's card`).toBe(bram.participantId)
    }
  })

  it('[F13] a refused edit is asked for once, not again on every control-doc change, and refused with one notice', async () => {
    const s = await setup()
    const { fac } = s
    // Eve answers every sync step 1 with what she holds, as the stock provider does
    const eve = await s.rawParticipant('Eve', 0)
    eve.peer.edit((d) => writeMeta(d, { ...readMeta(d)!, title: 'Gekaapt' }))
    await eve.peer.waitFor('the refusal', () => eve.peer.forbidden.length > 0)
    const askedBefore = eve.peer.step1s.length

    const CONTROL_EDITS = 20
    for (let i = 0; i < CONTROL_EDITS; i++) {
      setPhaseId(fac.control, `fase-${i}`)
      await saved(fac)
      // a request sent with that commit has arrived and been answered, and the answer judged
      await eve.peer.roundTrip()
      await eve.peer.roundTrip()
    }
    expect(
      eve.peer.step1s.length - askedBefore,
      `sync requests after ${CONTROL_EDITS} control edits`,
    ).toBeLessThanOrEqual(1)
    expect(eve.peer.forbidden).toHaveLength(1)
    const views = await s.committed()
    expect(perView(views, (d) => readMeta(d)?.title)).toEqual(
      sameInEveryView(views, 'Leertuin Participatie'),
    )
  })

  it('[F14] live updates that build on own edits the server lacks, sent before the step 2, are saved with it', async () => {
    const s = await setup()
    const eve = await s.rawParticipant('Eve', 0)
    await eve.peer.close()
    // edits the server never got, then typing that builds on them
    eve.peer.offline((d) =>
      addCard(
        d,
        makeCard({
          id: 'card-lost',
          table: eve.tableId,
          author: eve.participantId,
          text: 'Eerste regel',
        }),
      ),
    )
    const typing = eve.peer.offline((d) => {
      const text = (cardBody(d, 'card-lost')!.get(0) as Y.XmlElement).get(0) as Y.XmlText
      text.insert(text.length, ' en verder getypt')
    })

    // reconnecting exactly as the stock provider does: hello, live updates, then the step 2
    const again = await WirePeer.open(s.boardUrl(), eve.credential, {
      doc: eve.peer.doc,
      answerStep1: false,
      sendStep1: false,
    })
    track(() => again.close())
    again.sendUpdate(typing)
    again.sendStep1()
    await again.waitFor("the server's step 1", () => again.step1s.length >= 1)
    again.sendStep2(Y.encodeStateAsUpdate(again.doc, Y.encodeStateVector(again.serverStateVector)))
    const outcome = await again.ackOrRefusal(again.barrier())
    expect({ outcome, forbidden: again.forbidden }).toEqual({ outcome: 'acked', forbidden: [] })

    const views = await s.committed()
    expect(
      perView(views, (d) =>
        cardBody(d, 'card-lost') ? plainText(cardBody(d, 'card-lost')!) : null,
      ),
    ).toEqual(sameInEveryView(views, 'Eerste regel en verder getypt'))
  })

  it("a participant's step 2 that re-sends what the server holds (template, others' cards, tasks) never blocks its own new card", async () => {
    const s = await setup()
    const { fac, info } = s
    addTask(fac.board, { id: 'task-1', title: 'Wijkbudget', origin: [], author: 'f', created: 1 })
    await saved(fac)
    const bo = await s.participant('Bo', 1)
    addCard(
      bo.conn.board,
      makeCard({
        id: 'card-bo',
        table: info.tables[1]!.id,
        author: bo.participantId,
        text: 'Kaart van Bo',
      }),
    )
    await saved(bo.conn)
    const eve = await s.rawParticipant('Eve', 0)
    await eve.peer.waitFor("Bo's card reaches Eve", () => cardMap(eve.peer.doc, 'card-bo') !== null)
    await eve.peer.close()
    eve.peer.offline((d) =>
      addCard(
        d,
        makeCard({
          id: 'card-eve',
          table: eve.tableId,
          author: eve.participantId,
          text: 'Kaart van Eve',
        }),
      ),
    )

    const again = await WirePeer.open(s.boardUrl(), eve.credential, {
      doc: eve.peer.doc,
      answerStep1: false,
    })
    track(() => again.close())
    await again.waitFor("the server's step 1", () => again.step1s.length >= 1)
    // everything Eve holds, not only what the server lacks: content it already has, others' too
    again.sendStep2(Y.encodeStateAsUpdate(again.doc))
    const outcome = await again.ackOrRefusal(again.barrier())
    expect({ outcome, forbidden: again.forbidden }).toEqual({ outcome: 'acked', forbidden: [] })

    const views = await s.committed(bo.conn)
    expect(
      perView(views, (d) => ({
        cards: listCards(d).map((c) => c.id),
        task: readTask(d, 'task-1')?.title ?? null,
        title: readMeta(d)?.title ?? null,
      })),
    ).toEqual(
      sameInEveryView(views, {
        cards: ['card-bo', 'card-eve'].sort(),
        task: 'Wijkbudget',
        title: 'Leertuin Participatie',
      }),
    )
  })
})
