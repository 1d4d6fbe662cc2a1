/**
 * One card in the list view: its text (the same static blocks as on the canvas), kind, and the
 * no-drag actions. Text is edited with the card editor (rich text, shared with everybody), which
 * mounts only for the selected card, as on the canvas.
 */
import { type KeyboardEvent, memo, useEffect, useId, useRef, useState } from 'react'
import type { WebsocketProvider } from 'y-websocket'
import type * as Y from 'yjs'
import { plainText, readBlocks } from '../../shared/richtext.ts'
import { type Card, CardKind, type Table, cardBody } from '../../shared/schema.ts'
import { CardBody } from '../cards/CardBody.tsx'
import { TableOptions } from '../cards/TableOptions.tsx'
import { CardEditorPanel } from '../cards/LazyCardEditor.tsx'
import { PresentCardButton } from '../cards/PresentCardButton.tsx'
import { useI18n } from '../i18n/index.ts'
import { useCardRights } from '../cards/useCardPermission.ts'
import type { PresenceUser } from '../sync/presence.ts'
import { useVersionedMemo } from '../lib/useVersionedMemo.ts'
import { ConfirmDialog } from '../widgets/ConfirmDialog.tsx'

/** As much of the card's text as the canvas names it by. */
const LABEL_CHARS = 80
/** The card's words in the name of "show on the projector" (as on the canvas). */
const TITLE_CHARS = 40
const dialogText = (doc: Y.Doc, id: string) => {
  const f = cardBody(doc, id)
  return f ? plainText(f).replace(/\s+/g, ' ').trim().slice(0, LABEL_CHARS) : ''
}

/** Kinds a participant chooses between; a card of another kind keeps it as an option. */
const CHOOSABLE: CardKind[] = [CardKind.Vision, CardKind.Need]

interface Props {
  card: Card
  doc: Y.Doc
  provider: WebsocketProvider
  user: PresenceUser
  bodyVersion: number
  tables: Table[]
  readOnly: boolean
  /** This person's participant id (or role): whose cards are their own. */
  author: string
  editing: boolean
  /** Names of other people editing this card. */
  editors: string
  onEdit(id: string | null): void
  onKind(card: Card, kind: CardKind): void
  onMove(card: Card, tableId: string): void
  onDelete(card: Card): void
  /** The control doc, for a facilitator's "show on the projector"; null for others. */
  projector: Y.Doc | null
  announce(message: string): void
}

export const ListCard = memo(function ListCard(props: Props) {
  const { t } = useI18n()
  const textId = useId()
  const { card } = props
  // the board policy narrows what this person may do to this card; the server enforces the same
  const rights = useCardRights(props.doc, props.user, props.author, card)
  const p = { ...props, readOnly: props.readOnly || !rights.canChange }
  const blocks = useVersionedMemo(
    () => {
      const f = cardBody(p.doc, card.id)
      return f ? readBlocks(f) : []
    },
    [p.doc, card.id],
    p.bodyVersion,
  )
  const fragment = p.editing ? cardBody(p.doc, card.id) : null
  const kinds = CHOOSABLE.includes(card.kind) ? CHOOSABLE : [...CHOOSABLE, card.kind]
  const editButton = useRef<HTMLButtonElement>(null)
  // the table chosen in the select; nothing moves until the Move button (WCAG 3.2.2 On Input)
  const [target, setTarget] = useState<string | null>(null)
  const [confirmDelete, setConfirmDelete] = useState(false)
  const deleteButton = useRef<HTMLButtonElement>(null)
  // after a Cancel, back to the delete button; only once the modal is gone (until then the page is inert)
  const asked = useRef(false)
  useEffect(() => {
    if (asked.current && !confirmDelete) deleteButton.current?.focus()
    asked.current = confirmDelete
  }, [confirmDelete])

  /** Someone else's card is deleted only after a yes, as on the canvas (the facilitator can restore it). */
  function askDelete() {
    if (rights.othersCard) setConfirmDelete(true)
    else p.onDelete(card)
  }

  function onEditorKey(e: KeyboardEvent<HTMLDivElement>) {
    if (e.key === 'Escape') {
      e.preventDefault()
      p.onEdit(null)
      // the editor is about to go; the edit button stays, so focus returns to where editing began
      editButton.current?.focus()
    }
  }

  function move() {
    if (target && target !== card.table) p.onMove(card, target)
    setTarget(null)
  }

  return (
    <li
      className={`list-card kind-${card.kind}`}
      data-testid="list-card"
      data-card-id={card.id}
      tabIndex={-1}
      aria-labelledby={textId}
    >
      <div className="card-head">
        <span className="card-kind">{t(`kind.${card.kind}`)}</span>
        {p.editors && (
          <span className="card-editors">{t('card.editingBy', { name: p.editors })}</span>
        )}
      </div>
      <div id={textId}>
        <span className="visually-hidden">{t(`kind.${card.kind}`)}: </span>
        {fragment ? (
          <CardEditorPanel
            fragment={fragment}
            provider={p.provider}
            user={p.user}
            blocks={blocks}
            onKeyDown={onEditorKey}
          />
        ) : blocks.length ? (
          <CardBody blocks={blocks} />
        ) : (
          <p className="card-body hint">{t('card.empty')}</p>
        )}
      </div>
      {!p.readOnly && (
        <div className="list-card-actions" role="group" aria-label={t('list.cardActions')}>
          <button
            ref={editButton}
            type="button"
            className="btn btn-small"
            data-testid="list-edit"
            aria-expanded={p.editing}
            onClick={() => p.onEdit(p.editing ? null : card.id)}
          >
            {p.editing ? t('list.doneEditing') : t('list.editText')}
          </button>
          <label className="inline-label">
            <span>{t('list.kind')}</span>
            <select
              data-testid="list-kind"
              value={card.kind}
              onChange={(e) => p.onKind(card, e.target.value as CardKind)}
            >
              {kinds.map((k) => (
                <option key={k} value={k}>
                  {t(`kind.${k}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="inline-label">
            <span>{t('list.moveTo')}</span>
            <select
              data-testid="list-move-select"
              value={target ?? card.table ?? ''}
              onChange={(e) => setTarget(e.target.value)}
            >
              <TableOptions tables={p.tables} current={card.table} />
            </select>
          </label>
          <button
            type="button"
            className="btn btn-small"
            data-testid="list-move"
            disabled={!target || target === card.table}
            onClick={move}
          >
            {t('card.move')}
          </button>
          {p.projector && (
            <PresentCardButton
              control={p.projector}
              cardId={card.id}
              title={dialogText(p.doc, card.id).slice(0, TITLE_CHARS) || t(`kind.${card.kind}`)}
              announce={p.announce}
            />
          )}
          <button
            ref={deleteButton}
            type="button"
            className="btn btn-small btn-danger"
            data-testid="list-delete"
            onClick={askDelete}
          >
            {t('list.delete')}
          </button>
        </div>
      )}
      {confirmDelete && (
        <ConfirmDialog
          open
          title={t('perm.deleteOthersTitle')}
          confirmLabel={t('card.delete')}
          onConfirm={() => {
            setConfirmDelete(false)
            p.onDelete(card)
          }}
          onCancel={() => setConfirmDelete(false)}
          testId="card-delete-confirm"
        >
          <p>
            {t('perm.deleteOthersBody', {
              card: t('card.label', {
                kind: t(`kind.${card.kind}`),
                text: dialogText(p.doc, card.id) || t('card.empty'),
              }),
            })}
          </p>
        </ConfirmDialog>
      )}
    </li>
  )
})
