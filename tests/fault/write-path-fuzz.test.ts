/**
 * Seeded fuzz of the write path (issue #13): a facilitator and honest participants edit and wait
 * for their durable acks, while one adversarial participant per round sends crafted updates:
 * delete sets over others' future clocks, structs under others' client ids, replays of others'
 * updates, partial, duplicated and over-full step 2s, and mixes of these in one update.
 * Invariant: every edit acked to an honest client is in the committed state (fresh client, export
 * state and log, after a restart), nothing the adversary sent changed honest content, and no card
 * stands under an honest client's id that this client did not make.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { WorkshopConnection } from '../../client/sync/connection.ts'
import { type Credential, DocName, roomName } from '../../shared/protocol.ts'
import {
  type CardKind,
  addCard,
  boardRoot,
  cardBody,
  cardMap,
  listCards,
  listTables,
  moveCard,
  setCardKind,
  writeTable,
} from '../../shared/schema.ts'
import { addTask, readTask, renameTask } from '../../shared/tasks.ts'
import { plainText } from '../../shared/richtext.ts'
import { createWorkshop, joinTable, lookup, startTestServer } from '../helpers/server.ts'
import { connectClient, live, saved, stopClient } from '../helpers/clients.ts'
import { useCleanups } from '../helpers/lifecycle.ts'
import { WirePeer } from '../helpers/wire-peer.ts'
import { deleteSetOnly, forgedEdit, futureDeletes } from '../helpers/yjs-craft.ts'
import { committedBoards } from '../helpers/committed.ts'
import { KINDS } from './frames.ts'
import { type Rng, withSeed } from './rng.ts'

const track = useCleanups()

const ROUNDS = 15
const HONEST_PARTICIPANTS = 3

interface HonestCard {
  kind: CardKind
  table: string | null
  x: number
  y: number
  author: string
  text: string
}

/** An honest client and what it wrote: the oracle the committed state is held against. */
interface Honest {
  name: string
  conn: WorkshopConnection
  participantId: string | null
  table: string | null
  /** Every Yjs client id its board doc wrote under (Yjs changes it when it meets its id elsewhere). */
  clientIds: Set<number>
  cards: Map<string, HonestCard>
  n: number
}

function honestCardEdit(rng: Rng, h: Honest): void {
  const own = [...h.cards.keys()]
  if (own.length === 0 || rng.bool(0.4)) {
    const id = `${h.name}-${h.n++}`
    const card: HonestCard = {
      kind: rng.pick(KINDS),
      table: h.table,
      x: rng.int(3000),
      y: rng.int(2000),
      author: h.participantId ?? 'f',
      text: `tekst van ${id}`,
    }
    addCard(h.conn.board, { id, ...card, w: 220, h: 140, created: h.n })
    h.cards.set(id, card)
  } else if (rng.bool()) {
    const id = rng.pick(own)
    const pos = { x: rng.int(3000), y: rng.int(2000) }
    moveCard(h.conn.board, id, pos)
    Object.assign(h.cards.get(id)!, pos)
  } else {
    const id = rng.pick(own)
    const kind = rng.pick(KINDS)
    setCardKind(h.conn.board, id, kind)
    h.cards.get(id)!.kind = kind
  }
  h.clientIds.add(h.conn.board.clientID)
}

