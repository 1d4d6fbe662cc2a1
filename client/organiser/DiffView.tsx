/** A comparison of two board versions as plain lists: added, changed and removed cards and tasks. */
import { type ReactNode, useEffect, useId, useRef, useState } from 'react'
import { useI18n } from '../i18n/index.ts'
import type { BoardDiffReply } from './schemas.ts'

const TEXT_CHARS = 120
/** Fields with their own name in the catalogue; any other change reads as "other". */
const NAMED_FIELDS = ['text', 'kind', 'table', 'title'] as const
type NamedField = (typeof NAMED_FIELDS)[number]
const isNamed = (f: string): f is NamedField => (NAMED_FIELDS as readonly string[]).includes(f)

function short(text: string): string {
  const s = text.replace(/\s+/g, ' ').trim()
  return s.length > TEXT_CHARS ? `${s.slice(0, TEXT_CHARS)}…` : s
}

/** Longer lists show this many first; the rest behind a "show N more" button. */
export const DIFF_ITEMS_SHOWN = 20

interface Item {
  key: string
  node: ReactNode
}

function Group({ title, items, testId }: { title: string; items: Item[]; testId: string }) {
  const { t } = useI18n()
  const listId = useId()
  const [expanded, setExpanded] = useState(false)
  const firstHidden = useRef<HTMLLIElement>(null)
  const hidden = expanded ? 0 : Math.max(0, items.length - DIFF_ITEMS_SHOWN)
  const shown = hidden ? items.slice(0, DIFF_ITEMS_SHOWN) : items

  // the button disappears: focus goes to the first item it revealed, so keyboard users read on
  useEffect(() => {
    if (expanded) firstHidden.current?.focus()
  }, [expanded])

  return (
    <div className="diff-group" data-testid={testId}>
      <h5>
        {title} <span className="count">({items.length})</span>
      </h5>
      {items.length ? (
        <ul id={listId}>
          {shown.map((item, i) =>
            i === DIFF_ITEMS_SHOWN && expanded ? (
              <li key={item.key} ref={firstHidden} tabIndex={-1}>
                {item.node}
              </li>
            ) : (
              <li key={item.key}>{item.node}</li>
            ),
          )}
        </ul>
      ) : (
        <p className="hint">{t('snap.diff.none')}</p>
      )}
      {hidden > 0 && (
        <button
          type="button"
          className="btn btn-small"
          data-testid="diff-show-more"
          aria-controls={listId}
          onClick={() => setExpanded(true)}
        >
          {t('snap.diff.showMore', { count: hidden })}
          <span className="visually-hidden">: {title}</span>
        </button>
      )}
    </div>
  )
}

export function DiffView({ diff, headingId }: { diff: BoardDiffReply; headingId: string }) {
  const { t } = useI18n()
  const cardText = (c: { text: string; kind: string }) => short(c.text) || t('card.empty')
  const fieldNames = (fields: string[]) =>
    [...new Set(fields.map((f) => t(`snap.field.${isNamed(f) ? f : 'other'}`)))].join(', ')
  return (
    <div className="diff" data-testid="snap-diff" aria-labelledby={headingId}>
      <h4>{t('snap.diff.cards')}</h4>
      <Group
        testId="diff-cards-added"
        title={t('snap.diff.added')}
        items={diff.cards.added.map((c) => ({ key: c.id, node: cardText(c) }))}
      />
      <Group
        testId="diff-cards-changed"
        title={t('snap.diff.changed')}
        items={diff.cards.changed.map((c) => ({
          key: c.after.id,
          node: (
            <>
              {cardText(c.after)} <span className="hint">({fieldNames(c.fields)})</span>
            </>
          ),
        }))}
      />
      <Group
        testId="diff-cards-removed"
        title={t('snap.diff.removed')}
        items={diff.cards.removed.map((c) => ({ key: c.id, node: cardText(c) }))}
      />
      <h4>{t('snap.diff.tasks')}</h4>
      <Group
        testId="diff-tasks-added"
        title={t('snap.diff.added')}
        items={diff.tasks.added.map((x) => ({ key: x.id, node: short(x.title) }))}
      />
      <Group
        testId="diff-tasks-changed"
        title={t('snap.diff.changed')}
        items={diff.tasks.changed.map((x) => ({
          key: x.after.id,
          node: (
            <>
              {short(x.after.title)} <span className="hint">({fieldNames(x.fields)})</span>
            </>
          ),
        }))}
      />
      <Group
        testId="diff-tasks-removed"
        title={t('snap.diff.removed')}
        items={diff.tasks.removed.map((x) => ({ key: x.id, node: short(x.title) }))}
      />
      {(diff.statementChanged || diff.tablesChanged) && (
        <ul className="diff-notes">
          {diff.statementChanged && <li>{t('snap.diff.statementChanged')}</li>}
          {diff.tablesChanged && <li>{t('snap.diff.tablesChanged')}</li>}
        </ul>
      )}
    </div>
  )
}
