/**
 * Layout migrations of the two Yjs docs, run by the server when it loads a room whose stored
 * schema version is older than this build's. Step i turns version i into i + 1; each is pure
 * (doc in, doc changed) and runs inside the caller's transaction.
 */
import type * as Y from 'yjs'
import { DocName } from './protocol.ts'
import { BOARD_SCHEMA_VERSION, readBoardSchemaVersion, writeBoardSchemaVersion } from './schema.ts'
import {
  CONTROL_SCHEMA_VERSION,
  readControlSchemaVersion,
  writeControlSchemaVersion,
} from './control.ts'

type Step = (doc: Y.Doc) => void

interface Layout {
  current: number
  read(doc: Y.Doc): number
  write(doc: Y.Doc, version: number): void
  steps: readonly Step[]
}

const LAYOUTS: Record<DocName, Layout> = {
  [DocName.Board]: {
    current: BOARD_SCHEMA_VERSION,
    read: readBoardSchemaVersion,
    write: writeBoardSchemaVersion,
    // 0 -> 1: version 1 is the unversioned layout, so the step only stamps it.
    // 1 -> 2: the trash root (recently deleted cards) starts empty and meta's board policy
    // (cardScope, sharedTextOpen) reads as the defaults until the server mirrors the row's.
    // 2 -> 3: cards gain an optional slot `order`; a card without one sorts by where it was put
    // (shared/layout.ts slotKey), so the step writes nothing and older docs read the same.
    steps: [() => {}, () => {}, () => {}],
  },
  [DocName.Control]: {
    current: CONTROL_SCHEMA_VERSION,
    read: readControlSchemaVersion,
    write: writeControlSchemaVersion,
    // 0 -> 1: version 1 is the unversioned layout, so the step only stamps it.
    // 1 -> 2: follow's viewport becomes optional: only a summon writes it (the followed view
    // travels in the facilitator's awareness), so the step writes nothing and older docs read the same.
    steps: [() => {}, () => {}],
  },
}

/** Whether the doc's stored version is older than this build's. */
export const needsMigration = (name: DocName, doc: Y.Doc): boolean =>
  LAYOUTS[name].read(doc) < LAYOUTS[name].current

/** Whether the doc was written by a newer build: this one must not write to it. */
export const schemaTooNew = (name: DocName, doc: Y.Doc): boolean =>
  LAYOUTS[name].read(doc) > LAYOUTS[name].current

/** Applies the missing steps and stamps the current version; returns how many steps ran. */
export function migrateDoc(name: DocName, doc: Y.Doc): number {
  const layout = LAYOUTS[name]
  let version = layout.read(doc)
  if (version >= layout.current) return 0
  const from = version
  doc.transact(() => {
    for (; version < layout.current; version++) layout.steps[version]!(doc)
    layout.write(doc, version)
  })
  return version - from
}

export const migrateBoard = (doc: Y.Doc) => migrateDoc(DocName.Board, doc)
export const migrateControl = (doc: Y.Doc) => migrateDoc(DocName.Control, doc)

/** Stamps a new doc with this build's version (a new doc needs no steps). */
export function stampCurrentVersion(name: DocName, doc: Y.Doc): void {
  LAYOUTS[name].write(doc, LAYOUTS[name].current)
}
