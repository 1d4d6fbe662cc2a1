/**
 * [issue 14.5] Each person's undo: every action on the board in the order done, never anything but
 * that person's last action, and each step says what it will undo.
 */
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  CardKind,
  addCard,
  boardRoot,
  cardBody,
  listCards,
  type Table,
} from '../../shared/schema.ts'
import {
  addTask,
  deletePrinciple,
  listPrinciples,
  listTasks,
  mergeTasks,
  writePrinciple,
} from '../../shared/tasks.ts'
import {
  addLocalCard,
  beginKeyboardMove,
  cancelKeyboardMove,
  createUndoManager,
  deleteLocalCard,
  moveCardToTable,
  setLocalCardKind,
  stepCard,
} from '../../client/model/actions.ts'
import { sharedUndo } from '../../client/model/sharedUndo.ts'
import { type BoardUndo, UndoKind, undoKindOf } from '../../client/model/undoManager.ts'
import { makeCard } from '../fixtures/builders.ts'

const TABLE: Table = {
  id: 't-inwoner',
  name: 'Inwoner',
  perspective: 'inwoner',
  color: '#1d5fa8',
  pattern: 'dots',
  order: 0,
  x: 0,
  y: 0,
  w: 900,
  h: 700,
}
const OTHER_TABLE: Table = { ...TABLE, id: 't-bestuur', name: 'Bestuur', x: 1000, order: 1 }
/** Stands for y-tiptap's sync origin: the editor's text edits. */
const EDITOR_ORIGIN = { editor: true }

const open: { doc: Y.Doc; undo: BoardUndo }[] = []
afterEach(() => {
  for (const o of open.splice(0)) {
    o.undo.dispose()
    o.doc.destroy()
  }
})

function board() {
  const doc = new Y.Doc()
  doc.clientID = 101
  const undo = createUndoManager(doc)
  // as the card editor does with its sync plugin's origin (CardEditor.tsx)
  undo.manager.addTrackedOrigin(EDITOR_ORIGIN)
  open.push({ doc, undo })
  const um = undo.manager
  return {
    doc,
    um,
    next: () => undoKindOf(um.undoStack.at(-1)),
    nextRedo: () => undoKindOf(um.redoStack.at(-1)),
  }
}

const typeInto = (doc: Y.Doc, cardId: string, text: string) =>
  doc.transact(() => {
    const p = new Y.XmlElement('paragraph')
    p.insert(0, [new Y.XmlText(text)])
    cardBody(doc, cardId)!.insert(0, [p])
  }, EDITOR_ORIGIN)