describe('write-path fuzz: an adversarial participant never costs honest clients their acked work', () => {
  it('every acked honest edit is committed and unchanged, whatever the adversary sends', async () => {
    await withSeed('write-path-fuzz', async (rng) => {
      const at = { server: await startTestServer() }
      track(() => at.server.close())
      const ws = await createWorkshop(at.server.url)
      const info = await lookup(at.server.url, ws.joinCode)
      const tables = info.tables.map((t) => t.id)
      const boardUrl = () => `${at.server.wsUrl}/${roomName(ws.id, DocName.Board)}`

      const connect = (credential: Credential) => {
        const conn = connectClient(at.server.wsUrl, ws.id, credential)
        track(() => stopClient(conn, 'destroy'))
        return conn
      }
      const fac: Honest = {
        name: 'fac',
        conn: connect({ kind: 'facilitator', key: ws.facilitatorKey }),
        participantId: null,
        table: null,
        clientIds: new Set(),
        cards: new Map(),
        n: 0,
      }
      const honest: Honest[] = [fac]
      for (let i = 0; i < HONEST_PARTICIPANTS; i++) {
        const table = tables[i % tables.length]!
        const p = await joinTable(at.server.url, ws.joinCode, `Eerlijk ${i}`, table)
        honest.push({
          name: `p${i}`,
          conn: connect({ kind: 'participant', token: p.token }),
          participantId: p.participantId,
          table,
          clientIds: new Set(),
          cards: new Map(),
          n: 0,
        })
      }
      await Promise.all(honest.map((h) => live(h.conn)))
      // the title is the settings route's; a table's name is the facilitator's curation in the doc
      const named = tables[1]!
      const expected = {
        title: listTables(fac.conn.board).find((t) => t.id === named)!.name,
        tasks: new Map<string, string>(),
      }

      const eve = await joinTable(at.server.url, ws.joinCode, 'Eve', tables[0]!)
      const eveCredential: Credential = { kind: 'participant', token: eve.token }
      let adversary = await WirePeer.synced(boardUrl(), eveCredential)
      track(() => adversary.close())
      const attacks: Record<string, number> = {}

      /** Ids the adversary can learn: presence and the server's state vector. */
      const victimIds = () => [
        ...new Set([
          ...adversary.awarenessIds,
          ...adversary.serverStateVector.keys(),
          ...adversary.doc.store.clients.keys(),
        ]),
      ]

      const attack = (): void => {
        const kind = rng.pick([
          'future-deletes',
          'forged',
          'mixed',
          'replay',
          'partial-step2',
          'duplicate-step2',
          'full-step2',
        ] as const)
        attacks[kind] = (attacks[kind] ?? 0) + 1
        const doc = adversary.doc
        const ids = victimIds()
        const forged = () => {
          const victim = rng.pick(honest)
          const victimId = rng.pick([...victim.clientIds, victim.conn.board.clientID])
          const targets = [...victim.cards.keys()].filter((id) => cardMap(doc, id) !== null)
          return forgedEdit(doc, victimId, (d) => {
            if (targets.length && rng.bool(0.6)) moveCard(d, rng.pick(targets), { x: -1, y: -1 })
            else
              addCard(d, {
                id: `forged-${rng.int(1e9).toString(36)}`,
                kind: 'note',
                table: tables[0]!,
                x: 0,
                y: 0,
                w: 220,
                h: 140,
                author: eve.participantId,
                created: 1,
              })
          })
        }
        const deletes = () =>
          deleteSetOnly(
            futureDeletes(
              doc,
              rng.bool(0.5) ? ids : [rng.pick(ids)],
              rng.pick([1, 3, 50, 10_000_000]),
            ),
          )
        switch (kind) {
          case 'future-deletes':
            adversary.sendUpdate(deletes())
            return
          case 'forged':
            adversary.sendUpdate(forged())
            return
          case 'mixed': {
            // a forged struct, a pending delete and an honest-looking own card in one update
            const own = adversary.offline((d) =>
              addCard(d, {
                id: `eve-${rng.int(1e9).toString(36)}`,
                kind: 'need',
                table: tables[0]!,
                x: 1,
                y: 1,
                w: 220,
                h: 140,
                author: eve.participantId,
                created: 2,
              }),
            )
            adversary.sendUpdate(Y.mergeUpdates([forged(), deletes(), own]))
            return
          }
          case 'replay': {
            if (!adversary.relayed.length) return adversary.sendUpdate(deletes())
            const old = rng.pick(adversary.relayed)
            if (rng.bool()) adversary.sendUpdate(old)
            else adversary.sendStep2(old)
            return
          }
          default: {
            // own offline work: a card, then typing in it that depends on the card
            const id = `eve-${rng.int(1e9).toString(36)}`
            const before = Y.encodeStateVector(doc)
            const card = adversary.offline((d) =>
              addCard(d, {
                id,
                kind: 'vision',
                table: tables[0]!,
                x: 2,
                y: 2,
                w: 220,
                h: 140,
                author: eve.participantId,
                created: 3,
                text: 'Eve',
              }),
            )
            const typing = adversary.offline((d) =>
              ((cardBody(d, id)!.get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(3, ' typt'),
            )
            if (kind === 'partial-step2') {
              // the dependent half alone, now or never followed by the rest
              adversary.sendStep2(typing)
              if (rng.bool()) adversary.sendStep2(card)
            } else if (kind === 'duplicate-step2') {
              const step2 = Y.encodeStateAsUpdate(doc, before)
              adversary.sendStep2(step2)
              adversary.sendStep2(step2)
            } else {
              adversary.sendStep2(Y.encodeStateAsUpdate(doc))
            }
          }
        }
      }

      for (let round = 0; round < ROUNDS; round++) {
        // honest work, each client waiting for its acks
        for (const h of honest) {
          for (let k = rng.range(1, 2); k > 0; k--) {
            // the facilitator curates (title, tasks); participants write their own cards
            if (h === fac) {
              if (expected.tasks.size && rng.bool()) {
                const id = rng.pick([...expected.tasks.keys()])
                const title = `Opgave ${round}.${k}`
                renameTask(fac.conn.board, id, title)
                expected.tasks.set(id, title)
              } else if (rng.bool()) {
                const id = `task-${round}-${k}`
                addTask(fac.conn.board, {
                  id,
                  title: 'Nieuwe opgave',
                  origin: [],
                  author: 'f',
                  created: round,
                })
                expected.tasks.set(id, 'Nieuwe opgave')
              } else {
                expected.title = `Tafel ronde ${round}.${k}`
                writeTable(fac.conn.board, {
                  ...listTables(fac.conn.board).find((t) => t.id === named)!,
                  name: expected.title,
                })
              }
              fac.clientIds.add(fac.conn.board.clientID)
            } else {
              honestCardEdit(rng, h)
            }
          }
        }
        await Promise.all(honest.map((h) => saved(h.conn)))
        // the adversary sees what the honest clients just did, then attacks
        await adversary.roundTrip()
        for (let a = rng.range(1, 3); a > 0; a--) attack()
        await adversary.roundTrip()
        if (adversary.closed) {
          // refused by closing the socket: the adversary comes back for the next round
          adversary = await WirePeer.synced(boardUrl(), eveCredential)
          track(() => adversary.close())
        }
      }
      // one more round of honest edits lands on whatever the last attacks left behind
      for (const h of honest.slice(1)) honestCardEdit(rng, h)
      await Promise.all(honest.map((h) => saved(h.conn)))

      for (const h of honest) stopClient(h.conn, 'disconnect')
      await adversary.close()
      const { views, restarted } = await committedBoards(at.server, ws)
      at.server = restarted

      const honestView = (d: Y.Doc) => ({
        title: listTables(d).find((t) => t.id === named)?.name ?? null,
        tasks: Object.fromEntries(
          [...expected.tasks.keys()].map((id) => [id, readTask(d, id)?.title ?? null]),
        ),
        cards: Object.fromEntries(
          honest.flatMap((h) =>
            [...h.cards.keys()].map((id) => {
              const c = listCards(d).find((x) => x.id === id)
              const body = cardBody(d, id)
              return [
                id,
                c
                  ? {
                      kind: c.kind,
                      table: c.table,
                      x: c.x,
                      y: c.y,
                      author: c.author,
                      text: body ? plainText(body) : null,
                    }
                  : null,
              ]
            }),
          ),
        ),
        /** Cards under an honest client's id that this client did not make. */
        foreignUnderHonestIds: [...boardRoot(d).cards._map.entries()]
          .filter(
            ([id, item]) =>
              !item.deleted &&
              honest.some((h) => h.clientIds.has(item.id.client) && !h.cards.has(id)),
          )
          .map(([id]) => id),
      })
      const oracle = {
        title: expected.title,
        tasks: Object.fromEntries(expected.tasks),
        cards: Object.fromEntries(honest.flatMap((h) => [...h.cards])),
        foreignUnderHonestIds: [],
      }
      console.log(
        `[write-path-fuzz] seed ${rng.seed}: ${ROUNDS} rounds, attacks ${JSON.stringify(attacks)}, honest cards ${oracle.cards ? Object.keys(oracle.cards).length : 0}`,
      )
      /** One line per view: how much honest work is missing or changed. */
      const damage = (v: ReturnType<typeof honestView>) => {
        const cards = Object.entries(oracle.cards)
        const missing = cards.filter(([id]) => v.cards[id] === null).length
        const changed = cards.filter(
          ([id, c]) =>
            v.cards[id] !== null &&
            JSON.stringify(v.cards[id]) !==
              JSON.stringify({
                kind: c.kind,
                table: c.table,
                x: c.x,
                y: c.y,
                author: c.author,
                text: c.text,
              }),
        ).length
        const tasks = Object.entries(oracle.tasks).filter(([id, t]) => v.tasks[id] !== t).length
        return `honest cards missing ${missing}/${cards.length}, changed ${changed}; tasks wrong ${tasks}/${Object.keys(oracle.tasks).length}; title ${v.title === oracle.title ? 'ok' : JSON.stringify(v.title)}; foreign cards under honest ids ${v.foreignUnderHonestIds.length}`
      }
      for (const [name, d] of Object.entries(views)) {
        const v = honestView(d)
        expect(v, `committed state (${name}), seed ${rng.seed}: ${damage(v)}`).toEqual(oracle)
      }
    })
  }, 30_000)
})
