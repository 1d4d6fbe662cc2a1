/**
 * The shells of the culled cards (CardShell.tsx), one element per card, kept while its kind, table
 * and text stay as they were: the cards layer hands React the same element on every render, and
 * React passes over it. A shell is thus one element of the layer, not a component with its own
 * subscription: per culled card that was two fibers, four hooks with their effects and three
 * closures, about 1.3 MiB of a 1,000-card board's heap (tests/bench/client.ts, the heap row).
 */
import type { ReactElement } from 'react'
import type * as Y from 'yjs'
import type { Card } from '../../shared/schema.ts'
import { docCardLabel } from '../cards/cardLabel.ts'
import { cardShell } from '../cards/CardShell.tsx'
import type { Translate } from '../i18n/index.ts'

interface Entry {
  kind: Card['kind']
  table: string | null
  bodyVersion: number
  t: Translate
  element: ReactElement
}

export class ShellCache {
  private readonly entries = new Map<string, Entry>()

  constructor(private readonly doc: Y.Doc) {}

  /** The shell of `card` as it is now: the element drawn last while nothing it shows changed. */
  element(card: Card, bodyVersion: number, t: Translate): ReactElement {
    const old = this.entries.get(card.id)
    if (old && !differs(old, card, bodyVersion, t)) return old.element
    const label = docCardLabel(t, this.doc, card.id, card.kind)
    const element = cardShell(card.id, card.kind, card.table, label)
    this.entries.set(card.id, { kind: card.kind, table: card.table, bodyVersion, t, element })
    return element
  }

  /**
   * Whether the shell drawn for `id` no longer shows its card (`card` undefined: it is gone). A
   * card without a shell yet (still in view, or not mounted yet) has nothing out of date.
   */
  stale(id: string, card: Card | undefined, bodyVersion: number, t: Translate): boolean {
    const old = this.entries.get(id)
    return !!old && (!card || differs(old, card, bodyVersion, t))
  }

  /** Forgets the shells of cards that are no longer on the board. */
  retain(ids: readonly string[]): void {
    if (this.entries.size === 0) return
    const keep = new Set(ids)
    for (const id of this.entries.keys()) if (!keep.has(id)) this.entries.delete(id)
  }
}

function differs(e: Entry, card: Card, bodyVersion: number, t: Translate): boolean {
  return (
    e.kind !== card.kind || e.table !== card.table || e.bodyVersion !== bodyVersion || e.t !== t
  )
}
