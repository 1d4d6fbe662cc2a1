/**
 * Static card text: the inert block tree from shared/richtext.ts rendered as React elements. On a
 * zoomed-out canvas it drops what nobody could read: rich text becomes one plain text node, and
 * below that a few grey lines (the card's name keeps the text for assistive technology).
 */
import { type ReactNode, createContext, useContext } from 'react'
import { type Block, type TextRun, blocksPlainText } from '../../shared/richtext.ts'
import { type CardDetail, SUMMARY_CHARS } from '../model/viewport.ts'

/** The start of the card's text, cut at a word, so the card needs no clipping to stay short. */
function summaryText(blocks: readonly Block[]): string {
  const text = blocksPlainText(blocks).replace(/\s+/g, ' ').trim()
  if (text.length <= SUMMARY_CHARS) return text
  const cut = text.slice(0, SUMMARY_CHARS)
  const space = cut.lastIndexOf(' ')
  return `${(space > SUMMARY_CHARS / 2 ? cut.slice(0, space) : cut).trimEnd()}…`
}

/** How much detail cards show; the canvas provides it from the zoom, elsewhere cards are rich. */
export const CardDetailContext = createContext<CardDetail>('rich')

function Run({ run }: { run: TextRun }) {
  let node: ReactNode = run.text
  for (const mark of run.marks) {
    if (mark === 'bold') node = <strong>{node}</strong>
    else if (mark === 'italic') node = <em>{node}</em>
    else if (mark === 'strike') node = <s>{node}</s>
    else node = <code>{node}</code>
  }
  return <>{node}</>
}

function Runs({ runs }: { runs: TextRun[] }) {
  return (
    <>
      {runs.map((r, i) => (
        <Run key={i} run={r} />
      ))}
    </>
  )
}

function BlockView({ block }: { block: Block }) {
  const kids = block.children.map((c, i) => <BlockView key={i} block={c} />)
  switch (block.type) {
    case 'paragraph':
      return (
        <p>
          <Runs runs={block.runs} />
        </p>
      )
    case 'heading': {
      // card headings sit below the board's own headings; keep them visually strong but not h1
      const Tag = (['h3', 'h4', 'h5', 'h6'] as const)[Math.min(3, (block.level ?? 1) - 1)] ?? 'h6'
      return (
        <Tag>
          <Runs runs={block.runs} />
        </Tag>
      )
    }
    case 'bulletList':
      return <ul>{kids}</ul>
    case 'orderedList':
      return <ol>{kids}</ol>
    case 'listItem':
      return <li>{kids}</li>
    case 'blockquote':
      return <blockquote>{kids}</blockquote>
    default:
      return (
        <div>
          <Runs runs={block.runs} />
          {kids}
        </div>
      )
  }
}

export function CardBody({ blocks }: { blocks: Block[] }) {
  const detail = useContext(CardDetailContext)
  if (detail === 'lines')
    return blocks.length === 0 ? (
      <div className="card-body" />
    ) : (
      <div className="card-body card-lines" aria-hidden="true" />
    )
  if (detail === 'plain') {
    return (
      <div className="card-body">
        <p className="card-summary">{summaryText(blocks)}</p>
      </div>
    )
  }
  return (
    <div className="card-body">
      {blocks.map((b, i) => (
        <BlockView key={i} block={b} />
      ))}
    </div>
  )
}
