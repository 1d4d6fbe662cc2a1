/**
 * Candidate tasks (opgaven) and principles on the board doc. A task keeps the ids of the cards it
 * came from; merging marks duplicates with the task they were merged into, so nothing is lost.
 */
import * as Y from 'yjs'
import { z } from 'zod/mini'
import { BOARD_ROOT, boardRoot, cardBody } from './schema.ts'
import { reportDropped } from './read-issues.ts'
import { plainText } from './richtext.ts'
import { Role } from './protocol.ts'

export const TaskSchema = z.object({
  id: z.string().check(z.minLength(1)),
  title: z.string().check(z.maxLength(300)),
  /** Card ids this task was promoted or merged from. */
  origin: z.array(z.string()),
  author: z.string(),
  created: z.number(),
  mergedInto: z.nullable(z.string()),
})
export type Task = z.infer<typeof TaskSchema>

export const PrincipleSchema = z.object({
  id: z.string().check(z.minLength(1)),
  text: z.string().check(z.maxLength(300)),
  order: z.number(),
})
export type Principle = z.infer<typeof PrincipleSchema>

function toMap(
  doc: Y.Doc,
  target: Y.Map<Y.Map<unknown>>,
  id: string,
  value: Record<string, unknown>,
): void {
  doc.transact(() => {
    const existing = target.get(id)
    const map = existing instanceof Y.Map ? existing : new Y.Map<unknown>()
    for (const [k, v] of Object.entries(value)) map.set(k, v)
    if (!(existing instanceof Y.Map)) target.set(id, map)
  })
}

function readAll<T>(root: string, target: Y.Map<Y.Map<unknown>>, schema: z.ZodMiniType<T>): T[] {
  const out: T[] = []
  let dropped = 0
  for (const m of target.values()) {
    const r = m instanceof Y.Map ? schema.safeParse(Object.fromEntries(m.entries())) : null
    if (r?.success) out.push(r.data)
    else dropped++
  }
  reportDropped(root, dropped)
  return out
}

/**
 * Whether a participant proposed the task: the server stamps a participant's own id as author, and
 * the role for facilitators (see authorFor in permissions.ts).
 */
export const proposedByParticipant = (task: Task): boolean =>
  !(Object.values(Role) as string[]).includes(task.author)

/** All tasks including merged duplicates, oldest first. */
export const allTasks = (doc: Y.Doc): Task[] =>
  readAll(BOARD_ROOT.tasks, boardRoot(doc).tasks, TaskSchema).sort(
    (a, b) => a.created - b.created || (a.id < b.id ? -1 : 1),
  )

/** The tasks the room still chooses among. */
export const listTasks = (doc: Y.Doc): Task[] => allTasks(doc).filter((t) => t.mergedInto === null)

export const readTask = (doc: Y.Doc, id: string): Task | null =>
  allTasks(doc).find((t) => t.id === id) ?? null

export function addTask(
  doc: Y.Doc,
  task: Omit<Task, 'mergedInto'> & { mergedInto?: string | null },
): void {
  const valid = TaskSchema.parse({ mergedInto: null, ...task })
  toMap(doc, boardRoot(doc).tasks, valid.id, valid)
}

export function renameTask(doc: Y.Doc, id: string, title: string): void {
  const m = boardRoot(doc).tasks.get(id)
  if (m instanceof Y.Map) m.set('title', z.string().check(z.maxLength(300)).parse(title))
}

/** A card becomes a candidate task; the card stays where it is and the task remembers it. */
export function promoteCard(
  doc: Y.Doc,
  cardId: string,
  task: { id: string; author: string; created: number },
): Task | null {
  const body = cardBody(doc, cardId)
  if (!body) return null
  const title = plainText(body).split('\n')[0]!.slice(0, 300)
  const t: Task = { ...task, title, origin: [cardId], mergedInto: null }
  addTask(doc, t)
  return t
}

/** Merges duplicates into `keepId`: origins are united, duplicates point to the kept task. */
export function mergeTasks(doc: Y.Doc, keepId: string, duplicateIds: string[]): void {
  const keep = readTask(doc, keepId)
  if (!keep) return
  doc.transact(() => {
    const origin = new Set(keep.origin)
    for (const id of duplicateIds) {
      const dup = readTask(doc, id)
      if (!dup || id === keepId) continue
      for (const o of dup.origin) origin.add(o)
      boardRoot(doc).tasks.get(id)?.set('mergedInto', keepId)
    }
    boardRoot(doc)
      .tasks.get(keepId)
      ?.set('origin', [...origin])
  })
}

export const listPrinciples = (doc: Y.Doc): Principle[] =>
  readAll(BOARD_ROOT.principles, boardRoot(doc).principles, PrincipleSchema).sort(
    (a, b) => a.order - b.order,
  )

export function writePrinciple(doc: Y.Doc, p: Principle): void {
  const valid = PrincipleSchema.parse(p)
  toMap(doc, boardRoot(doc).principles, valid.id, valid)
}

export const deletePrinciple = (doc: Y.Doc, id: string) => boardRoot(doc).principles.delete(id)

/** The duplicates merged straight into `keepId`, oldest first. */
export const mergedDuplicates = (doc: Y.Doc, keepId: string): Task[] =>
  allTasks(doc).filter((t) => t.mergedInto === keepId)

/**
 * Deletes a task together with every duplicate merged into it, directly or through another
 * duplicate (they stand for the same thing). Returns the ids deleted, so the caller can drop
 * their other traces (a chosen mark).
 */
export function deleteTask(doc: Y.Doc, id: string): string[] {
  const all = allTasks(doc)
  if (!all.some((t) => t.id === id)) return []
  const gone = new Set([id])
  for (let grew = true; grew;) {
    grew = false
    for (const t of all) {
      if (t.mergedInto !== null && gone.has(t.mergedInto) && !gone.has(t.id)) {
        gone.add(t.id)
        grew = true
      }
    }
  }
  doc.transact(() => {
    for (const g of gone) boardRoot(doc).tasks.delete(g)
  })
  return [...gone]
}

/**
 * Undoes one merge: the duplicate is a task of its own again, and the kept task gives back the
 * card origins that only this duplicate brought. A card both tasks had before the merge cannot be
 * told apart from one the duplicate brought, so it goes back to the duplicate (it stays known).
 */
export function unmergeTask(doc: Y.Doc, duplicateId: string): boolean {
  const dup = readTask(doc, duplicateId)
  if (!dup || dup.mergedInto === null) return false
  const keep = readTask(doc, dup.mergedInto)
  doc.transact(() => {
    if (keep) {
      const stillMerged = mergedDuplicates(doc, keep.id).filter((t) => t.id !== dup.id)
      const broughtByOthers = new Set(stillMerged.flatMap((t) => t.origin))
      const giveBack = new Set(dup.origin.filter((o) => !broughtByOthers.has(o)))
      boardRoot(doc)
        .tasks.get(keep.id)
        ?.set(
          'origin',
          keep.origin.filter((o) => !giveBack.has(o)),
        )
    }
    boardRoot(doc).tasks.get(dup.id)?.set('mergedInto', null)
  })
  return true
}
