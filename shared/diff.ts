/** What changed between two versions of a board: cards and tasks added, changed, removed. */
import type * as Y from 'yjs'
import { type Card, boardRoot, cardBody, listCards, listTables } from './schema.ts'
import { plainText } from './richtext.ts'
import { allTasks, type Task } from './tasks.ts'

export interface CardVersion extends Card {
  text: string
}

export interface BoardDiff {
  cards: {
    added: CardVersion[]
    removed: CardVersion[]
    changed: { before: CardVersion; after: CardVersion; fields: string[] }[]
  }
  tasks: {
    added: Task[]
    removed: Task[]
    changed: { before: Task; after: Task; fields: string[] }[]
  }
  statementChanged: boolean
  tablesChanged: boolean
}

const cardVersions = (doc: Y.Doc): Map<string, CardVersion> =>
  new Map(listCards(doc).map((c) => [c.id, { ...c, text: plainText(cardBody(doc, c.id)!) }]))

function changedFields<T extends object>(a: T, b: T): string[] {
  return (Object.keys(a) as (keyof T)[])
    .filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]))
    .map(String)
}

function compare<T extends { id: string }>(before: Map<string, T>, after: Map<string, T>) {
  const added = [...after.values()].filter((x) => !before.has(x.id))
  const removed = [...before.values()].filter((x) => !after.has(x.id))
  const changed = [...after.values()].flatMap((x) => {
    const old = before.get(x.id)
    const fields = old ? changedFields(old, x) : []
    return old && fields.length ? [{ before: old, after: x, fields }] : []
  })
  return { added, removed, changed }
}

export function diffBoards(before: Y.Doc, after: Y.Doc): BoardDiff {
  const tasksOf = (d: Y.Doc) => new Map(allTasks(d).map((t) => [t.id, t]))
  return {
    cards: compare(cardVersions(before), cardVersions(after)),
    tasks: compare(tasksOf(before), tasksOf(after)),
    statementChanged:
      boardRoot(before).statement.toString() !== boardRoot(after).statement.toString(),
    tablesChanged: JSON.stringify(listTables(before)) !== JSON.stringify(listTables(after)),
  }
}
