/**
 * The board policy in the write judge (issue #14 point 4): who may change cards (own table,
 * everyone, own cards) and whether statement and principles are open, refused card by card.
 * Docs are synced by hand with pinned client ids; what the verdict would apply is applied to a
 * copy of the server's doc and read back.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { judgeUpdate, type Verdict, type Writer } from '../../server/relay/write-guard.ts'
import { ClientOwners } from '../../server/relay/client-owners.ts'
import {
  type BoardPolicy,
  boardAccess,
  DEFAULT_BOARD_POLICY,
  mayChangeCard,
} from '../../shared/permissions.ts'
import { Role } from '../../shared/protocol.ts'
import {
  CardEditScope,
  addCard,
  boardRoot,
  cardBody,
  cardMap,
  deleteCard,
  listCards,
  moveCard,
} from '../../shared/schema.ts'
import { listPrinciples, writePrinciple } from '../../shared/tasks.ts'
import { plainText } from '../../shared/richtext.ts'
import { makeCard } from '../fixtures/builders.ts'
import { encodeCut, subtractRanges } from '../../server/relay/update-cut.ts'

const ANNA = 'participant-anna' // table A
const BRAM = 'participant-bram' // table A
const CARLA = 'participant-carla' // table B
const TABLE_A = 'table-a'
const TABLE_B = 'table-b'

function participant(id: string, tableId: string, policy: Partial<BoardPolicy> = {}): Writer {
  return {
    principal: id,
    access: (root) => boardAccess(Role.Participant, root),
    author: id,
    board: {
      who: { role: Role.Participant, participantId: id, tableId },
      policy: () => ({ ...DEFAULT_BOARD_POLICY, ...policy }),
    },
  }
}

/** The server's doc: Bram's card at table A, Carla's at table B, a principle, a statement. */
function server() {
  const doc = new Y.Doc()
  doc.clientID = 1
  addCard(doc, makeCard({ id: 'bram-a', table: TABLE_A, author: BRAM, text: 'Kaart van Bram' }))
  addCard(doc, makeCard({ id: 'carla-b', table: TABLE_B, author: CARLA, text: 'Kaart van Carla' }))
  addCard(doc, makeCard({ id: 'anna-b', table: TABLE_B, author: ANNA, text: 'Kaart van Anna' }))
  writePrinciple(doc, { id: 'pr-1', text: 'Samen', order: 1 })
  return { doc, owners: new ClientOwners(new Map([[1, '~staff']])) }
}

/** A participant's copy writing under its own client id. */
function copyOf(doc: Y.Doc, clientID: number): Y.Doc {
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  copy.clientID = clientID
  return copy
}

/** The update one transaction of `edit` makes on a copy. */
function edit(doc: Y.Doc, clientID: number, fn: (d: Y.Doc) => void): Uint8Array {
  const copy = copyOf(doc, clientID)
  const parts: Uint8Array[] = []
  copy.on('update', (u: Uint8Array) => parts.push(u))
  copy.transact(() => fn(copy))
  return Y.mergeUpdates(parts)
}

/** The server's doc after what the verdict would apply. */
function applied(doc: Y.Doc, verdict: Verdict): Y.Doc {
  const after = copyOf(doc, 99)
  if (verdict.kind === 'apply') Y.applyUpdate(after, verdict.update)
  after.store.pendingDs = null
  return after
}

const text = (doc: Y.Doc, id: string) => (cardBody(doc, id) ? plainText(cardBody(doc, id)!) : null)
const tableOf = (doc: Y.Doc, id: string) =>
  listCards(doc).find((c) => c.id === id)?.table ?? 'absent'

describe('the board policy rules (shared/permissions.ts)', () => {
  const anna = { role: Role.Participant, participantId: ANNA, tableId: TABLE_A }
  const mine = { author: ANNA, table: TABLE_B }
  const tableMates = { author: BRAM, table: TABLE_A }
  const others = { author: CARLA, table: TABLE_B }
  it.each([
    [CardEditScope.OwnTable, { mine: true, tableMates: true, others: false }],
    [CardEditScope.Everyone, { mine: true, tableMates: true, others: true }],
    [CardEditScope.OwnCards, { mine: true, tableMates: false, others: false }],
  ])('%s: who may change which card', (cardScope, expected) => {
    const policy = { cardScope, sharedTextOpen: false }
    expect({
      mine: mayChangeCard(policy, anna, mine),
      tableMates: mayChangeCard(policy, anna, tableMates),
      others: mayChangeCard(policy, anna, others),
    }).toEqual(expected)
  })

  it('facilitators may change every card whatever the scope; viewers none', () => {
    const facilitator = { role: Role.Facilitator, participantId: null, tableId: null }
    expect(
      mayChangeCard(
        { cardScope: CardEditScope.OwnCards, sharedTextOpen: false },
        facilitator,
        others,
      ),
    ).toBe(true)
    const viewer = { role: Role.Viewer, participantId: null, tableId: null }
    expect(
      mayChangeCard({ cardScope: CardEditScope.Everyone, sharedTextOpen: false }, viewer, others),
    ).toBe(false)
  })
})

