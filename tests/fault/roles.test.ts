/**
 * Read-only means read-only, whatever bytes arrive: crafted Yjs updates from participants to the
 * control doc and from viewers to either doc are all refused (a step 2 holding only others'
 * content the server lacks is told its copy diverged instead), and the facilitator's view of
 * both docs never moves.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import * as syncProtocol from 'y-protocols/sync'
import {
  type Credential,
  DocName,
  ErrorCode,
  MessageType,
  roomName,
} from '../../shared/protocol.ts'
import { readNotice, readWelcome } from '../../shared/wire.ts'
import { setLocked, setLockOnTimerEnd, setPhaseId, writeTimer } from '../../shared/control.ts'
import { startTimer } from '../../shared/control-actions.ts'
import { createWorkshop, joinTable, lookup, startTestServer } from '../helpers/server.ts'
import { connectClient, live } from '../helpers/clients.ts'
import { openRaw } from '../helpers/raw.ts'
import { useCleanups } from '../helpers/lifecycle.ts'
import { until } from '../helpers/wait.ts'
import { randomCardEdit, syncStep1, syncUpdate } from './frames.ts'
import { type Rng, withSeed } from './rng.ts'

const track = useCleanups()

const CRAFTED = 700
const PARALLEL = 10

/** One random edit to a control doc: the things a participant would love to change. */
function randomControlEdit(rng: Rng, doc: Y.Doc): void {
  switch (rng.int(5)) {
    case 0:
      setLocked(doc, rng.bool())
      return
    case 1:
      setLockOnTimerEnd(doc, rng.bool())
      return
    case 2:
      writeTimer(doc, startTimer(rng.range(1, 600_000), Date.now()))
      return
    case 3:
      setPhaseId(doc, `fase-${rng.int(1000)}`)
      return
    default:
      if (rng.bool(0.2)) doc.getArray('phases').push([{ id: `f${rng.int(100)}`, title: 'x' }])
      else
        doc
          .getMap(rng.pick(['state', 'rounds', 'tallies', 'chosen']))
          .set(`k${rng.int(100)}`, rng.int(1000))
  }
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')

/** A sync step 2: the server's answer to a step 1. */
const isStep2 = (m: Uint8Array) =>
  m[0] === MessageType.Sync && m[1] === syncProtocol.messageYjsSyncStep2

describe('roles hold against crafted updates', () => {
  it(`${CRAFTED} crafted writes from read-only sockets are all refused`, async () => {
    await withSeed('roles', async (rng) => {
      const server = await startTestServer()
      track(() => server.close())
      const ws = await createWorkshop(server.url)
      const info = await lookup(server.url, ws.joinCode)
      const p = await joinTable(server.url, ws.joinCode, 'Dirk', info.tables[0]!.id)
      const facilitator = connectClient(server.wsUrl, ws.id, {
        kind: 'facilitator',
        key: ws.facilitatorKey,
      })
      track(() => facilitator.destroy())
      await live(facilitator)
      const before = {
        board: hex(Y.encodeStateAsUpdate(facilitator.board)),
        control: hex(Y.encodeStateAsUpdate(facilitator.control)),
      }
      const tables = info.tables.map((t) => t.id)
      const participant: Credential = { kind: 'participant', token: p.token }
      const viewer: Credential = { kind: 'viewer', code: ws.joinCode }
      const targets = [
        { cred: participant, doc: DocName.Control },
        { cred: viewer, doc: DocName.Control },
        { cred: viewer, doc: DocName.Board },
      ]
      const counts = { refused: 0, diverged: 0, emptyIgnored: 0 }

      const attempt = async () => {
        const t = rng.pick(targets)
        // a forger starts from the real state (what it got on join) and edits on top of it
        const forged = new Y.Doc()
        const forgedId = forged.clientID
        Y.applyUpdate(
          forged,
          Y.encodeStateAsUpdate(t.doc === DocName.Board ? facilitator.board : facilitator.control),
        )
        const sv = Y.encodeStateVector(forged)
        const edits = rng.range(0, 4)
        for (let i = 0; i < edits; i++) {
          if (t.doc === DocName.Board) randomCardEdit(rng, forged, 'forged-', tables)
          else randomControlEdit(rng, forged)
        }
        const update = rng.bool(0.3)
          ? Y.encodeStateAsUpdate(forged)
          : Y.encodeStateAsUpdate(forged, sv)
        forged.destroy()
        const raw = await openRaw(`${server.wsUrl}/${roomName(ws.id, t.doc)}`, { hello: t.cred })
        expect(readWelcome(await raw.next(MessageType.Welcome)).readOnly).toBe(true)
        const asStep2 = rng.bool()
        raw.send(
          syncUpdate(
            update,
            asStep2 ? syncProtocol.messageYjsSyncStep2 : syncProtocol.messageYjsUpdate,
          ),
        )
        // A plain update of anything is a write. A step 2 (the answer the server asks of every
        // socket) is one when it holds content of its own; one that holds only what others
        // wrote past the server's state was relayed and lost (a diverged copy); the rest is old.
        const own = Y.parseUpdateMeta(update).to.has(forgedId)
        const expected = asStep2
          ? own
            ? ErrorCode.ReadOnly
            : edits > 0
              ? ErrorCode.Diverged
              : null
          : edits === 0 && update.length <= 2
            ? null
            : ErrorCode.ReadOnly
        if (expected === null) {
          // nothing to refuse; the answer to a step 1 sent after it proves the server read past it
          raw.send(syncStep1(Y.encodeStateVector(new Y.Doc())))
          await until('the answer to our sync step 1', [[raw.ws, 'message']], () =>
            raw.messages.some(isStep2),
          )
          const notices = raw.messages.filter((m) => m[0] === MessageType.Notice)
          expect(notices).toEqual([])
          counts.emptyIgnored++
        } else {
          expect(readNotice(await raw.next(MessageType.Notice)).code).toBe(expected)
          counts[expected === ErrorCode.ReadOnly ? 'refused' : 'diverged']++
        }
        raw.ws.close()
        await raw.closed
      }
      for (let i = 0; i < CRAFTED; i += PARALLEL)
        await Promise.all(Array.from({ length: PARALLEL }, attempt))

      // the facilitator saw nothing; neither does a fresh reader of the server's state
      expect(hex(Y.encodeStateAsUpdate(facilitator.board))).toBe(before.board)
      expect(hex(Y.encodeStateAsUpdate(facilitator.control))).toBe(before.control)
      const reader = connectClient(server.wsUrl, ws.id, {
        kind: 'facilitator',
        key: ws.facilitatorKey,
      })
      track(() => reader.destroy())
      await live(reader)
      expect(hex(Y.encodeStateAsUpdate(reader.board))).toBe(before.board)
      expect(hex(Y.encodeStateAsUpdate(reader.control))).toBe(before.control)
      expect(counts.refused + counts.diverged + counts.emptyIgnored).toBe(CRAFTED)
      expect(counts.refused).toBeGreaterThanOrEqual(500)
      console.log(
        `[roles] ${counts.refused} crafted updates refused with READ_ONLY, ${counts.diverged} step 2s told DIVERGED, ${counts.emptyIgnored} empty ones ignored, 0 applied`,
      )
    })
  }, 90_000)
})
