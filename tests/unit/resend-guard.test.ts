/**
 * A sync step 2 re-sends all its sender holds. Since peers get edits before they are on disk
 * (server/relay/room.ts), after a crash it may carry deletions from someone else's lost update:
 * their other half (the new value, under the other writer's client id) is cut as foreign, and so
 * are the deletions the sender may not make itself. The sender's own work goes in; its copy is
 * told it diverged. The same deletions in a live update are the sender's own: refused.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { judgeUpdate, type Verdict, type Writer } from '../../server/relay/write-guard.ts'
import { ClientOwners } from '../../server/relay/client-owners.ts'
import { boardAccess, DEFAULT_BOARD_POLICY } from '../../shared/permissions.ts'
import { Role } from '../../shared/protocol.ts'
import { STAFF } from '../../server/store/store.ts'
import { addCard, cardMap, deleteCard, listTables, writeTable } from '../../shared/schema.ts'
import { makeCard } from '../fixtures/builders.ts'

const ANNA = 'participant-anna'
const SERVER_ID = 1
const FACILITATOR_ID = 5
const ANNA_ID = 10

const anna: Writer = {
  principal: ANNA,
  access: (root) => boardAccess(Role.Participant, root),
  author: ANNA,
  board: {
    who: { role: Role.Participant, participantId: ANNA, tableId: 'table-a' },
    policy: () => DEFAULT_BOARD_POLICY,
  },
}

const table = (name: string) => ({
  id: 'table-b',
  name,
  perspective: 'inwoner' as const,
  color: '#336699',
  pattern: 'dots' as const,
  order: 1,
  x: 0,
  y: 0,
  w: 800,
  h: 600,
})

function withId(doc: Y.Doc, clientID: number, fn: (d: Y.Doc) => void): void {
  doc.clientID = clientID
  fn(doc)
}

/**
 * The server's doc (a table and a card of another table, by the facilitator), and Anna's copy
 * that also got the facilitator's later rename and deletion, which the server then lost.
 */
function afterCrash() {
  const server = new Y.Doc()
  withId(server, SERVER_ID, (d) => writeTable(d, table('Inwoner')))
  withId(server, FACILITATOR_ID, (d) =>
    addCard(d, makeCard({ id: 'carla-b', table: 'table-b', author: 'participant-carla' })),
  )
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(server))
  withId(copy, FACILITATOR_ID, (d) => {
    writeTable(d, table('Inwoners na de pauze'))
    deleteCard(d, 'carla-b')
  })
  withId(copy, ANNA_ID, (d) =>
    addCard(d, makeCard({ id: 'anna-a', table: 'table-a', author: ANNA })),
  )
  const owners = new ClientOwners(
    new Map([
      [SERVER_ID, STAFF],
      [FACILITATOR_ID, STAFF],
    ]),
  )
  const step2 = Y.encodeStateAsUpdate(copy, Y.encodeStateVector(server))
  return { server, owners, step2 }
}

function applied(doc: Y.Doc, verdict: Verdict): Y.Doc {
  const after = new Y.Doc()
  Y.applyUpdate(after, Y.encodeStateAsUpdate(doc))
  if (verdict.kind === 'apply') Y.applyUpdate(after, verdict.update)
  return after
}

describe('a re-send that relays deletions of a lost update', () => {
  it('takes the sender’s own card and leaves what the lost update deleted, counted as foreign', () => {
    const { server, owners, step2 } = afterCrash()
    const verdict = judgeUpdate(server, owners, anna, step2, { resend: true })
    expect(verdict).toMatchObject({ kind: 'apply', refused: [] })
    expect(verdict.kind === 'apply' && verdict.foreign).toBeGreaterThan(0)
    const after = applied(server, verdict)
    expect({
      anna: cardMap(after, 'anna-a') !== null,
      carla: cardMap(after, 'carla-b') !== null,
      tables: listTables(after).map((t) => t.name),
    }).toEqual({ anna: true, carla: true, tables: ['Inwoner'] })
  })

  it('refuses the same deletions in a live update, which holds only the sender’s own edits', () => {
    const { server, owners, step2 } = afterCrash()
    expect(judgeUpdate(server, owners, anna, step2)).toEqual({ kind: 'refuse', root: 'tables' })
  })
})
