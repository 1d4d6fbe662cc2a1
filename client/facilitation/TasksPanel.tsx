/**
 * Candidate tasks (opgaven): everyone who may edit the board adds them; the facilitator renames,
 * merges duplicates (the kept task remembers every origin), unmerges them again, deletes tasks
 * (after a confirmation; not while they are in the open round) and marks the chosen ones.
 * After a merge, unmerge or delete, focus goes to the task that remains, never to <body>.
 */
import { type FormEvent, useEffect, useId, useRef, useState } from 'react'
import type * as Y from 'yjs'
import { PresentScene, setChosen } from '../../shared/control.ts'
import { writePresent } from '../../shared/control-actions.ts'
import {
  type Task,
  addTask,
  deleteTask,
  mergeTasks,
  proposedByParticipant,
  renameTask,
  unmergeTask,
} from '../../shared/tasks.ts'
import { useI18n } from '../i18n/index.ts'
import { ConfirmDialog } from '../widgets/ConfirmDialog.tsx'
import { newTaskId } from '../model/ids.ts'

interface Props {
  board: Y.Doc
  control: Y.Doc
  tasks: Task[]
  /** Duplicates merged into each task, by kept task id. */
  merged: ReadonlyMap<string, Task[]>
  /** Tasks in the round that is open now: they cannot be deleted until it closes. */
  inOpenRound: ReadonlySet<string>
  /** Tasks some closed or revealed round names (their results would lose the title). */
  inEarlierRounds: ReadonlySet<string>
  chosen: ReadonlySet<string>
  author: string
  canEdit: boolean
  facilitator: boolean
  announce(message: string): void
}

const MAX_TASK_TITLE = 300

/** A task with every duplicate merged into it, through other duplicates too. */
function withDuplicates(id: string, merged: ReadonlyMap<string, Task[]>): string[] {
  const out = [id]
  for (let i = 0; i < out.length; i++) for (const d of merged.get(out[i]!) ?? []) out.push(d.id)
  return out
}

