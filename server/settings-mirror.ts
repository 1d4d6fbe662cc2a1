/**
 * The workshop row owns title, language, anonymity, the tally threshold and the board policy; the board's meta shows
 * them to every screen, written by the server only (DESIGN: one owner for settings that govern
 * privacy and permissions). The question lives in meta alone.
 */
import type * as Y from 'yjs'
import type { WorkshopSettings } from '../shared/api.ts'
import { readMeta, writeMeta } from '../shared/schema.ts'
import type { WorkshopRow } from './store/store.ts'

/** Writes the row's settings into `doc`'s meta, keeping its question unless one is given. */
export function mirrorSettings(doc: Y.Doc, row: WorkshopRow, question?: string): WorkshopSettings {
  const settings: WorkshopSettings = {
    title: row.title,
    question: question ?? readMeta(doc)?.question ?? '',
    language: row.language,
    anonymity: row.anonymity,
    cardScope: row.cardScope,
    sharedTextOpen: row.sharedTextOpen,
    minTableVoters: row.minTableVoters,
  }
  writeMeta(doc, settings)
  return settings
}
