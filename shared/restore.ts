/**
 * Makes a live board equal to an older version by ordinary edits, so the restore is itself in the
 * log (replay shows it) and peers' open editors keep their fragments: rich text is replaced inside
 * the existing fragment instead of swapping the fragment object.
 */
import * as Y from 'yjs'
import { BOARD_ROOT } from './schema.ts'

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

function syncFragment(target: Y.XmlFragment, source: Y.XmlFragment): void {
  if (target.toString() === source.toString()) return
  target.delete(0, target.length)
  target.insert(
    0,
    source.toArray().map((n) => n.clone() as Y.XmlElement | Y.XmlText),
  )
}

function syncMap(target: Y.Map<unknown>, source: Y.Map<unknown>): void {
  for (const key of [...target.keys()]) if (!source.has(key)) target.delete(key)
  for (const [key, value] of source.entries()) {
    const current = target.get(key)
    if (value instanceof Y.Map) {
      if (current instanceof Y.Map) syncMap(current, value)
      else target.set(key, value.clone())
    } else if (value instanceof Y.XmlFragment) {
      if (current instanceof Y.XmlFragment) syncFragment(current, value)
      else target.set(key, value.clone())
    } else if (value instanceof Y.AbstractType) {
      target.set(key, value.clone())
    } else if (!sameValue(current, value)) {
      target.set(key, value)
    }
  }
}

/** Edits `target` (a live board) until its content equals `source` (a snapshot's board). */
export function restoreBoard(target: Y.Doc, source: Y.Doc): void {
  target.transact(() => {
    for (const root of Object.values(BOARD_ROOT)) {
      if (root === BOARD_ROOT.statement)
        syncFragment(target.getXmlFragment(root), source.getXmlFragment(root))
      else syncMap(target.getMap(root), source.getMap(root))
    }
  })
}