export function TasksPanel(p: Props) {
  const { t } = useI18n()
  const headingId = useId()
  const inputId = useId()
  const sectionRef = useRef<HTMLElement>(null)
  const [title, setTitle] = useState('')
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set())
  const [renaming, setRenaming] = useState<{ id: string; title: string } | null>(null)
  const [confirming, setConfirming] = useState<Task | null>(null)
  const [refused, setRefused] = useState<string | null>(null)
  // the task to focus once the doc change has rendered (null: the heading)
  const [focusTask, setFocusTask] = useState<{ id: string | null } | null>(null)
  const selectedTasks = p.tasks.filter((task) => selected.has(task.id))

  useEffect(() => {
    if (!focusTask) return
    const section = sectionRef.current
    if (!section) return
    const target =
      focusTask.id === null
        ? section.querySelector<HTMLElement>('h3')
        : section.querySelector<HTMLElement>(
            `[data-task-id="${CSS.escape(focusTask.id)}"] [data-focus-target]`,
          )
    if (!target) return
    target.focus()
    setFocusTask(null)
  }, [focusTask, p.tasks])

  function add(e: FormEvent) {
    e.preventDefault()
    const clean = title.trim().slice(0, MAX_TASK_TITLE)
    if (!clean) return
    addTask(p.board, {
      id: newTaskId(),
      title: clean,
      origin: [],
      author: p.author,
      created: Date.now(),
    })
    setTitle('')
    p.announce(t('task.added', { title: clean }))
  }

  function merge() {
    const [keep, ...dups] = selectedTasks
    if (!keep || dups.length === 0) return
    mergeTasks(
      p.board,
      keep.id,
      dups.map((d) => d.id),
    )
    setSelected(new Set())
    setFocusTask({ id: keep.id })
    p.announce(t('task.merged', { count: dups.length + 1, title: keep.title }))
  }

  function unmerge(dup: Task) {
    if (!unmergeTask(p.board, dup.id)) return
    setFocusTask({ id: dup.id })
    p.announce(t('task.unmerged', { title: dup.title }))
  }

  function askDelete(task: Task) {
    if (withDuplicates(task.id, p.merged).some((id) => p.inOpenRound.has(id))) {
      setRefused(task.id)
      return
    }
    setRefused(null)
    setConfirming(task)
  }

  function confirmDelete() {
    const task = confirming
    setConfirming(null)
    if (!task) return
    const index = p.tasks.findIndex((x) => x.id === task.id)
    const neighbour = p.tasks[index + 1] ?? p.tasks[index - 1] ?? null
    for (const id of deleteTask(p.board, task.id))
      if (p.chosen.has(id)) setChosen(p.control, id, false)
    setSelected((s) => {
      const next = new Set(s)
      next.delete(task.id)
      return next
    })
    setFocusTask({ id: neighbour?.id ?? null })
    p.announce(t('task.deleted', { title: task.title }))
  }

  function commitRename(e: FormEvent) {
    e.preventDefault()
    if (renaming && renaming.title.trim())
      renameTask(p.board, renaming.id, renaming.title.trim().slice(0, MAX_TASK_TITLE))
    setRenaming(null)
  }

  const toggleSelected = (id: string) =>
    setSelected((s) => {
      const next = new Set(s)
      if (next.has(id)) next.delete(id)
      else next.add(id)
      return next
    })

  const manage = p.facilitator && p.canEdit
  const dupCount = confirming ? withDuplicates(confirming.id, p.merged).length - 1 : 0
  return (
    <section
      ref={sectionRef}
      className="side-section tasks-panel"
      aria-labelledby={headingId}
      data-testid="tasks-panel"
    >
      <h3 id={headingId} tabIndex={-1}>
        {t('task.heading')}{' '}
        <span className="count">{t('task.count', { count: p.tasks.length })}</span>
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
            const dups = p.merged.get(task.id) ?? []
            // shown while it still applies: once the round closes the task can go
            const isRefused =
              refused === task.id &&
              withDuplicates(task.id, p.merged).some((id) => p.inOpenRound.has(id))
            return (
              <li
                key={task.id}
                className={`task-item${isChosen ? ' is-chosen' : ''}`}
                data-testid="task-item"
                data-task-id={task.id}
              >
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
                    {manage ? (
                      <label className="radio task-select">
                        <input
                          type="checkbox"
                          data-focus-target
                          checked={selected.has(task.id)}
                          onChange={() => toggleSelected(task.id)}
                        />
                        <span>{task.title}</span>
                      </label>
                    ) : (
                      <span className="task-title">{task.title}</span>
                    )}
                    {isChosen && <span className="badge">{t('task.chosenBadge')}</span>}
                    {proposedByParticipant(task) && (
                      <span className="badge badge-proposed" data-testid="task-proposed">
                        {t('task.proposedBadge')}
                      </span>
                    )}
                    {task.origin.length > 0 && (
                      <span className="hint">
                        {t('task.fromCards', { count: task.origin.length })}
                      </span>
                    )}
                  </div>
                )}
                {dups.length > 0 && (
                  <div className="task-merged">
                    <p className="hint" id={`${headingId}-merged-${task.id}`}>
                      {t('task.mergedList')}
                    </p>
                    <ul
                      aria-labelledby={`${headingId}-merged-${task.id}`}
                      data-testid="task-merged-list"
                    >
                      {dups.map((d) => (
                        <li key={d.id} data-testid="task-merged-item">
                          <span>{d.title}</span>
                          {manage && (
                            <button
                              type="button"
                              className="btn btn-small"
                              data-testid="task-unmerge"
                              aria-label={t('task.unmergeFor', { title: d.title })}
                              onClick={() => unmerge(d)}
                            >
                              {t('task.unmerge')}
                            </button>
                          )}
                        </li>
                      ))}
                    </ul>
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
                    <button
                      type="button"
                      className="btn btn-small"
                      aria-label={t('scene.showFor', { title: task.title })}
                      onClick={() =>
                        writePresent(p.control, {
                          scene: PresentScene.Spotlight,
                          spotlight: { kind: 'task', id: task.id },
                        })
                      }
                    >
                      {t('scene.show')}
                    </button>
                    {p.canEdit && (
                      <button
                        type="button"
                        className="btn btn-small btn-danger"
                        data-testid="task-delete"
                        aria-label={t('task.deleteFor', { title: task.title })}
                        aria-describedby={isRefused ? `${headingId}-refused` : undefined}
                        onClick={() => askDelete(task)}
                      >
                        {t('task.delete')}
                      </button>
                    )}
                  </div>
                )}
                {isRefused && (
                  <p
                    className="error"
                    role="alert"
                    id={`${headingId}-refused`}
                    data-testid="task-delete-refused"
                  >
                    {t('task.deleteRefused')}
                  </p>
                )}
              </li>
            )
          })}
        </ol>
      )}
      {manage && p.tasks.length > 1 && (
        <button
          type="button"
          className="btn"
          data-testid="task-merge"
          disabled={selectedTasks.length < 2}
          onClick={merge}
        >
          {t('task.merge', { count: selectedTasks.length })}
        </button>
      )}
      <ConfirmDialog
        open={confirming !== null}
        title={t('task.deleteConfirm', { title: confirming?.title ?? '' })}
        confirmLabel={t('task.delete')}
        onConfirm={confirmDelete}
        onCancel={() => setConfirming(null)}
        testId="task-delete-dialog"
      >
        {dupCount > 0 && <p>{t('task.deleteDuplicates', { count: dupCount })}</p>}
        {confirming && p.inEarlierRounds.has(confirming.id) && <p>{t('task.deleteInResults')}</p>}
        {confirming && p.chosen.has(confirming.id) && <p>{t('task.deleteChosen')}</p>}
      </ConfirmDialog>
    </section>
  )
}
