/**
 * Reads a Tiptap/ProseMirror Y.XmlFragment into a small, inert tree. The client renders it as
 * React elements (never innerHTML) and the report renders it as escaped text, so card text from
 * peers cannot execute.
 */
import * as Y from 'yjs'

export type Mark = 'bold' | 'italic' | 'strike' | 'code'
export interface TextRun {
  text: string
  marks: Mark[]
}
export interface Block {
  type: 'paragraph' | 'heading' | 'bulletList' | 'orderedList' | 'listItem' | 'blockquote' | 'other'
  level?: number
  runs: TextRun[]
  children: Block[]
}

const KNOWN_MARKS: readonly Mark[] = ['bold', 'italic', 'strike', 'code']
const KNOWN_BLOCKS: readonly Block['type'][] = [
  'paragraph',
  'heading',
  'bulletList',
  'orderedList',
  'listItem',
  'blockquote',
]

function runsOf(text: Y.XmlText): TextRun[] {
  const runs: TextRun[] = []
  for (const op of text.toDelta() as { insert?: unknown; attributes?: Record<string, unknown> }[]) {
    if (typeof op.insert !== 'string') continue
    const marks = Object.keys(op.attributes ?? {}).filter((m): m is Mark =>
      (KNOWN_MARKS as readonly string[]).includes(m),
    )
    runs.push({ text: op.insert, marks })
  }
  return runs
}

function blockOf(el: Y.XmlElement): Block {
  const name = el.nodeName as Block['type']
  const block: Block = {
    type: KNOWN_BLOCKS.includes(name) ? name : 'other',
    runs: [],
    children: [],
  }
  const level = Number(el.getAttribute('level'))
  if (block.type === 'heading' && Number.isInteger(level)) block.level = Math.min(6, Math.max(1, level))
  for (const child of el.toArray()) {
    if (child instanceof Y.XmlText) block.runs.push(...runsOf(child))
    else if (child instanceof Y.XmlElement) block.children.push(blockOf(child))
  }
  return block
}

export function readBlocks(fragment: Y.XmlFragment): Block[] {
  const out: Block[] = []
  for (const child of fragment.toArray()) {
    if (child instanceof Y.XmlElement) out.push(blockOf(child))
    else if (child instanceof Y.XmlText) out.push({ type: 'paragraph', runs: runsOf(child), children: [] })
  }
  return out
}

function blockText(b: Block): string {
  const own = b.runs.map((r) => r.text).join('')
  const kids = b.children.map(blockText).filter(Boolean)
  return [own, ...kids].filter(Boolean).join('\n')
}

/** Plain text of read blocks, one line per block. */
export function blocksPlainText(blocks: readonly Block[]): string {
  return blocks.map(blockText).filter(Boolean).join('\n')
}

/** Plain text, one line per block: for the list view's labels, announcements and reports. */
export function plainText(fragment: Y.XmlFragment): string {
  return blocksPlainText(readBlocks(fragment))
}

/**
 * Writes blocks into an empty fragment such that `readBlocks` gives them back (runs of one block
 * land in one text, so neighbouring runs with equal marks read back joined).
 */
export function writeBlocks(fragment: Y.XmlFragment, blocks: readonly Block[]): void {
  fragment.insert(0, blocks.map(elementOf))
}

function elementOf(block: Block): Y.XmlElement {
  const el = new Y.XmlElement(block.type)
  if (block.level !== undefined) el.setAttribute('level', block.level as unknown as string)
  const content: (Y.XmlText | Y.XmlElement)[] = []
  if (block.runs.length) {
    const text = new Y.XmlText()
    let at = 0
    for (const run of block.runs) {
      // explicit (possibly empty) marks: Yjs would otherwise carry the previous run's marks on
      text.insert(at, run.text, Object.fromEntries(run.marks.map((m) => [m, {}])))
      at += run.text.length
    }
    content.push(text)
  }
  for (const child of block.children) content.push(elementOf(child))
  el.insert(0, content)
  return el
}
