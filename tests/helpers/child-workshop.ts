/** A workshop on a child-process server that tests SIGKILL, and the board as its file holds it. */
import * as Y from 'yjs'
import { DocName } from '../../shared/protocol.ts'
import { openSqliteStore } from '../../server/store/sqlite.ts'
import { applyStored } from '../../server/store/store.ts'
import type { Track } from './lifecycle.ts'
import { createWorkshop, lookup, startChildServer, tempDir, type ChildServer } from './server.ts'

export async function childWorkshop(track: Track) {
  const dataDir = tempDir()
  const server: ChildServer = await startChildServer(dataDir)
  track(() => server.kill())
  const ws = await createWorkshop(server.url)
  const info = await lookup(server.url, ws.joinCode)
  return { dataDir, server, port: server.port, ws, tables: info.tables.map((t) => t.id) }
}

/** The board as it is on disk right now (the server must be dead). */
export function boardOnDisk(dataDir: string, workshopId: string): Y.Doc {
  const store = openSqliteStore({ dataDir })
  try {
    const doc = new Y.Doc()
    applyStored(doc, store.loadDoc(workshopId, DocName.Board), null)
    return doc
  } finally {
    store.close()
  }
}
