/**
 * One card on the canvas: static text, drag, keyboard moves and tools. Its text is written in the
 * board's editor panel (readable at any zoom); meanwhile the card shows it is being edited and its
 * text follows along. Off screen it is culled to an empty shell that keeps its place in the tab
 * order and its name.
 */
import { type KeyboardEvent, memo, useMemo, useRef, useState } from 'react'
import { readBlocks } from '../../shared/richtext.ts'
import { type Card, CardKind, cardBody } from '../../shared/schema.ts'
import { useI18n } from '../i18n/index.ts'
import { deleteLocalCard, moveCardToTable, nudgeCard, setLocalCardKind } from '../board/actions.ts'
import { useBoardApi } from '../board/context.ts'
import { CardBody } from './CardBody.tsx'
import { TableOptions } from './TableOptions.tsx'
import { PromoteCardButton } from '../facilitation/PromoteCardButton.tsx'
import { useCardDrag } from './useCardDrag.ts'

/** World px per arrow-key press; with Shift, a bigger step. */
const KEY_STEP = 10
const KEY_STEP_LARGE = 60
const LABEL_CHARS = 80

function blocksText(blocks: ReturnType<typeof readBlocks>): string {
  const walk = (b: (typeof blocks)[number]): string =>
    [b.runs.map((r) => r.text).join(''), ...b.children.map(walk)].filter(Boolean).join(' ')
  return blocks.map(walk).filter(Boolean).join(' ')
}

interface Props {
  card: Card
  bodyVersion: number
  editing: boolean
  /** Names of other people editing this card. */
  editors: string
  /** Outside the view: only the focusable shell, no text, tools or drag. */
  culled?: boolean
}

export const CardItem = memo(function CardItem({ card, bodyVersion, editing, editors, culled = false }: Props) {
  const { t } = useI18n()
  const api = useBoardApi()
  const ref = useRef<HTMLDivElement>(null)
  const { override, handlers } = useCardDrag(card, api)
  // the table chosen in the select; nothing moves until the Move button (WCAG 3.2.2 On Input)
  const [target, setTarget] = useState<string | null>(null)

  const blocks = useMemo(() => {
    const f = cardBody(api.doc, card.id)
    return f ? readBlocks(f) : []
    // bodyVersion changes whenever this card's body does
  }, [api.doc, card.id, bodyVersion])
  const text = blocksText(blocks)
  const kindLabel = t(`kind.${card.kind}`)
  const label = t('card.label', {
    kind: kindLabel,
    text: text ? text.slice(0, LABEL_CHARS) : t('card.empty'),
  })

  const x = override?.x ?? card.x
  const y = override?.y ?? card.y

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (e.target !== e.currentTarget || api.readOnly) return
    const step = e.shiftKey ? KEY_STEP_LARGE : KEY_STEP
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-step, 0],
      ArrowRight: [step, 0],
      ArrowUp: [0, -step],
      ArrowDown: [0, step],
    }
    const move = moves[e.key]
    if (move) {
      e.preventDefault()
      announceTable(nudgeCard(api.doc, card, move[0], move[1], api.tables()))
    } else if (e.key === 'Enter' || e.key === 'F2') {
      e.preventDefault()
      api.startEdit(card.id)
    } else if (e.key === 'Delete' || e.key === 'Backspace') {
      e.preventDefault()
      remove()
    }
  }

  function remove() {
    deleteLocalCard(api.doc, card.id)
    api.announce(t('announce.localDeleted'))
  }

  function toggleKind() {
    setLocalCardKind(api.doc, card.id, card.kind === CardKind.Vision ? CardKind.Need : CardKind.Vision)
  }

  /** Our own moves are announced too: a keyboard user cannot see which zone the card is in. */
  function announceTable(to: string | null | undefined) {
    if (to === undefined) return
    const name = api.tables().find((tb) => tb.id === to)?.name
    api.announce(name ? t('announce.cardMoved', { table: name }) : t('announce.cardOffTable'))
  }

  function moveTo(tableId: string | null) {
    const table = api.tables().find((tb) => tb.id === tableId)
    setTarget(null)
    if (!table || table.id === card.table) return
    moveCardToTable(api.doc, card, table, api.cards())
    announceTable(table.id)
    // back on the card: arrow keys go on from here, and the view follows it to its new table
    ref.current?.focus()
  }

  return (
    <div
      ref={ref}
      className={`card kind-${card.kind}${editing ? ' is-editing' : ''}${override ? ' is-dragging' : ''}${culled ? ' is-culled' : ''}`}
      style={{ transform: `translate(${x}px, ${y}px)`, width: card.w, minHeight: card.h }}
      data-testid="card"
      data-card-id={card.id}
      data-table-id={card.table ?? ''}
      role="group"
      aria-label={label}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onDoubleClick={(e) => {
        if (!api.readOnly && !editing && !(e.target as Element).closest('button, select')) api.startEdit(card.id)
      }}
      {...(culled ? {} : handlers)}
    >
      {!culled && (
        <>
          <div className="card-head">
            <span className="card-kind">{kindLabel}</span>
            {editors && <span className="card-editors">{t('card.editingBy', { name: editors })}</span>}
            {editing && <span className="card-editing-self">{t('editor.onCard')}</span>}
          </div>
          <CardBody blocks={blocks} />
          {!api.readOnly && (
            <div className="card-tools">
              <button type="button" className="btn btn-small" onClick={() => (editing ? api.stopEdit(card.id) : api.startEdit(card.id))}>
                {t('card.edit')}
              </button>
              <button
                type="button"
                className="btn btn-small"
                onClick={toggleKind}
              >
                {t('card.toggleKind', {
                  kind: t(`kind.${card.kind === CardKind.Vision ? CardKind.Need : CardKind.Vision}`),
                })}
              </button>
              <select
                className="select-small"
                data-testid="card-move-select"
                aria-label={t('card.moveTo')}
                value={target ?? card.table ?? ''}
                onChange={(e) => setTarget(e.target.value)}
              >
                <TableOptions tables={api.tables()} current={card.table} />
              </select>
              <button
                type="button"
                className="btn btn-small"
                data-testid="card-move"
                disabled={!target || target === card.table}
                onClick={() => moveTo(target)}
              >
                {t('card.move')}
              </button>
              <PromoteCardButton doc={api.doc} cardId={card.id} announce={api.announce} />
              <button type="button" className="btn btn-small btn-danger" aria-label={t('card.delete')} onClick={remove}>
                <span aria-hidden="true">×</span>
              </button>
            </div>
          )}
        </>
      )}
    </div>
  )
})
