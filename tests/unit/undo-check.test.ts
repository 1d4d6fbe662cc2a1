/**
 * [issue 14.5] An undo the server's write guard would refuse is found before it is written: the
 * step's own action, judged by the board policy against what the step would change now. And the
 * person's one history belongs to the doc, not to the screen that showed it.
 */
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  type BoardPolicy,
  type CardWriter,
  DEFAULT_BOARD_POLICY,
} from '../../shared/permissions.ts'
import { Role } from '../../shared/protocol.ts'
import { CardEditScope, type Table, addCard, listCards } from '../../shared/schema.ts'
import { addTask, writePrinciple } from '../../shared/tasks.ts'
import {
  boardUndoFor,
  deleteLocalCard,
  moveCardToTable,
  setLocalCardKind,
} from '../../client/model/actions.ts'
import { UndoBlock, undoBlock } from '../../client/model/undoCheck.ts'
import { makeCard } from '../fixtures/builders.ts'

const INWONER: Table = {
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
const BESTUUR: Table = { ...INWONER, id: 't-bestuur', name: 'Bestuur', x: 1000, order: 1 }

/** Anna sits at the Inwoner table. */
const ANNA: CardWriter = { role: Role.Participant, participantId: 'p-anna', tableId: INWONER.id }
const FACILITATOR: CardWriter = { role: Role.Facilitator, participantId: null, tableId: null }
const OPEN: BoardPolicy = { ...DEFAULT_BOARD_POLICY, sharedTextOpen: true }

const docs: Y.Doc[] = []
afterEach(() => {
  for (const d of docs.splice(0)) d.destroy()
})

/** Anna's tab, with Bram's card at her table (it arrived from the network). */
function annasBoard() {
  const doc = new Y.Doc()
  doc.clientID = 101
  docs.push(doc)
  const peer = new Y.Doc()
  peer.clientID = 202
  addCard(peer, makeCard({ id: 'bram', author: 'p-bram', table: INWONER.id }))
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer), 'provider')
  peer.destroy()
  const um = boardUndoFor(doc).manager
  const next = (who: CardWriter, policy: BoardPolicy = DEFAULT_BOARD_POLICY) =>
    undoBlock(doc, um.undoStack.at(-1), who, policy)
  const card = (id: string) => listCards(doc).find((c) => c.id === id)!
  return { doc, um, next, card }
}

describe('an undo the server would refuse is found before it runs', () => {
  it('[U10] moving someone else’s card off one’s own table: the undo is refused under "own table", taken under "everyone"', () => {
    const { doc, next, card } = annasBoard()
    moveCardToTable(doc, card('bram'), BESTUUR, listCards(doc))
    expect(card('bram').table).toBe(BESTUUR.id)
    expect(next(ANNA)).toBe(UndoBlock.Card)
    expect(next(ANNA, { ...DEFAULT_BOARD_POLICY, cardScope: CardEditScope.Everyone })).toBeNull()
    // a facilitator may change every card
    expect(next(FACILITATOR)).toBeNull()
  })

  it('[U11] her own card may go anywhere and come back: its undo is never refused', () => {
    const { doc, next, card } = annasBoard()
    addCard(doc, makeCard({ id: 'anna', author: 'p-anna', table: INWONER.id }))
    boardUndoFor(doc).manager.stopCapturing()
    moveCardToTable(doc, card('anna'), BESTUUR, listCards(doc))
    expect(next(ANNA)).toBeNull()
    expect(next(ANNA, { ...DEFAULT_BOARD_POLICY, cardScope: CardEditScope.OwnCards })).toBeNull()
  })

  it('[U12] a card brought back by undoing its deletion is new to the server: taken', () => {
    const { doc, next } = annasBoard()
    deleteLocalCard(doc, 'bram')
    expect(listCards(doc)).toEqual([])
    expect(next(ANNA, { ...DEFAULT_BOARD_POLICY, cardScope: CardEditScope.OwnCards })).toBeNull()
  })

  it('[U13] a step on a card that someone else has since moved away is refused', () => {
    const { doc, next, card } = annasBoard()
    setLocalCardKind(doc, 'bram', 'need')
    expect(next(ANNA)).toBeNull()
    // the facilitator moves Bram's card to the Bestuur table
    const fac = new Y.Doc()
    fac.clientID = 303
    Y.applyUpdate(fac, Y.encodeStateAsUpdate(doc))
    const before = Y.encodeStateVector(fac)
    moveCardToTable(
      fac,
      listCards(fac).find((c) => c.id === 'bram')!,
      BESTUUR,
      listCards(fac),
    )
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(fac, before), 'provider')
    fac.destroy()
    expect(card('bram').table).toBe(BESTUUR.id)
    expect(next(ANNA)).toBe(UndoBlock.Card)
  })

  it('[U14] a principle added while principles were open: refused once the facilitator closed them', () => {
    const { doc, next } = annasBoard()
    writePrinciple(doc, { id: 'pr-1', text: 'Samen beslissen', order: 1 })
    expect(next(ANNA, OPEN)).toBeNull()
    expect(next(ANNA, DEFAULT_BOARD_POLICY)).toBe(UndoBlock.SharedText)
    expect(next(FACILITATOR, DEFAULT_BOARD_POLICY)).toBeNull()
  })

  it('[U15] taking back a proposed task is the facilitator’s: a participant’s undo is refused', () => {
    const { doc, next } = annasBoard()
    addTask(doc, { id: 'tk-1', title: 'Eén loket', origin: ['bram'], author: 'p-anna', created: 1 })
    expect(next(ANNA)).toBe(UndoBlock.Tasks)
    expect(next(FACILITATOR)).toBeNull()
  })

  it('[U16] nothing to undo: nothing refused', () => {
    const { next } = annasBoard()
    expect(next(ANNA)).toBeNull()
  })
})

describe('one history per doc, whatever screen shows it', () => {
  it('[U17] the board and the list view get the same manager, and its steps stay until the doc goes', () => {
    const { doc, card } = annasBoard()
    const first = boardUndoFor(doc)
    setLocalCardKind(doc, 'bram', 'need')
    // the next screen over the same connection
    const second = boardUndoFor(doc)
    expect(second).toBe(first)
    expect(second.manager.undoStack).toHaveLength(1)
    second.manager.undo()
    expect(card('bram').kind).toBe('vision')
    doc.destroy()
    // a new doc (a new connection) starts a history of its own
    const other = new Y.Doc()
    docs.push(other)
    expect(boardUndoFor(other)).not.toBe(first)
  })
})
