/**
 * Whether the server's write guard would refuse an undo step now (issue #14 point 5): the step
 * undoes this person's own action, but what it touches may have moved out of their reach since,
 * a card someone moved to another table under "own table", principles the facilitator closed. An
 * undo the server refuses leaves this tab holding what the board does not, so the control says
 * why instead, before anything is written. The rules are the server's (shared/permissions.ts),
 * read against what the step would change: the items it deletes (its insertions that still live)
 * and those it brings back (its deletions).
 */
import * as Y from 'yjs'
import {
  AUTHOR_FIELD,
  type BoardPolicy,
  CARD_TABLE_FIELD,
  type CardWriter,
  mayChangeCard,
  mayWriteSharedText,
} from '../../shared/permissions.ts'
import { Role } from '../../shared/protocol.ts'
import { BOARD_ROOT, boardRoot } from '../../shared/schema.ts'

export const UndoBlock = {
  /** A card the person may not change now (another table, someone else's). */
  Card: 'card',
  /** Taking back or changing a candidate task: curating tasks is the facilitator's. */
  Tasks: 'tasks',
  /** Principles or statement while they are closed to participants. */
  SharedText: 'sharedText',
} as const
export type UndoBlock = (typeof UndoBlock)[keyof typeof UndoBlock]

type Step = Y.UndoManager['undoStack'][number]

/** What one undo step does to one item: delete it (it was inserted) or bring it back. */
interface Touch {
  item: Y.Item
  restore: boolean
}

function forEachItem(
  doc: Y.Doc,
  ds: Step['insertions'],
  fn: (item: Y.Item) => boolean | void,
): boolean | void {
  for (const [client, ranges] of ds.clients) {
    const structs = doc.store.clients.get(client)
    if (!structs) continue
    const known = Y.getState(doc.store, client)
    for (const range of ranges) {
      const end = Math.min(range.clock + range.len, known)
      let clock = range.clock
      while (clock < end) {
        const s = structs[Y.findIndexSS(structs, clock)]
        if (!s) break
        if (s instanceof Y.Item && fn(s) === false) return false
        clock = s.id.clock + s.length
      }
    }
  }
}

/** The item's entry in its root (itself, for an entry) and the root's name. */
function entryOf(item: Y.Item): { entry: Y.Item; root: string } | null {
  let entry = item
  for (;;) {
    const parent = entry.parent
    if (!(parent instanceof Y.AbstractType)) return null
    const up = parent._item
    if (up === null) return { entry, root: Y.findRootTypeKey(parent) }
    entry = up
  }
}

/** The touches of one step that the undo would really make. */
function touches(doc: Y.Doc, step: Step): Touch[] {
  const out: Touch[] = []
  // an insertion still there is deleted by the undo; one already gone is left alone
  forEachItem(doc, step.insertions, (item) => {
    if (!item.deleted) out.push({ item, restore: false })
  })
  forEachItem(doc, step.deletions, (item) => {
    if (item.deleted && !Y.isDeleted(step.insertions, item.id)) out.push({ item, restore: true })
  })
  return out
}

/**
 * Why the server would refuse undoing `step` for `who` under `policy`, or null when it would
 * take it. Facilitators are never refused on the board's undoable roots.
 */
export function undoBlock(
  doc: Y.Doc,
  step: Step | undefined,
  who: CardWriter,
  policy: BoardPolicy,
): UndoBlock | null {
  if (!step || who.role === Role.Facilitator) return null
  const cards = boardRoot(doc).cards
  const sharedText = mayWriteSharedText(policy, who.role)
  for (const { item, restore } of touches(doc, step)) {
    const at = entryOf(item)
    if (!at) continue
    switch (at.root) {
      case BOARD_ROOT.cards: {
        // the server judges a card by what lives under its id now (a restored card is new)
        const key = at.entry.parentSub
        const live = key === null ? undefined : cards.get(key)
        if (live instanceof Y.Map && !mayChangeCard(policy, who, ownership(live)))
          return UndoBlock.Card
        break
      }
      case BOARD_ROOT.tasks:
        // a participant may only add tasks: bringing back a whole task adds it, all else changes one
        if (!(restore && at.entry.deleted)) return UndoBlock.Tasks
        break
      case BOARD_ROOT.principles:
      case BOARD_ROOT.statement:
        if (!sharedText) return UndoBlock.SharedText
        break
    }
  }
  return null
}

const ownership = (card: Y.Map<unknown>) => ({
  author: card.get(AUTHOR_FIELD),
  table: card.get(CARD_TABLE_FIELD),
})
