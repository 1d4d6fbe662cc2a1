/**
 * A whole history cut into the replay's segments here, as the server's outline and segment jobs
 * would (server/heavy/replay.ts), for tests that build a ReplaySession without a server.
 */
import * as Y from 'yjs'
import { type History, type HistoryEntry, controlMarkers } from '../../shared/history.ts'
import { DocName } from '../../shared/protocol.ts'
import { type ReplayOutline, type Segment, planSegments } from '../../shared/replay-segments.ts'
import { ReplaySession } from '../../client/replay/session.ts'

/** Each segment of a log with its base: the doc replayed from the empty doc up to it. */
function segmentsOf(log: HistoryEntry[], every: number): Segment[] {
  const doc = new Y.Doc()
  const out: Segment[] = []
  for (let from = 0; from < log.length; from += every) {
    out.push({
      base: from === 0 ? null : Y.encodeStateAsUpdate(doc),
      entries: log.slice(from, from + every),
    })
    for (const e of log.slice(from, from + every)) Y.applyUpdate(doc, e.data)
  }
  doc.destroy()
  return out
}

export function outlineOf(h: History, every: number): ReplayOutline {
  return {
    board: planSegments(h.board, every),
    control: planSegments(h.control, every),
    markers: controlMarkers(h.control).flatMap(({ snapshot: _s, kind, ...m }) =>
      kind === 'snapshot' ? [] : [{ ...m, kind }],
    ),
    snapshots: h.snapshots,
  }
}

/** A session with every segment in, none built yet (frames build what they need). */
export function sessionOf(h: History, every = Number.MAX_SAFE_INTEGER): ReplaySession {
  const session = new ReplaySession(outlineOf(h, every))
  for (const doc of [DocName.Board, DocName.Control]) {
    const outline = outlineOf(h, every)[doc]
    segmentsOf(h[doc], every).forEach((segment, part) =>
      session.add({ doc, part, info: outline[part]! }, segment),
    )
  }
  return session
}
