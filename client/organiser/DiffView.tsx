/** A comparison of two board versions as plain lists: added, changed and removed cards and tasks. */
import type { ReactNode } from 'react'
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

function Group({ title, items, testId }: { title: string; items: ReactNode[]; testId: string }) {
  const { t } = useI18n()
  return (
    <div className="diff-group" data-testid={testId}>
      <h5>
        {title} <span className="count">({items.length})</span>
      </h5>
      {items.length ? <ul>{items}</ul> : <p className="hint">{t('snap.diff.none')}</p>}
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
        items={diff.cards.added.map((c) => <li key={c.id}>{cardText(c)}</li>)}
      />
      <Group
        testId="diff-cards-changed"
        title={t('snap.diff.changed')}
        items={diff.cards.changed.map((c) => (
          <li key={c.after.id}>
            {cardText(c.after)} <span className="hint">({fieldNames(c.fields)})</span>
          </li>
        ))}
      />
      <Group
        testId="diff-cards-removed"
        title={t('snap.diff.removed')}
        items={diff.cards.removed.map((c) => <li key={c.id}>{cardText(c)}</li>)}
      />
      <h4>{t('snap.diff.tasks')}</h4>
      <Group
        testId="diff-tasks-added"
        title={t('snap.diff.added')}
        items={diff.tasks.added.map((x) => <li key={x.id}>{short(x.title)}</li>)}
      />
      <Group
        testId="diff-tasks-changed"
        title={t('snap.diff.changed')}
        items={diff.tasks.changed.map((x) => (
          <li key={x.after.id}>
            {short(x.after.title)} <span className="hint">({fieldNames(x.fields)})</span>
          </li>
        ))}
      />
      <Group
        testId="diff-tasks-removed"
        title={t('snap.diff.removed')}
        items={diff.tasks.removed.map((x) => <li key={x.id}>{short(x.title)}</li>)}
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
