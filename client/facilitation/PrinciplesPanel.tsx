/** Principles (uitgangspunten): a short ordered list everyone who may edit can add to, edit and remove. */
import { type FormEvent, useId, useState } from 'react'
import type * as Y from 'yjs'
import { type Principle, deletePrinciple, writePrinciple } from '../../shared/tasks.ts'
import { useI18n } from '../i18n/index.ts'
import { newPrincipleId } from '../model/ids.ts'
import { useSharedTextOpen } from '../cards/useCardPermission.ts'

const MAX_PRINCIPLE = 300

interface Props {
  board: Y.Doc
  principles: Principle[]
  /** Board writes allowed right now (not a viewer, not locked). */
  canEdit: boolean
  facilitator: boolean
}

export function PrinciplesPanel({ board, principles, canEdit: boardWritable, facilitator }: Props) {
  const { t } = useI18n()
  // participants change principles only while the facilitator has opened them (the server refuses otherwise)
  const open = useSharedTextOpen(board, facilitator)
  const canEdit = boardWritable && open
  const headingId = useId()
  const inputId = useId()
  const [text, setText] = useState('')
  const [editing, setEditing] = useState<{ id: string; text: string } | null>(null)

  function add(e: FormEvent) {
    e.preventDefault()
    const clean = text.trim().slice(0, MAX_PRINCIPLE)
    if (!clean) return
    const order = (principles.at(-1)?.order ?? 0) + 1
    writePrinciple(board, { id: newPrincipleId(), text: clean, order })
    setText('')
  }

  function save(e: FormEvent, p: Principle) {
    e.preventDefault()
    const clean = editing?.text.trim().slice(0, MAX_PRINCIPLE)
    if (clean) writePrinciple(board, { ...p, text: clean })
    setEditing(null)
  }

  return (
    <section className="side-section" aria-labelledby={headingId} data-testid="principles-panel">
      <h3 id={headingId}>{t('task.principlesHeading')}</h3>
      {principles.length === 0 && <p className="hint">{t('task.principlesEmpty')}</p>}
      {boardWritable && !open && (
        <p className="hint" data-testid="principles-closed">
          {t('perm.sharedTextClosed')}
        </p>
      )}
      <ol className="principle-list">
        {principles.map((p) => (
          <li key={p.id} data-testid="principle-item">
            {editing?.id === p.id ? (
              <form className="inline-form" onSubmit={(e) => save(e, p)}>
                <input
                  aria-label={t('task.principleEditLabel')}
                  value={editing.text}
                  maxLength={MAX_PRINCIPLE}
                  autoFocus
                  onChange={(e) => setEditing({ id: p.id, text: e.target.value })}
                  onKeyDown={(e) => e.key === 'Escape' && setEditing(null)}
                />
                <button type="submit" className="btn btn-small">
                  {t('task.renameSave')}
                </button>
              </form>
            ) : (
              <span className="principle-line">
                <span>{p.text}</span>
                {canEdit && (
                  <span className="task-actions">
                    <button
                      type="button"
                      className="btn btn-small"
                      aria-label={t('task.principleEditFor', { text: p.text })}
                      onClick={() => setEditing({ id: p.id, text: p.text })}
                    >
                      {t('task.principleEdit')}
                    </button>
                    <button
                      type="button"
                      className="btn btn-small btn-danger"
                      aria-label={t('task.principleRemoveFor', { text: p.text })}
                      onClick={() => deletePrinciple(board, p.id)}
                    >
                      {t('task.principleRemove')}
                    </button>
                  </span>
                )}
              </span>
            )}
          </li>
        ))}
      </ol>
      {canEdit && (
        <form className="inline-form" onSubmit={add}>
          <label htmlFor={inputId} className="visually-hidden">
            {t('task.principleLabel')}
          </label>
          <input
            id={inputId}
            data-testid="principle-input"
            value={text}
            maxLength={MAX_PRINCIPLE}
            placeholder={t('task.principlePlaceholder')}
            onChange={(e) => setText(e.target.value)}
          />
          <button type="submit" className="btn" data-testid="principle-add" disabled={!text.trim()}>
            {t('task.principleAdd')}
          </button>
        </form>
      )}
    </section>
  )
}