describe('undo covers every action on the board, in the order done', () => {
  it('[U1] undo after deleting a principle restores the principle and nothing else', () => {
    const { doc, um, next } = board()
    // earlier in the meeting: a card with text (a card written 20 minutes before)
    const cardId = addLocalCard(doc, {
      kind: CardKind.Vision,
      table: TABLE,
      author: 'p1',
      cards: [],
    })
    typeInto(doc, cardId, 'Eén loket voor inwoners')
    // a principle someone else wrote arrives from the network
    const peer = new Y.Doc()
    peer.clientID = 202
    writePrinciple(peer, { id: 'pr-1', text: 'Inwoner centraal', order: 1 })
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer), 'provider')
    peer.destroy()
    deletePrinciple(doc, 'pr-1')
    expect(next()).toBe(UndoKind.PrincipleDelete)

    expect(um.undo()).not.toBeNull()
    expect(listPrinciples(doc).map((p) => p.text)).toEqual(['Inwoner centraal'])
    expect(listCards(doc).map((c) => c.id)).toEqual([cardId])
    expect(cardBody(doc, cardId)!.toString()).toContain('Eén loket voor inwoners')
    // what comes next is this person's own earlier action, never someone else's
    expect(next()).toBe(UndoKind.CardText)
  })

  it('[U2] cards, tasks and principles undo one step at a time, newest first, each named', () => {
    const { doc, um, next, nextRedo } = board()
    const cardId = addLocalCard(doc, {
      kind: CardKind.Vision,
      table: TABLE,
      author: 'p1',
      cards: [],
    })
    setLocalCardKind(doc, cardId, CardKind.Need)
    moveCardToTable(doc, listCards(doc)[0]!, OTHER_TABLE, listCards(doc))
    addTask(doc, { id: 'task-1', title: 'Wijkloket', origin: [cardId], author: 'p1', created: 1 })
    writePrinciple(doc, { id: 'pr-1', text: 'Samen', order: 1 })
    writePrinciple(doc, { id: 'pr-1', text: 'Samen doen', order: 1 })
    deleteLocalCard(doc, cardId)

    const seen: (UndoKind | null)[] = []
    while (um.canUndo()) {
      seen.push(next())
      um.undo()
    }
    expect(seen).toEqual([
      UndoKind.CardDelete,
      UndoKind.PrincipleEdit,
      UndoKind.PrincipleAdd,
      UndoKind.TaskAdd,
      UndoKind.CardMove,
      UndoKind.CardKind,
      UndoKind.CardAdd,
    ])
    expect(listCards(doc)).toEqual([])
    expect(listTasks(doc)).toEqual([])
    expect(listPrinciples(doc)).toEqual([])
    // a step keeps its name on the redo stack
    expect(nextRedo()).toBe(UndoKind.CardAdd)
    um.redo()
    expect(listCards(doc)).toHaveLength(1)
    expect(next()).toBe(UndoKind.CardAdd)
  })

  it('[U3] a panel write right after a board action is a step of its own', () => {
    const { doc, um, next } = board()
    const cardId = addLocalCard(doc, {
      kind: CardKind.Vision,
      table: TABLE,
      author: 'p1',
      cards: [],
    })
    // well inside the capture window: still two steps
    writePrinciple(doc, { id: 'pr-1', text: 'Samen', order: 1 })
    addTask(doc, { id: 'task-1', title: 'Wijkloket', origin: [cardId], author: 'p1', created: 1 })
    expect(um.undoStack).toHaveLength(3)
    um.undo()
    expect(listTasks(doc)).toEqual([])
    expect(listPrinciples(doc)).toHaveLength(1)
    expect(next()).toBe(UndoKind.PrincipleAdd)
  })

  it('[U4] merging tasks undoes as one named step', () => {
    const { doc, um, next } = board()
    addTask(doc, { id: 'a', title: 'Kader', origin: ['c1'], author: 'p1', created: 1 })
    addTask(doc, { id: 'b', title: 'Normen', origin: ['c2'], author: 'p1', created: 2 })
    mergeTasks(doc, 'a', ['b'])
    expect(next()).toBe(UndoKind.TaskMerge)
    um.undo()
    expect(listTasks(doc).map((t) => t.id)).toEqual(['a', 'b'])
  })

  it("[U5] other people's edits are never undone, and their cards never vanish", () => {
    const { doc, um } = board()
    const mine = addLocalCard(doc, { kind: CardKind.Vision, table: TABLE, author: 'p1', cards: [] })
    const peer = new Y.Doc()
    peer.clientID = 303
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc))
    addCard(peer, makeCard({ id: 'theirs', table: TABLE.id }))
    boardRoot(peer).principles.set('x', new Y.Map())
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer), 'provider')
    peer.destroy()
    expect(um.undoStack).toHaveLength(1)
    um.undo()
    expect(listCards(doc).map((c) => c.id)).toEqual(['theirs'])
    expect(listCards(doc).some((c) => c.id === mine)).toBe(false)
    expect(um.canUndo()).toBe(false)
  })

  it('[U6] the statement is in the same history, named', () => {
    const { doc, um, next } = board()
    addLocalCard(doc, { kind: CardKind.Vision, table: TABLE, author: 'p1', cards: [] })
    doc.transact(() => {
      const p = new Y.XmlElement('paragraph')
      p.insert(0, [new Y.XmlText('Iedereen doet mee')])
      boardRoot(doc).statement.insert(0, [p])
    }, EDITOR_ORIGIN)
    expect(next()).toBe(UndoKind.StatementEdit)
    um.undo()
    expect(boardRoot(doc).statement.toString()).not.toContain('Iedereen doet mee')
    expect(next()).toBe(UndoKind.CardAdd)
  })

  it('[U7] undoing typing keeps a paragraph someone else has typed into since', () => {
    const { doc, um } = board()
    const cardId = addLocalCard(doc, {
      kind: CardKind.Vision,
      table: TABLE,
      author: 'p1',
      cards: [],
    })
    um.stopCapturing()
    typeInto(doc, cardId, 'Mijn zin')
    const peer = new Y.Doc()
    peer.clientID = 404
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc))
    const para = cardBody(peer, cardId)!.get(0) as Y.XmlElement
    para.insert(1, [new Y.XmlText(' en de hunne')])
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer), 'provider')
    peer.destroy()
    um.undo()
    const text = cardBody(doc, cardId)!.toString()
    expect(text).not.toContain('Mijn zin')
    expect(text).toContain(' en de hunne')
  })

  it('[U8] an editor drives the board history through the stand-in, which never destroys it', () => {
    const { doc, um } = board()
    const runs: string[] = []
    const standIn = sharedUndo(um, () => ({
      undo: () => (runs.push('undo'), um.undo() != null),
      redo: () => (runs.push('redo'), um.redo() != null),
    }))
    let added = 0
    standIn.on('stack-item-added', () => added++)
    addLocalCard(doc, { kind: CardKind.Vision, table: TABLE, author: 'p1', cards: [] })
    expect(added).toBe(1)
    expect(standIn.undoStack).toBe(um.undoStack)
    standIn.undo()
    expect(listCards(doc)).toEqual([])
    expect(standIn.redoStack).toHaveLength(1)
    standIn.redo()
    expect(runs).toEqual(['undo', 'redo'])
    // the editor view goes: its listeners go, the board's history stays and keeps recording
    const heard = added
    standIn.destroy()
    standIn.restore = () => {
      throw new Error('never called')
    }
    expect(standIn.restore).toBeUndefined()
    addLocalCard(doc, { kind: CardKind.Need, table: TABLE, author: 'p1', cards: listCards(doc) })
    expect(added).toBe(heard)
    expect(um.undoStack).toHaveLength(2)
  })

  it('[U9] Escape after arrow-key steps takes the whole keyboard move back, out of the history too', () => {
    const { doc, um } = board()
    const ids = ['a', 'b', 'c'].map((id, i) => {
      addCard(doc, makeCard({ id, table: TABLE.id, order: i + 1 }))
      return id
    })
    const cardIds = () =>
      listCards(doc)
        .filter((c) => c.table === TABLE.id)
        .sort((x, y) => (x.order ?? 0) - (y.order ?? 0))
        .map((c) => c.id)
    const before = um.undoStack.length
    const move = beginKeyboardMove(doc)
    for (let i = 0; i < 2; i++) {
      const a = listCards(doc).find((c) => c.id === ids[0])!
      expect(stepCard(doc, a, 'down', [TABLE], listCards(doc))).not.toBeNull()
      // far apart in time: each step is a step of its own
      um.stopCapturing()
    }
    expect(cardIds()).toEqual(['b', 'c', 'a'])
    // a step down its own column changes only the order: still named a move
    expect(undoKindOf(um.undoStack.at(-1))).toBe(UndoKind.CardMove)
    expect(cancelKeyboardMove(move)).toBe(true)
    expect(cardIds()).toEqual(['a', 'b', 'c'])
    expect(um.undoStack).toHaveLength(before)
    expect(um.canRedo()).toBe(false)
    // nothing left to take back
    expect(cancelKeyboardMove(move)).toBe(false)
  })
})
