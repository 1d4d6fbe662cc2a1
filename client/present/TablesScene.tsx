/**
 * Table round scene: one column per table with every card's full text, never clamped and never
 * broken inside a word. A column that cannot hold all its cards pages by itself (./pager.ts); the
 * cards are measured in an invisible copy of the column, so a page never cuts a card.
 */
import { useId, useLayoutEffect, useRef, useState } from 'react'
import type * as Y from 'yjs'
import { type Block, blocksPlainText, readBlocks } from '../../shared/richtext.ts'
import { type Card, type Table, cardBody } from '../../shared/schema.ts'
import { CardBody } from '../cards/CardBody.tsx'
import { useI18n } from '../i18n/index.ts'
import type { BoardSnapshot } from '../model/model.ts'
import { type Every, paginate, usePageTurn } from './pager.ts'

interface Props {
  board: Y.Doc
  snap: BoardSnapshot
  every: Every
}

interface ShownCard {
  card: Card
  blocks: Block[]
}

const samePages = (a: number[][], b: number[][]) =>
  a.length === b.length && a.every((p, i) => p.join() === b[i]!.join())

export function TablesScene({ board, snap, every }: Props) {
  const { t } = useI18n()
  // the snapshot's bodyVersion changes with any card's text: re-read the bodies with it
  const withText = snap.cards.flatMap((card): ShownCard[] => {
    const f = cardBody(board, card.id)
    const blocks = f ? readBlocks(f) : []
    return blocksPlainText(blocks).trim() ? [{ card, blocks }] : []
  })
  const columns: { id: string; name: string; color: string; cards: ShownCard[] }[] =
    snap.tables.map((tb: Table) => ({
      id: tb.id,
      name: tb.name,
      color: tb.color,
      cards: withText.filter((c) => c.card.table === tb.id),
    }))
  const loose = withText.filter((c) => !snap.tables.some((tb) => tb.id === c.card.table))
  if (loose.length)
    columns.push({ id: '', name: t('present.noTable'), color: '#4a4a4a', cards: loose })
  if (withText.length === 0)
    return (
      <section className="scene scene-tables" data-testid="scene-tables">
        <p className="scene-empty">{t('present.tablesEmpty')}</p>
      </section>
    )
  return (
    <section
      className="scene scene-tables"
      data-testid="scene-tables"
      style={{ ['--columns' as string]: columns.length }}
    >
      {columns.map((c) => (
        <TableColumn
          key={c.id || '~'}
          name={c.name}
          color={c.color}
          cards={c.cards}
          every={every}
        />
      ))}
    </section>
  )
}

function TableColumn({
  name,
  color,
  cards,
  every,
}: {
  name: string
  color: string
  cards: ShownCard[]
  every: Every
}) {
  const { t } = useI18n()
  const headingId = useId()
  const bodyRef = useRef<HTMLDivElement>(null)
  const measureRef = useRef<HTMLUListElement>(null)
  const [pages, setPages] = useState<number[][]>(() => [cards.map((_, i) => i)])
  // a signature of what is measured: the cards and their text
  const key = cards.map((c) => `${c.card.id}:${blocksPlainText(c.blocks).length}`).join(',')
  useLayoutEffect(() => {
    const body = bodyRef.current
    const list = measureRef.current
    if (!body || !list) return
    const measure = () => {
      const style = getComputedStyle(list)
      const perRow = Math.max(1, style.gridTemplateColumns.split(' ').filter(Boolean).length)
      const gap = parseFloat(style.rowGap) || 0
      const heights = [...list.children].map((el) => el.getBoundingClientRect().height)
      const next = paginate(heights, perRow, body.clientHeight, gap)
      setPages((prev) => (samePages(prev, next) ? prev : next))
    }
    measure()
    const ro = new ResizeObserver(measure)
    ro.observe(body)
    ro.observe(list)
    return () => ro.disconnect()
  }, [key])
  const page = usePageTurn(pages.length, every)
  const shown = (pages[page] ?? []).flatMap((i) => (cards[i] ? [cards[i]] : []))
  return (
    <section
      className="present-table"
      aria-labelledby={headingId}
      data-testid="present-table"
      data-page={page + 1}
      data-pages={pages.length}
      style={{ ['--zone' as string]: color }}
    >
      <h3 id={headingId} className="present-table-name">
        {name}
      </h3>
      {pages.length > 1 && (
        <p className="present-page" data-testid="present-page">
          {t('present.page', { page: page + 1, pages: pages.length })}
        </p>
      )}
      <div className="present-table-body" ref={bodyRef}>
        {cards.length === 0 ? (
          <p className="scene-empty-small">{t('present.tableEmpty')}</p>
        ) : (
          <ul className="present-cards" data-testid="present-cards">
            {shown.map((c) => (
              <li
                key={c.card.id}
                className="present-card"
                data-testid="present-card"
                data-card-id={c.card.id}
              >
                <CardBody blocks={c.blocks} />
              </li>
            ))}
          </ul>
        )}
        {/* the whole column, invisible, to measure where the pages break */}
        <ul className="present-cards present-measure" aria-hidden="true" ref={measureRef}>
          {cards.map((c) => (
            <li key={c.card.id} className="present-card">
              <CardBody blocks={c.blocks} />
            </li>
          ))}
        </ul>
      </div>
    </section>
  )
}
