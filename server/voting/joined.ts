/**
 * How many participants joined the workshop, in all and per table, published in the control doc:
 * the M of "N of M voted". The participants table is the truth; the doc gets a copy on each join.
 */
import type * as Y from 'yjs'
import { DocName } from '../../shared/protocol.ts'
import { readJoined, writeJoined } from '../../shared/control.ts'
import type { RoomRegistry } from '../relay/rooms.ts'
import type { Store } from '../store/store.ts'

export function writeJoinedIfChanged(store: Store, workshopId: string, doc: Y.Doc): void {
  const byTable = Object.fromEntries(
    [...store.participantCountByTable(workshopId)].sort(([a], [b]) => (a < b ? -1 : 1)),
  )
  const total = Object.values(byTable).reduce((a, b) => a + b, 0)
  const current = readJoined(doc)
  if (current.total === total && JSON.stringify(current.byTable) === JSON.stringify(byTable)) return
  writeJoined(doc, { total, byTable })
}

export function publishJoined(rooms: RoomRegistry, store: Store, workshopId: string): void {
  rooms.write(workshopId, DocName.Control, (doc) => writeJoinedIfChanged(store, workshopId, doc))
}
