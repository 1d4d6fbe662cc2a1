/** Candidate tasks and principles from the board doc, re-read when either changes. */
import { useEffect, useState } from 'react'
import type * as Y from 'yjs'
import { boardRoot } from '../../shared/schema.ts'
import { type Principle, type Task, allTasks, listPrinciples } from '../../shared/tasks.ts'
import { useVersionedMemo } from '../lib/useVersionedMemo.ts'

export interface TasksSnapshot {
  /** Tasks still in play (merged duplicates left out). */
  tasks: Task[]
  principles: Principle[]
  /** Duplicates merged straight into each task, by the kept task's id (for unmerging). */
  merged: ReadonlyMap<string, Task[]>
  /** Title of every task, merged ones too: a round may name a task merged after it opened. */
  titles: ReadonlyMap<string, string>
}

function read(doc: Y.Doc): TasksSnapshot {
  const all = allTasks(doc)
  const merged = new Map<string, Task[]>()
  for (const t of all)
    if (t.mergedInto !== null) merged.set(t.mergedInto, [...(merged.get(t.mergedInto) ?? []), t])
  return {
    merged,
    tasks: all.filter((t) => t.mergedInto === null),
    principles: listPrinciples(doc),
    titles: new Map(all.map((t) => [t.id, t.title])),
  }
}

export function useTasks(doc: Y.Doc): TasksSnapshot {
  const [version, setVersion] = useState(0)
  useEffect(() => {
    const root = boardRoot(doc)
    const bump = () => setVersion((v) => v + 1)
    root.tasks.observeDeep(bump)
    root.principles.observeDeep(bump)
    // re-read once subscribed: a sync that landed between the render and this effect (the board's
    // first sync while the route mounts) fires no event we could still hear
    bump()
    return () => {
      root.tasks.unobserveDeep(bump)
      root.principles.unobserveDeep(bump)
    }
  }, [doc])
  return useVersionedMemo(() => read(doc), [doc], version)
}
