/**
 * Candidate tasks (opgaven): everyone who may edit the board adds them; the facilitator renames,
 * merges duplicates (the kept task remembers every origin) and marks the chosen ones.
 */
import { type FormEvent, useId, useState } from 'react'
import type * as Y from 'yjs'
import { setChosen } from '../../shared/control.ts'
import { type Task, addTask, mergeTasks, renameTask } from '../../shared/tasks.ts'
import { useI18n } from '../i18n/index.ts'
import { newTaskId } from './ids.ts'

interface Props {
  board: Y.Doc
  control: Y.Doc
  tasks: Task[]
  chosen: ReadonlySet<string>
  author: string
  canEdit: boolean
  facilitator: boolean
  announce(message: string): void
}

const MAX_TASK_TITLE = 300

export function TasksPanel(p: Props) {
  const { t } = useI18n()
  const headingId = useId()
  const inputId = useId()
  const [title, setTitle] = useState('')
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set())
  const [renaming, setRenaming] = useState<{ id: string; title: string } | null>(null)
  const selectedTasks = p.tasks.filter((task) => selected.has(task.id))

  function add(e: FormEvent) {
    e.preventDefault()
    const clean = title.trim().slice(0, MAX_TASK_TITLE)
    if (!clean) return
    addTask(p.board, { id: newTaskId(), title: clean, origin: [], author: p.author, created: Date.now() })
    setTitle('')
    p.announce(t('task.added', { title: clean }))
  }

  function merge() {
    const [keep, ...dups] = selectedTasks
    if (!keep || dups.length === 0) return
    mergeTasks(p.board, keep.id, dups.map((d) => d.id))
    setSelected(new Set())
    p.announce(t('task.merged', { count: dups.length + 1, title: keep.title }))
  }

  function commitRename(e: FormEvent) {
    e.preventDefault()
    if (renaming && renaming.title.trim()) renameTask(p.board, renaming.id, renaming.title.trim().slice(0, MAX_TASK_TITLE))
    setRenaming(null)
  }

  const toggleSelected = (id: string) =>
    setSelected((s) => {
      const next = new Set(s)
      if (next.has(id)) next.delete(id)
      else next.add(id)
      return next
    })

  return (
    <section className="side-section tasks-panel" aria-labelledby={headingId} data-testid="tasks-panel">
      <h3 id={headingId}>
        {t('task.heading')} <span className="count">{t('task.count', { count: p.tasks.length })}</span>
      </h3>
      {p.canEdit && (
        <form className="inline-form" onSubmit={add}>
          <label htmlFor={inputId} className="visually-hidden">
            {t('task.titleLabel')}
          </label>
          <input
            id={inputId}
            data-testid="task-title-input"
            value={title}
            maxLength={MAX_TASK_TITLE}
            placeholder={t('task.titlePlaceholder')}
            onChange={(e) => setTitle(e.target.value)}
          />
          <button type="submit" className="btn" data-testid="task-add" disabled={!title.trim()}>
            {t('task.add')}
          </button>
        </form>
      )}
      {p.tasks.length === 0 ? (
        <p className="hint">{t('task.empty')}</p>
      ) : (
        <ol className="task-list">
          {p.tasks.map((task, index) => {
            const isChosen = p.chosen.has(task.id)
            return (
              <li key={task.id} className={`task-item${isChosen ? ' is-chosen' : ''}`} data-testid="task-item" data-task-id={task.id}>
                {renaming?.id === task.id ? (
                  <form className="inline-form" onSubmit={commitRename}>
                    <input
                      aria-label={t('task.renameLabel')}
                      value={renaming.title}
                      maxLength={MAX_TASK_TITLE}
                      autoFocus
                      onChange={(e) => setRenaming({ id: task.id, title: e.target.value })}
                      onKeyDown={(e) => e.key === 'Escape' && setRenaming(null)}
                    />
                    <button type="submit" className="btn btn-small">
                      {t('task.renameSave')}
                    </button>
                  </form>
                ) : (
                  <div className="task-line">
                    {p.facilitator && p.canEdit ? (
                      <label className="radio task-select">
                        <input type="checkbox" checked={selected.has(task.id)} onChange={() => toggleSelected(task.id)} />
                        <span>{task.title}</span>
                      </label>
                    ) : (
                      <span className="task-title">{task.title}</span>
                    )}
                    {isChosen && <span className="badge">{t('task.chosenBadge')}</span>}
                    {task.origin.length > 0 && <span className="hint">{t('task.fromCards', { count: task.origin.length })}</span>}
                  </div>
                )}
                {p.facilitator && renaming?.id !== task.id && (
                  <div className="task-actions">
                    {p.canEdit && (
                      <button
                        type="button"
                        className="btn btn-small"
                        aria-label={t('task.renameFor', { title: task.title })}
                        onClick={() => setRenaming({ id: task.id, title: task.title })}
                      >
                        {t('task.rename')}
                      </button>
                    )}
                    <button
                      type="button"
                      className="btn btn-small"
                      data-testid={`task-choose-${index}`}
                      aria-pressed={isChosen}
                      aria-label={t('task.chooseFor', { title: task.title })}
                      onClick={() => setChosen(p.control, task.id, !isChosen)}
                    >
                      {t('task.choose')}
                    </button>
                  </div>
                )}
              </li>
            )
          })}
        </ol>
      )}
      {p.facilitator && p.canEdit && p.tasks.length > 1 && (
        <button type="button" className="btn" data-testid="task-merge" disabled={selectedTasks.length < 2} onClick={merge}>
          {t('task.merge', { count: selectedTasks.length })}
        </button>
      )}
    </section>
  )
}