describe('judgeUpdate with the board policy', () => {
  it("own table (default): another table's card is refused, field and rich text alike", () => {
    const { doc, owners } = server()
    const field = edit(doc, 5, (d) => cardMap(d, 'carla-b')!.set('kind', 'need'))
    expect(judgeUpdate(doc, owners, participant(ANNA, TABLE_A), field)).toEqual({
      kind: 'refuse',
      root: 'cards',
    })
    const typing = edit(doc, 5, (d) => {
      const p = cardBody(d, 'carla-b')!.get(0) as Y.XmlElement
      ;(p.get(0) as Y.XmlText).insert(0, 'Niet van mij: ')
    })
    expect(judgeUpdate(doc, owners, participant(ANNA, TABLE_A), typing)).toEqual({
      kind: 'refuse',
      root: 'cards',
    })
  })

  it("own table: a table-mate's card and one's own card at another table may be changed", () => {
    const { doc, owners } = server()
    const update = edit(doc, 5, (d) => {
      cardMap(d, 'bram-a')!.set('kind', 'need')
      moveCard(d, 'anna-b', { x: 500, y: 500 })
    })
    const verdict = judgeUpdate(doc, owners, participant(ANNA, TABLE_A), update)
    expect(verdict).toMatchObject({ kind: 'apply', refused: [] })
    expect(listCards(applied(doc, verdict)).find((c) => c.id === 'bram-a')?.kind).toBe('need')
  })

  it("own table: moving needs the right to change the card; a new card may be added at any table (it is the writer's own)", () => {
    const { doc, owners } = server()
    const intoOurs = edit(doc, 5, (d) => moveCard(d, 'carla-b', { x: 0, y: 0, table: TABLE_A }))
    expect(judgeUpdate(doc, owners, participant(ANNA, TABLE_A), intoOurs)).toEqual({
      kind: 'refuse',
      root: 'cards',
    })
    const outOfOurs = edit(doc, 5, (d) => moveCard(d, 'bram-a', { x: 900, y: 0, table: TABLE_B }))
    expect(judgeUpdate(doc, owners, participant(ANNA, TABLE_A), outOfOurs).kind).toBe('apply')
    const elsewhere = edit(doc, 5, (d) =>
      addCard(d, makeCard({ id: 'new-b', table: TABLE_B, author: ANNA })),
    )
    expect(judgeUpdate(doc, owners, participant(ANNA, TABLE_A), elsewhere)).toMatchObject({
      kind: 'apply',
      refused: [],
      addedCards: ['new-b'],
    })
  })

  it("only the refused card is cut: the same update's own card is applied, the other card is untouched", () => {
    const { doc, owners } = server()
    const update = edit(doc, 5, (d) => {
      addCard(d, makeCard({ id: 'new-a', table: TABLE_A, author: ANNA, text: 'Nieuw' }))
      moveCard(d, 'carla-b', { x: 1, y: 2, table: TABLE_A })
      const p = cardBody(d, 'carla-b')!.get(0) as Y.XmlElement
      ;(p.get(0) as Y.XmlText).insert(0, 'Gekaapt: ')
      deleteCard(d, 'anna-b')
    })
    const verdict = judgeUpdate(doc, owners, participant(ANNA, TABLE_A), update)
    expect(verdict).toMatchObject({ kind: 'apply', refused: ['cards'], deletedCards: ['anna-b'] })
    const after = applied(doc, verdict)
    expect({
      newCard: text(after, 'new-a'),
      carlaText: text(after, 'carla-b'),
      carlaTable: tableOf(after, 'carla-b'),
      annaCard: tableOf(after, 'anna-b'),
    }).toEqual({
      newCard: 'Nieuw',
      carlaText: 'Kaart van Carla',
      carlaTable: TABLE_B,
      annaCard: 'absent',
    })
  })

  it("own table: a new card under the key of another table's card (which would replace it) is refused", () => {
    const { doc, owners } = server()
    const honest = edit(doc, 5, (d) =>
      addCard(d, makeCard({ id: 'carla-b', table: TABLE_A, author: ANNA, text: 'Vervangen' })),
    )
    expect(judgeUpdate(doc, owners, participant(ANNA, TABLE_A), honest)).toEqual({
      kind: 'refuse',
      root: 'cards',
    })
    // crafted: the same new value without the deletion of the old one (Yjs deletes it anyway)
    const crafted = encodeCut(Y.decodeUpdate(honest), new Set(), new Map())
    expect(Y.decodeUpdate(crafted).ds.clients.size).toBe(0)
    expect(judgeUpdate(doc, owners, participant(ANNA, TABLE_A), crafted)).toEqual({
      kind: 'refuse',
      root: 'cards',
    })
    const tableMate = edit(doc, 5, (d) =>
      addCard(d, makeCard({ id: 'bram-a', table: TABLE_A, author: ANNA, text: 'Vervangen' })),
    )
    expect(judgeUpdate(doc, owners, participant(ANNA, TABLE_A), tableMate).kind).toBe('apply')
  })

  it("own table: deleting another table's card is refused and the card stays", () => {
    const { doc, owners } = server()
    const update = edit(doc, 5, (d) => deleteCard(d, 'carla-b'))
    expect(judgeUpdate(doc, owners, participant(ANNA, TABLE_A), update)).toEqual({
      kind: 'refuse',
      root: 'cards',
    })
  })

  it('everyone: any card may be changed, moved and deleted; the deletion is reported for the trash', () => {
    const { doc, owners } = server()
    const update = edit(doc, 5, (d) => {
      moveCard(d, 'bram-a', { x: 0, y: 0, table: TABLE_B })
      deleteCard(d, 'carla-b')
    })
    const verdict = judgeUpdate(
      doc,
      owners,
      participant(ANNA, TABLE_A, { cardScope: CardEditScope.Everyone }),
      update,
    )
    expect(verdict).toMatchObject({ kind: 'apply', refused: [], deletedCards: ['carla-b'] })
    const after = applied(doc, verdict)
    expect([tableOf(after, 'bram-a'), tableOf(after, 'carla-b')]).toEqual([TABLE_B, 'absent'])
  })

  it("own cards: a table-mate's card is refused, one's own card anywhere and new cards anywhere are allowed", () => {
    const { doc, owners } = server()
    const writer = participant(ANNA, TABLE_A, { cardScope: CardEditScope.OwnCards })
    const tableMate = edit(doc, 5, (d) => cardMap(d, 'bram-a')!.set('kind', 'need'))
    expect(judgeUpdate(doc, owners, writer, tableMate)).toEqual({ kind: 'refuse', root: 'cards' })
    const own = edit(doc, 5, (d) => {
      moveCard(d, 'anna-b', { x: 0, y: 0, table: TABLE_A })
      addCard(d, makeCard({ id: 'new-b', table: TABLE_B, author: ANNA }))
    })
    expect(judgeUpdate(doc, owners, writer, own)).toMatchObject({ kind: 'apply', refused: [] })
  })

  it('statement and principles are refused while closed, allowed once opened; a card in the same update still lands', () => {
    const { doc, owners } = server()
    const update = edit(doc, 5, (d) => {
      writePrinciple(d, { id: 'pr-2', text: 'Gekaapt', order: 2 })
      boardRoot(d).principles.delete('pr-1')
      const p = new Y.XmlElement('paragraph')
      p.insert(0, [new Y.XmlText('Ons statement')])
      boardRoot(d).statement.insert(0, [p])
      addCard(d, makeCard({ id: 'new-a', table: TABLE_A, author: ANNA }))
    })
    const closed = judgeUpdate(doc, owners, participant(ANNA, TABLE_A), update)
    expect(closed).toMatchObject({ kind: 'apply' })
    if (closed.kind !== 'apply') return
    expect([...closed.refused].sort()).toEqual(['principles', 'statement'])
    const after = applied(doc, closed)
    expect({
      principles: listPrinciples(after).map((p) => p.text),
      statement: boardRoot(after).statement.length,
      card: tableOf(after, 'new-a'),
    }).toEqual({ principles: ['Samen'], statement: 0, card: TABLE_A })

    const open = judgeUpdate(
      doc,
      owners,
      participant(ANNA, TABLE_A, { sharedTextOpen: true }),
      update,
    )
    expect(open).toMatchObject({ kind: 'apply', refused: [] })
    expect(listPrinciples(applied(doc, open)).map((p) => p.text)).toEqual(['Gekaapt'])
  })

  it('a writer without board rules (a facilitator) is never cut', () => {
    const { doc, owners } = server()
    const facilitator: Writer = {
      principal: '~staff',
      access: (root) => boardAccess(Role.Facilitator, root),
      author: 'facilitator',
    }
    const update = edit(doc, 1, (d) => {
      deleteCard(d, 'carla-b')
      writePrinciple(d, { id: 'pr-2', text: 'Van de begeleider', order: 2 })
    })
    expect(judgeUpdate(doc, owners, facilitator, update)).toMatchObject({
      kind: 'apply',
      refused: [],
      deletedCards: ['carla-b'],
    })
  })
})

describe("subtractRanges (a refused card's deletions left out of a delete set)", () => {
  it('keeps what lies outside the refused ranges, in order', () => {
    expect(
      subtractRanges({ clock: 0, len: 10 }, [
        { clock: 2, len: 3 },
        { clock: 8, len: 5 },
      ]),
    ).toEqual([
      { clock: 0, len: 2 },
      { clock: 5, len: 3 },
    ])
    expect(subtractRanges({ clock: 4, len: 2 }, [{ clock: 0, len: 10 }])).toEqual([])
    expect(subtractRanges({ clock: 4, len: 2 }, [{ clock: 6, len: 1 }])).toEqual([
      { clock: 4, len: 2 },
    ])
  })
})
