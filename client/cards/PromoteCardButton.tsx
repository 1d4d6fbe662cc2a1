/**
 * "Make task" on a card: the card stays where it is and the new candidate task remembers it
 * (origin). The author comes from the board's identity through a context, as cards do not carry it.
 */
import { useContext } from 'react'
import type * as Y from 'yjs'
import { promoteCard } from '../../shared/tasks.ts'
import { useI18n } from '../i18n/index.ts'
import { newTaskId } from '../model/ids.ts'
import { TaskAuthorContext } from './taskAuthor.ts'

export function PromoteCardButton({
  doc,
  cardId,
  announce,
}: {
  doc: Y.Doc
  cardId: string
  announce(m: string): void
}) {
  const { t } = useI18n()
  const author = useContext(TaskAuthorContext)
  return (
    <button
      type="button"
      className="btn btn-small"
      data-testid="card-promote"
      onClick={() => {
        const task = promoteCard(doc, cardId, { id: newTaskId(), author, created: Date.now() })
        if (task) announce(t('task.promoted', { title: task.title || t('task.untitled') }))
      }}
    >
      {t('task.promote')}
    </button>
  )
}
