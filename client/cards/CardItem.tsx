/**
 * One card on the canvas: static text, drag, keyboard moves and tools. Its text is written in the
 * board's editor panel (readable at any zoom); meanwhile the card shows it is being edited and its
 * text follows along. Off screen the cards layer draws its shell instead (CardShell.tsx), which
 * keeps its place in the tab order and its name.
 */
import {
  type KeyboardEvent,
  memo,
  useContext,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react'
import { readBlocks } from '../../shared/richtext.ts'
import { blocksText, cardLabel } from './cardLabel.ts'
import { type Card, CardKind, cardBody } from '../../shared/schema.ts'
import { type Box, CARD_MAX_H, CARD_MIN_H, type Slot, columnsOf } from '../../shared/layout.ts'
import { useI18n } from '../i18n/index.ts'
import {
  deleteLocalCard,
  moveCardToTable,
  nudgeLooseCard,
  setLocalCardKind,
  stepCard,
} from '../model/actions.ts'
import { useBoardApi } from '../model/context.ts'
import { useCardLayout } from '../model/useBoardLayout.ts'
import type { CardPlacement } from '../model/useCardSlot.ts'
import { CardBody, CardDetailContext } from './CardBody.tsx'
import { TableOptions } from './TableOptions.tsx'
import { PresentCardButton } from './LazyCardTools.tsx'
import { PromoteCardButton } from './LazyCardTools.tsx'
import { useCardDrag, useKeyboardMove } from './useCardDrag.ts'
import { useCardPermission } from './useCardPermission.ts'
import { ConfirmDialog } from '../widgets/ConfirmDialog.tsx'
import { useVersionedMemo } from '../lib/useVersionedMemo.ts'

/** World px per arrow-key press on a loose card; with Shift, a bigger step. */
const KEY_STEP = 10
const KEY_STEP_LARGE = 60
/** The card's words in the name of "show on the projector". */
const TITLE_CHARS = 40
/**
 * World px of a bounded card kept for its head, the "more" button and padding: the text shows
 * up to CARD_MAX_H less this, so the whole card stays within CARD_MAX_H (the layout's bound).
 */
const CARD_CHROME_PX = 96
const MODIFIERS = new Set(['Shift', 'Control', 'Alt', 'Meta'])
const ARROWS = { ArrowUp: 'up', ArrowDown: 'down', ArrowLeft: 'left', ArrowRight: 'right' } as const

interface Props {
  card: Card
  bodyVersion: number
  editing: boolean
  /** Names of other people editing this card. */
  editors: string
  /** The card's width: its column's in the layout (shared/layout.ts), else its own. */
  width: number
  /** Where the card sits; written to the element, not rendered (useCardSlot.ts says why). */
  placement: CardPlacement
}

export const CardItem = memo(function CardItem({
  card,
  bodyVersion,
  editing,
  editors,
  width,
  placement,
}: Props) {
  const { t } = useI18n()
  const board = useBoardApi()
  const perm = useCardPermission(card)
  // the board policy narrows what this person may do to this card; the server enforces the same
  const api = useMemo(
    () => ({ ...board, readOnly: board.readOnly || !perm.canChange }),
    [board, perm],
  )
  const [confirmDelete, setConfirmDelete] = useState(false)
  // the facilitator closed this card to us while we edit it: the server would refuse the typing
  useEffect(() => {
    if (editing && !perm.canChange) board.stopEdit(card.id)
  }, [editing, perm.canChange, board, card.id])
  const layout = useCardLayout()
  const ref = useRef<HTMLDivElement>(null)
  // after a Cancel, back to the card; only once the modal is gone (until then the page is inert)
  const asked = useRef(false)
  useEffect(() => {
    if (asked.current && !confirmDelete) ref.current?.focus()
    asked.current = confirmDelete
  }, [confirmDelete])
  const clipRef = useRef<HTMLDivElement>(null)
  // the card as the board has it now: this render's may carry an older place (it only moved)
  const latest = () => placement.latest() ?? card
  const placeOf = (): Box => {
    const at = placement.at()
    return at
      ? { x: at.x, y: at.y, w: width, h: at.h }
      : { x: card.x, y: card.y, w: width, h: card.h }
  }
  const { override, handlers } = useCardDrag(latest, placeOf, api, layout)
  const keyMove = useKeyboardMove(api.doc)
  const [expanded, setExpanded] = useState(false)
  const [overflowing, setOverflowing] = useState(false)

  // one observer measures every card for the layout
  useLayoutEffect(() => {
    const el = ref.current
    if (!el || !layout) return
    const check = () => {
      const clip = clipRef.current
      setOverflowing(!!clip && clip.scrollHeight > clip.clientHeight + 1)
    }
    return layout.measure(card.id, el, check)
  }, [layout, card.id])
  useEffect(() => {
    layout?.setExpanded(card.id, expanded)
  }, [layout, card.id, expanded])
  // the table chosen in the select; nothing moves until the Move button (WCAG 3.2.2 On Input)
  const [target, setTarget] = useState<string | null>(null)
  // the tools exist only on the card under the pointer or holding focus (they show only there):
  // 1,000 cards would otherwise carry 12,000 hidden elements
  const [active, setActive] = useState(false)
  // zoomed out, the kind label is smaller than the text that is already gone: not drawn at all.
  // The card being written keeps its head and its text at any zoom: it follows the editor panel.
  const zoomDetail = useContext(CardDetailContext)
  const detail = editing ? 'rich' : zoomDetail
  const showHead = detail === 'rich'

  const blocks = useVersionedMemo(
    () => {
      const f = cardBody(api.doc, card.id)
      return f ? readBlocks(f) : []
    },
    [api.doc, card.id],
    bodyVersion,
  )
  const text = blocksText(blocks)
  const kindLabel = t(`kind.${card.kind}`)
  const label = cardLabel(t, card.kind, text)

  // the card's place, written to the element on every move (and the pointer's during a drag);
  // as `translate`, not left/top: a moved card then costs no layout of the world's other cards
  const overrideRef = useRef(override)
  overrideRef.current = override
  useLayoutEffect(() => {
    const el = ref.current
    if (!el) return
    let x = NaN
    let y = NaN
    const place = () => {
      const at = overrideRef.current ?? placement.at()
      if (!at || (at.x === x && at.y === y)) return
      x = at.x
      y = at.y
      el.style.translate = `${x}px ${y}px`
    }
    place()
    return placement.subscribe(place)
  }, [placement, override])

  /** Arrow keys follow the slots at a table; a loose card moves freely until it reaches a zone. */
  function arrow(dir: (typeof ARROWS)[keyof typeof ARROWS], large: boolean) {
    const cards = api.cards()
    const now = latest()
    if (now.table) {
      const slot = stepCard(api.doc, now, dir, api.tables(), cards)
      if (slot) announceSlot(slot, slot.table !== now.table)
      return
    }
    const step = large ? KEY_STEP_LARGE : KEY_STEP
    const nx = now.x + (dir === 'left' ? -step : dir === 'right' ? step : 0)
    const ny = now.y + (dir === 'up' ? -step : dir === 'down' ? step : 0)
    const h = placeOf().h
    const slot = layout?.slotAt(nx + now.w / 2, ny + Math.min(h, CARD_MIN_H) / 2) ?? null
    nudgeLooseCard(api.doc, now, nx, ny, slot, cards)
    if (slot) announceSlot(slot, true)
  }

  /** Where the card went, in words: a keyboard user cannot see the slot. */
  function announceSlot(slot: Slot, tableChanged: boolean) {
    const table = api.tables().find((tb) => tb.id === slot.table)
    const others = columnsOf(
      slot.table,
      api.cards().filter((c) => c.id !== card.id),
    )[slot.column]
    const params = {
      table: table?.name ?? '',
      column: t(slot.column === 0 ? 'kind.vision' : 'kind.need'),
      place: Math.min(slot.index, others.length) + 1,
      count: others.length + 1,
    }
    api.announce(t(tableChanged ? 'announce.cardSlotTable' : 'announce.cardSlot', params))
  }

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (e.target !== e.currentTarget || api.readOnly) return
    const dir = ARROWS[e.key as keyof typeof ARROWS]
    if (dir) {
      e.preventDefault()
      keyMove.step()
      arrow(dir, e.shiftKey)
      return
    }
    if (e.key === 'Escape' && keyMove.cancel()) {
      e.preventDefault()
      api.announce(t('announce.moveCancelled'))
      return
    }
    // a modifier on its own is the start of Shift+arrow, not the end of the move
    if (!MODIFIERS.has(e.key)) keyMove.end()
    if (e.key === 'Enter' || e.key === 'F2') {
      e.preventDefault()
      api.startEdit(card.id)
    } else if (e.key === 'Delete' || e.key === 'Backspace') {
      e.preventDefault()
      askRemove()
    }
  }

  /** Someone else's card is deleted only after a yes (the facilitator can restore it). */
  function askRemove() {
    if (perm.othersCard) setConfirmDelete(true)
    else remove()
  }

  function remove() {
    setConfirmDelete(false)
    deleteLocalCard(api.doc, card.id)
    api.announce(t('announce.localDeleted'))
  }

  function toggleKind() {
    setLocalCardKind(
      api.doc,
      card.id,
      card.kind === CardKind.Vision ? CardKind.Need : CardKind.Vision,
    )
  }

  /** Our own moves are announced too: a keyboard user cannot see which zone the card is in. */
  function announceTable(to: string | null | undefined) {
    if (to === undefined) return
    const name = api.tables().find((tb) => tb.id === to)?.name
    api.announce(name ? t('announce.cardMoved', { table: name }) : t('announce.cardOffTable'))
  }

  const bounded = !expanded && !editing

  function moveTo(tableId: string | null) {
    const table = api.tables().find((tb) => tb.id === tableId)
    setTarget(null)
    if (!table || table.id === card.table) return
    moveCardToTable(api.doc, latest(), table, api.cards())
    announceTable(table.id)
    // back on the card: arrow keys go on from here, and the view follows it to its new table
    ref.current?.focus()
  }

  return (
    <div
      ref={ref}
      className={`card kind-${card.kind}${editing ? ' is-editing' : ''}${override ? ' is-dragging' : ''}`}
      // placed by left/top (written by the effect above), not a transform: a transform per card
      // is a paint chunk of its own, and 1,000 of them make every frame of a pan re-layerize
      style={{
        width,
        minHeight: CARD_MIN_H,
        ['--card-clip-max' as string]: bounded ? `${CARD_MAX_H - CARD_CHROME_PX}px` : 'none',
      }}
      data-testid="card"
      data-card-id={card.id}
      data-table-id={card.table ?? ''}
      role="group"
      aria-label={label}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onPointerEnter={() => setActive(true)}
      onPointerLeave={(e) => setActive(e.currentTarget.contains(document.activeElement))}
      onFocus={() => setActive(true)}
      onBlur={(e) => {
        if (e.target === e.currentTarget) keyMove.end()
        setActive(
          e.currentTarget.contains(e.relatedTarget as Node | null) ||
            e.currentTarget.matches(':hover'),
        )
      }}
      onDoubleClick={(e) => {
        if (!api.readOnly && !editing && !(e.target as Element).closest('button, select'))
          api.startEdit(card.id)
      }}
      {...handlers}
    >
      {showHead && (
        <div className="card-head">
          <span className="card-kind">{kindLabel}</span>
          {editors && (
            <span className="card-editors">{t('card.editingBy', { name: editors })}</span>
          )}
          {editing && <span className="card-editing-self">{t('editor.onCard')}</span>}
        </div>
      )}
      {/* only rich text can be long enough to need the bound; a clip elsewhere would be one
              more paint chunk per card for every pan frame to re-layerize */}
      <div ref={clipRef} className={showHead ? 'card-clip' : undefined}>
        <CardDetailContext.Provider value={detail}>
          <CardBody blocks={blocks} />
        </CardDetailContext.Provider>
      </div>
      {!editing && (overflowing || expanded) && (
        <button
          type="button"
          className="card-more"
          aria-expanded={expanded}
          onClick={() => setExpanded((v) => !v)}
        >
          {t(expanded ? 'card.less' : 'card.more')}
        </button>
      )}
      {!api.readOnly && (active || editing) && (
        <div className="card-tools">
          <button
            type="button"
            className="btn btn-small"
            onClick={() => (editing ? api.stopEdit(card.id) : api.startEdit(card.id))}
          >
            {t('card.edit')}
          </button>
          <button type="button" className="btn btn-small" onClick={toggleKind}>
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
          {api.projector && (
            <PresentCardButton
              control={api.projector}
              cardId={card.id}
              title={text ? text.slice(0, TITLE_CHARS) : kindLabel}
              announce={api.announce}
            />
          )}
          <button
            type="button"
            className="btn btn-small btn-danger"
            aria-label={t('card.delete')}
            onClick={askRemove}
          >
            <span aria-hidden="true">×</span>
          </button>
        </div>
      )}
      {api.readOnly && !board.readOnly && (
        // a card this person may not change can still be proposed as a task
        <div className="card-tools">
          <PromoteCardButton doc={api.doc} cardId={card.id} announce={api.announce} />
        </div>
      )}
      {confirmDelete && (
        // mounted only while asked: a thousand cards need no thousand dialogs
        <ConfirmDialog
          open
          title={t('perm.deleteOthersTitle')}
          confirmLabel={t('card.delete')}
          onConfirm={remove}
          onCancel={() => setConfirmDelete(false)}
          testId="card-delete-confirm"
        >
          <p>{t('perm.deleteOthersBody', { card: label })}</p>
        </ConfirmDialog>
      )}
    </div>
  )
})
