/**
 * Reads a Tiptap/ProseMirror Y.XmlFragment into a small, inert tree. The client renders it as
 * React elements (never innerHTML) and the report renders it as escaped text, so card text from
 * peers cannot execute.
 */
import * as Y from 'yjs'
import { z } from 'zod/mini'

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
  if (block.type === 'heading' && Number.isInteger(level))
    block.level = Math.min(6, Math.max(1, level))
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
    else if (child instanceof Y.XmlText)
      out.push({ type: 'paragraph', runs: runsOf(child), children: [] })
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

export const BlockSchema: z.ZodMiniType<Block> = z.lazy(() =>
  z.object({
    type: z.enum([
      'paragraph',
      'heading',
      'bulletList',
      'orderedList',
      'listItem',
      'blockquote',
      'other',
    ]),
    level: z.optional(z.int().check(z.minimum(1), z.maximum(6))),
    runs: z.array(
      z.object({ text: z.string(), marks: z.array(z.enum(['bold', 'italic', 'strike', 'code'])) }),
    ),
    children: z.array(BlockSchema),
  }),
)

const isList = (b: Block) => b.type === 'bulletList' || b.type === 'orderedList'

/** Delimiters hug the text: "** bold**" is not bold in Markdown, so edge spaces go outside. */
function markdownRun(run: TextRun, esc: (s: string) => string): string {
  const [, lead = '', core = '', trail = ''] = /^(\s*)([\s\S]*?)(\s*)$/.exec(run.text) ?? []
  if (!core) return run.text
  let inner: string
  if (run.marks.includes('code')) {
    // a code span shows its content literally; a fence longer than any backtick run inside keeps it closed
    const fence = '`'.repeat(Math.max(0, ...(core.match(/`+/g) ?? []).map((s) => s.length)) + 1)
    inner = `${fence}${core.startsWith('`') || core.endsWith('`') ? ` ${core} ` : core}${fence}`
  } else inner = esc(core)
  if (run.marks.includes('strike')) inner = `~~${inner}~~`
  // '*', not '_': an underscore does not emphasise inside a word
  if (run.marks.includes('italic')) inner = `*${inner}*`
  if (run.marks.includes('bold')) inner = `**${inner}**`
  return lead + inner + trail
}

// trimmed: leading spaces could make a code block, trailing ones a hard break
const markdownInline = (runs: readonly TextRun[], esc: (s: string) => string) =>
  runs
    .map((r) => markdownRun(r, esc))
    .join('')
    .replace(/\n/g, ' ')
    .trim()

function markdownBlock(b: Block, esc: (s: string) => string): string[] {
  switch (b.type) {
    case 'bulletList':
    case 'orderedList':
      return b.children.flatMap((item, i) => {
        const marker = b.type === 'bulletList' ? '- ' : `${i + 1}. `
        const own = item.runs.length
          ? [{ type: 'paragraph', runs: item.runs, children: [] } satisfies Block]
          : []
        const lines = markdownLines(
          [...own, ...(item.type === 'listItem' ? item.children : [item])],
          esc,
        )
        return (lines.length ? lines : ['']).map((l, j) =>
          j === 0 ? marker + l : l ? ' '.repeat(marker.length) + l : '',
        )
      })
    case 'blockquote':
      return markdownLines(b.children, esc).map((l) => (l ? `> ${l}` : '>'))
    case 'heading': {
      const text = markdownInline(b.runs, esc)
      return text.trim() ? [`**${text.trim()}**`] : []
    }
    default: {
      const text = markdownInline(b.runs, esc)
      return [...(text.trim() ? [text] : []), ...markdownLines(b.children, esc)]
    }
  }
}

/**
 * Rich text as Markdown lines: lists stay lists (nested ones indented), marks become **, *, ~~
 * and code spans, and a heading inside a card becomes a bold line. `esc` escapes plain text.
 */
export function markdownLines(blocks: readonly Block[], esc: (s: string) => string): string[] {
  const out: string[] = []
  for (const b of blocks) {
    const lines = markdownBlock(b, esc)
    if (!lines.length) continue
    // a paragraph after anything needs a blank line to stay apart; a list may follow directly
    if (out.length && !isList(b)) out.push('')
    out.push(...lines)
  }
  return out
}

const HTML_MARKS: Record<Mark, string> = { bold: 'strong', italic: 'em', strike: 's', code: 'code' }

function htmlInline(runs: readonly TextRun[], esc: (s: string) => string): string {
  return runs
    .map((r) => {
      const order: Mark[] = ['bold', 'italic', 'strike', 'code']
      const marks = order.filter((m) => r.marks.includes(m))
      return marks.reduceRight(
        (inner, m) => `<${HTML_MARKS[m]}>${inner}</${HTML_MARKS[m]}>`,
        esc(r.text),
      )
    })
    .join('')
}

/** Rich text as HTML elements, every piece of text through `esc`; no attribute comes from the doc. */
export function htmlBlocks(blocks: readonly Block[], esc: (s: string) => string): string {
  return blocks
    .map((b) => {
      const kids = htmlBlocks(b.children, esc)
      const own = htmlInline(b.runs, esc)
      switch (b.type) {
        case 'bulletList':
          return `<ul>${kids}</ul>`
        case 'orderedList':
          return `<ol>${kids}</ol>`
        case 'listItem':
          return `<li>${own}${kids}</li>`
        case 'blockquote':
          return `<blockquote>${own && `<p>${own}</p>`}${kids}</blockquote>`
        case 'heading':
          return own ? `<p class="rt-heading"><strong>${own}</strong></p>${kids}` : kids
        default:
          return own ? `<p>${own}</p>${kids}` : kids
      }
    })
    .join('')
}
