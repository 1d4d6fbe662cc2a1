/** A card's accessible name (kind and the start of its text), the same for a drawn card and its shell. */
import { type Block, readBlocks } from '../../shared/richtext.ts'
import { type Card, cardBody } from '../../shared/schema.ts'
import type * as Y from 'yjs'
import type { Translate } from '../i18n/index.ts'

const LABEL_CHARS = 80

export function blocksText(blocks: Block[]): string {
  const walk = (b: Block): string =>
    [b.runs.map((r) => r.text).join(''), ...b.children.map(walk)].filter(Boolean).join(' ')
  return blocks.map(walk).filter(Boolean).join(' ')
}

export function cardLabel(t: Translate, kind: Card['kind'], text: string): string {
  return t('card.label', {
    kind: t(`kind.${kind}`),
    text: text ? text.slice(0, LABEL_CHARS) : t('card.empty'),
  })
}

/** The label read straight from the doc (a shell keeps no blocks of its own). */
export function docCardLabel(t: Translate, doc: Y.Doc, id: string, kind: Card['kind']): string {
  const f = cardBody(doc, id)
  return cardLabel(t, kind, f ? blocksText(readBlocks(f)) : '')
}
