import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  type Task,
  addTask,
  allTasks,
  deleteTask,
  listTasks,
  mergeTasks,
  mergedDuplicates,
  readTask,
  unmergeTask,
} from '../../shared/tasks.ts'
import { readShownRound, writeShownRound } from '../../shared/control.ts'

let created = 0
function makeTask(doc: Y.Doc, overrides: Partial<Task> & { id: string }): Task {
  const task: Task = {
    title: overrides.id,
    origin: [],
    author: 'f',
    created: created++,
    mergedInto: null,
    ...overrides,
  }
  addTask(doc, task)
  return task
}

describe('deleting and unmerging tasks', () => {
  it('deletes a task with the duplicates merged into it, also through another duplicate', () => {
    const doc = new Y.Doc()
    makeTask(doc, { id: 'keep' })
    makeTask(doc, { id: 'dup' })
    makeTask(doc, { id: 'dup-of-dup' })
    makeTask(doc, { id: 'other' })
    mergeTasks(doc, 'dup', ['dup-of-dup'])
    mergeTasks(doc, 'keep', ['dup'])
    expect(deleteTask(doc, 'keep').sort()).toEqual(['dup', 'dup-of-dup', 'keep'])
    expect(allTasks(doc).map((t) => t.id)).toEqual(['other'])
    expect(deleteTask(doc, 'keep')).toEqual([])
  })

  it('unmerges a duplicate: a task again, and the kept task gives back only the cards it brought', () => {
    const doc = new Y.Doc()
    makeTask(doc, { id: 'keep', origin: ['c1'] })
    makeTask(doc, { id: 'a', origin: ['c2', 'c3'] })
    makeTask(doc, { id: 'b', origin: ['c3', 'c4'] })
    mergeTasks(doc, 'keep', ['a', 'b'])
    expect(readTask(doc, 'keep')?.origin.sort()).toEqual(['c1', 'c2', 'c3', 'c4'])
    expect(mergedDuplicates(doc, 'keep').map((t) => t.id)).toEqual(['a', 'b'])

    expect(unmergeTask(doc, 'a')).toBe(true)
    // c3 came with b as well, which is still merged in
    expect(readTask(doc, 'keep')?.origin.sort()).toEqual(['c1', 'c3', 'c4'])
    expect(readTask(doc, 'a')).toMatchObject({ mergedInto: null, origin: ['c2', 'c3'] })
    expect(listTasks(doc).map((t) => t.id)).toEqual(['keep', 'a'])

    expect(unmergeTask(doc, 'b')).toBe(true)
    expect(readTask(doc, 'keep')?.origin).toEqual(['c1'])
    expect(unmergeTask(doc, 'b')).toBe(false)
    expect(unmergeTask(doc, 'missing')).toBe(false)
  })
})

describe('the round shown on the projector', () => {
  it('is null until the facilitator picks one, and reads back what was written', () => {
    const doc = new Y.Doc()
    expect(readShownRound(doc)).toBeNull()
    writeShownRound(doc, 'r1')
    expect(readShownRound(doc)).toBe('r1')
    writeShownRound(doc, null)
    expect(readShownRound(doc)).toBeNull()
  })
})
