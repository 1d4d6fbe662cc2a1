/**
 * The participant write guard judges Yjs updates it did not make. Seeded random sessions check
 * both directions: every honest participant edit passes (also as one sync step 2 after working
 * offline, which repeats every deletion ever made, the facilitator's too), and every curated or
 * facilitator-only change is refused, whether sent alone or hidden in a batch with honest edits.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { refusedParticipantRoot } from '../../server/relay/write-guard.ts'
import { applyTemplate, DEFAULT_TEMPLATE } from '../../shared/template.ts'
import {
  Anonymity,
  BOARD_ROOT,
  boardRoot,
  listTables,
  readMeta,
  writeMeta,
  writeTable,
} from '../../shared/schema.ts'
import {
  addTask,
  allTasks,
  deletePrinciple,
  listPrinciples,
  mergeTasks,
  renameTask,
  writePrinciple,
} from '../../shared/tasks.ts'
import { randomCardEdit, typeInto } from './frames.ts'
import { type Rng, withSeed } from './rng.ts'

const ROUNDS = 400

function serverBoard(): Y.Doc {
  const doc = new Y.Doc()
  applyTemplate(doc, DEFAULT_TEMPLATE, {
    title: 'Diner pensant',
    language: 'nl',
    anonymity: Anonymity.Table,
    tableIds: DEFAULT_TEMPLATE.tables.map((_, i) => `table-${i}`),
  })
  return doc
}

/** A participant's copy, synced from the server's doc. */
function participantCopy(server: Y.Doc): Y.Doc {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(server))
  return doc
}

const judge = (server: Y.Doc, update: Uint8Array) =>
  refusedParticipantRoot(server, Y.decodeUpdate(update))

/** One transaction a participant's UI can make. */
function honestEdit(rng: Rng, doc: Y.Doc, tables: string[]): void {
  switch (rng.int(5)) {
    case 0:
    case 1:
      randomCardEdit(rng, doc, 'card-', tables)
      return
    case 2:
      typeInto(rng, boardRoot(doc).statement)
      return
    case 3: {
      const principles = listPrinciples(doc)
      if (principles.length && rng.bool(0.3)) deletePrinciple(doc, rng.pick(principles).id)
      else
        writePrinciple(doc, {
          id: `pr-${rng.int(1e9).toString(36)}`,
          text: 'Samen',
          order: rng.int(10),
        })
      return
    }
    default:
      addTask(doc, {
        id: `task-p-${rng.int(1e9).toString(36)}`,
        title: 'Voorstel',
        origin: [],
        author: 'p',
        created: rng.int(1e6),
      })
  }
}

/**
 * One change a participant may not make; returns the root it touches. Only tasks the server
 * already holds count: renaming its own proposal inside the same update changes nothing existing.
 */
function forbiddenEdit(rng: Rng, doc: Y.Doc, server: Y.Doc): string {
  const onServer = new Set(allTasks(server).map((t) => t.id))
  const tasks = allTasks(doc).filter((t) => onServer.has(t.id))
  const root = boardRoot(doc)
  switch (rng.int(6)) {
    case 0:
      if (!tasks.length) break
      renameTask(doc, rng.pick(tasks).id, 'Gekaapt')
      return BOARD_ROOT.tasks
    case 1:
      if (tasks.length < 2) break
      mergeTasks(doc, tasks[0]!.id, [tasks[1]!.id])
      return BOARD_ROOT.tasks
    case 2:
      if (!tasks.length) break
      root.tasks.delete(rng.pick(tasks).id)
      return BOARD_ROOT.tasks
    case 3: {
      const meta = readMeta(doc)!
      writeMeta(doc, { ...meta, anonymity: Anonymity.Named })
      return BOARD_ROOT.meta
    }
    case 4: {
      const table = rng.pick(listTables(doc))
      if (rng.bool()) writeTable(doc, { ...table, name: 'Gekaapt' })
      else root.tables.delete(table.id)
      return BOARD_ROOT.tables
    }
  }
  // a root outside the layout: the layout is closed to participants
  const stray = 'stray-root'
  doc.getMap(stray).set('x', 1)
  return stray
}

describe('the participant write guard', () => {
  it('passes every honest edit and refuses every curated or facilitator-only change', async () => {
    await withSeed('write-guard', async (rng) => {
      const server = serverBoard()
      const tables = listTables(server).map((t) => t.id)
      const facilitator = participantCopy(server)
      const sync = (from: Y.Doc, to: Y.Doc) =>
        Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)))
      let participant = participantCopy(server)
      let honest = 0
      let refused = 0
      for (let round = 0; round < ROUNDS; round++) {
        // the facilitator curates meanwhile: its renames and merges leave deletions in the tasks
        if (rng.bool(0.3)) {
          const tasks = allTasks(facilitator)
          if (tasks.length && rng.bool())
            renameTask(facilitator, rng.pick(tasks).id, `Opgave ${round}`)
          else
            addTask(facilitator, {
              id: `task-f-${round}`,
              title: 'Opgave',
              origin: [],
              author: 'f',
              created: round,
            })
          sync(facilitator, server)
        }
        const offline = rng.bool(0.2)
        if (!offline) sync(server, participant)
        const before = Y.encodeStateVector(server)
        const batch: Uint8Array[] = []
        const onUpdate = (u: Uint8Array) => batch.push(u)
        participant.on('update', onUpdate)
        const edits = offline ? rng.range(2, 6) : 1
        for (let i = 0; i < edits; i++) honestEdit(rng, participant, tables)
        const sneaky = rng.bool(0.25)
        const root = sneaky ? forbiddenEdit(rng, participant, server) : null
        participant.off('update', onUpdate)
        // online: each transaction on its own; offline: one step 2 against the server's state
        const updates = offline ? [Y.encodeStateAsUpdate(participant, before)] : batch
        // the relay judges and applies one message at a time, so later ones may build on earlier ones
        const verdicts = updates.map((u) => {
          const verdict = judge(server, u)
          if (verdict === null) Y.applyUpdate(server, u)
          return verdict
        })
        if (root === null) {
          expect(verdicts, `round ${round}: honest edits`).toEqual(updates.map(() => null))
          honest++
        } else {
          expect(
            verdicts.filter((v) => v !== null),
            `round ${round}: ${root}`,
          ).toEqual([root])
          participant = participantCopy(server)
          refused++
        }
        sync(server, facilitator)
      }
      expect(honest).toBeGreaterThan(ROUNDS / 2)
      expect(refused).toBeGreaterThan(ROUNDS / 10)
      // nothing the participant tried to change in the curated roots ever landed
      expect(readMeta(server)?.anonymity).toBe(Anonymity.Table)
      expect(listTables(server).map((t) => t.name)).toEqual(
        DEFAULT_TEMPLATE.tables.map((t) => t.name.nl),
      )
      expect(allTasks(server).some((t) => t.title === 'Gekaapt' || t.mergedInto !== null)).toBe(
        false,
      )
    })
  })
})
