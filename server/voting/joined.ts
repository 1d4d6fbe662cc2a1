/**
 * How many participants joined the workshop, in all and per table, published in the control doc:
 * the M of "N of M voted". The participants table is the truth; the doc gets a copy on each join.
 */
import type * as Y from 'yjs'
import { DocName } from '../../shared/protocol.ts'
import { readJoined, writeJoined } from '../../shared/control.ts'
import type { RoomRegistry } from '../relay/rooms.ts'
import type { AsyncStore } from '../store/async-store.ts'

/** Participants per table, as the doc keeps them (sorted by table id). */
export async function joinedCounts(
  store: AsyncStore,
  workshopId: string,
): Promise<Record<string, number>> {
  return Object.fromEntries(
    [...(await store.participantCountByTable(workshopId))].sort(([a], [b]) => (a < b ? -1 : 1)),
  )
}

export function writeJoinedIfChanged(doc: Y.Doc, byTable: Record<string, number>): void {
  const total = Object.values(byTable).reduce((a, b) => a + b, 0)
  const current = readJoined(doc)
  if (current.total === total && JSON.stringify(current.byTable) === JSON.stringify(byTable)) return
  writeJoined(doc, { total, byTable })
}

/** Publishes the count; one at a time per workshop (rooms.serial), so a newer one is never overwritten. */
export function publishJoined(
  rooms: RoomRegistry,
  store: AsyncStore,
  workshopId: string,
): Promise<void> {
  return rooms.serial.run(workshopId, async () => {
    const byTable = await joinedCounts(store, workshopId)
    await rooms.write(workshopId, DocName.Control, (doc) => writeJoinedIfChanged(doc, byTable))
  })
}
