/**
 * What the server has committed, read three independent ways: a fresh connection, the organiser's
 * export (its live state and its update log replayed), and a server restarted on the same data.
 */
import * as Y from 'yjs'
import { HISTORY_API } from '../../shared/api.ts'
import { DocName, roomName } from '../../shared/protocol.ts'
import { startTestServer, type TestServerOptions } from './server.ts'
import { bearerFetch } from './scenario.ts'
import { WirePeer } from './wire-peer.ts'

export interface Organiser {
  id: string
  facilitatorKey: string
}

/** The board as a fresh facilitator connection receives it. */
export async function boardViaFreshClient(wsUrl: string, ws: Organiser): Promise<Y.Doc> {
  const peer = await WirePeer.synced(`${wsUrl}/${roomName(ws.id, DocName.Board)}`, {
    kind: 'facilitator',
    key: ws.facilitatorKey,
  })
  await peer.close()
  return peer.doc
}

interface Exported {
  board: { yjsState: string }
  log: Record<'board' | 'control', { data: string }[]>
}

/** The board from the export route: the state it reports, and its update log replayed in order. */
export async function boardViaExport(
  url: string,
  ws: Organiser,
): Promise<{ state: Y.Doc; log: Y.Doc }> {
  const res = await bearerFetch(url, ws.facilitatorKey)('GET', HISTORY_API.export(ws.id))
  if (!res.ok) throw new Error(`export: ${res.status} ${await res.text()}`)
  const body = (await res.json()) as Exported
  const state = new Y.Doc()
  Y.applyUpdate(state, Buffer.from(body.board.yjsState, 'base64'))
  const log = new Y.Doc()
  for (const entry of body.log.board) Y.applyUpdate(log, Buffer.from(entry.data, 'base64'))
  return { state, log }
}

/** Every committed view of the board, the last one after `close()` and a restart on `dataDir`. */
export async function committedBoards(
  server: { url: string; wsUrl: string; dataDir: string; close(): Promise<void> },
  ws: Organiser,
  restartOpts: TestServerOptions = {},
): Promise<{
  views: Record<string, Y.Doc>
  restarted: Awaited<ReturnType<typeof startTestServer>>
}> {
  const fresh = await boardViaFreshClient(server.wsUrl, ws)
  const exported = await boardViaExport(server.url, ws)
  await server.close()
  const restarted = await startTestServer({ ...restartOpts, dataDir: server.dataDir })
  const afterRestart = await boardViaFreshClient(restarted.wsUrl, ws)
  return {
    views: {
      'fresh client': fresh,
      'export state': exported.state,
      'export log': exported.log,
      'after restart': afterRestart,
    },
    restarted,
  }
}
