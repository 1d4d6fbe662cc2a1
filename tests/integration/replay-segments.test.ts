/**
 * The replay in segments (issue 11 point 10) shows what the replay from zero shows: a seeds-based
 * meeting with moves, deletes, typing, phases and voting rounds is written through the relay (which
 * keeps a checkpoint every few updates), then the replay screen's session is built from the
 * server's outline and segments, and compared with BoardTimeline and DocReplay over the whole
 * history at every board position and at many moments.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { HISTORY_API, ROUND_API } from '../../shared/api.ts'
import { BoardTimeline } from '../../shared/board-timeline.ts'
import { readPhases } from '../../shared/control.ts'
import { goToPhase } from '../../shared/control-actions.ts'
import { DocReplay, controlMarkers, decodeHistory } from '../../shared/history.ts'
import { DocName } from '../../shared/protocol.ts'
import { decodeReplayHead, decodeSegment } from '../../shared/replay-segments.ts'
import { BOARD_LAYOUT, addCard, boardToJSON, cardBody, listCards } from '../../shared/schema.ts'
import { addTask } from '../../shared/tasks.ts'
import { ReplaySession } from '../../client/replay/session.ts'
import { SEED_TASKS, SEED_VISIONS, makeCard } from '../fixtures/builders.ts'
import { randomCardEdit, typeInto } from '../fault/frames.ts'
import { mulberry32 } from '../fault/rng.ts'
import { saved } from '../helpers/clients.ts'
import { useCleanups } from '../helpers/lifecycle.ts'
import { bearerFetch, facilitatedWorkshop } from '../helpers/scenario.ts'
import { joinTable, startTestServer } from '../helpers/server.ts'

const track = useCleanups()
/** Small segments and checkpoints, so bases fall between checkpoints and seeks cross segments. */
const SEGMENT = 40
const CHECKPOINT_EVERY = 23

describe('replay in segments', () => {
  it('every board position and many moments equal the replay of the whole history', async () => {
    let now = Date.UTC(2026, 11, 1, 18, 0)
    const server = await startTestServer({
      clock: { now: () => now },
      checkpointEveryUpdates: CHECKPOINT_EVERY,
    })
    track(() => server.close())
    const { ws, info, fac } = await facilitatedWorkshop(server, track, 'Leertuin Participatie')
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await bearerFetch(server.url, ws.facilitatorKey)(method, path, body)
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
      return res
    }
    const tables = info.tables.map((t) => t.id)
    const rng = mulberry32(20261201)
    // the seeds: a vision per table and the candidate tasks
    Object.values(SEED_VISIONS).forEach((text, i) =>
      addCard(
        fac.board,
        makeCard({ id: `v${i}`, kind: 'vision', table: tables[i % tables.length]!, text }),
      ),
    )
    SEED_TASKS.forEach((title, i) =>
      addTask(fac.board, { id: `task-${i}`, title, origin: [], author: 'f', created: i }),
    )
    await saved(fac)
    const people = await Promise.all(
      ['Anna', 'Bram', 'Cem'].map((name, i) =>
        joinTable(server.url, ws.joinCode, name, tables[i]!),
      ),
    )
    const phases = readPhases(fac.control)
    for (let step = 0; step < 12; step++) {
      now += 60_000
      goToPhase(fac.control, phases[step % phases.length]!.id, now)
      for (let i = 0; i < 30; i++) {
        now += 700
        randomCardEdit(rng, fac.board, 'c', tables)
        if (rng.bool(0.2)) {
          const cards = listCards(fac.board)
          if (cards.length) typeInto(rng, cardBody(fac.board, rng.pick(cards).id))
        }
        if (i % 10 === 0) await saved(fac)
      }
      await saved(fac)
      if (step % 4 === 1) {
        const { roundId } = (await (
          await api('POST', ROUND_API.open(ws.id), {
            kind: 'dots',
            taskIds: ['task-0', 'task-1', 'task-2'],
            title: `Ronde ${step}`,
            dotsPerPerson: 3,
            maxPerTask: 3,
          })
        ).json()) as { roundId: string }
        for (const p of people) {
          const res = await bearerFetch(server.url, p.token)(
            'POST',
            ROUND_API.ballot(ws.id, roundId),
            { dots: { 'task-0': 2, 'task-1': 1 } },
          )
          expect(res.ok).toBe(true)
        }
        now += 30_000
        await api('POST', ROUND_API.reveal(ws.id, roundId), {})
      }
    }
    await saved(fac)

    // today's replay: the whole history, each log from zero
    const history = decodeHistory(
      new Uint8Array(await (await api('GET', HISTORY_API.history(ws.id))).arrayBuffer()),
    )
    expect(history.board.length).toBeGreaterThan(8 * SEGMENT)
    const board = new BoardTimeline(history.board, BOARD_LAYOUT)
    const control = new DocReplay(history.control)
    track(() => (board.destroy(), control.destroy()))

    // the replay screen's: the outline, then each segment from the server
    const head = decodeReplayHead(
      new Uint8Array(
        await (await api('GET', HISTORY_API.replayOutline(ws.id, SEGMENT))).arrayBuffer(),
      ),
    )
    const { outline } = head
    expect(outline.board.length).toBeGreaterThan(8)
    expect(outline.markers).toEqual(controlMarkers(history.control))
    expect(outline.markers.filter((m) => m.kind === 'round-reveal')).toHaveLength(3)
    // both docs at the meeting's end come with it, as the end of today's replay
    const endBoard = new Y.Doc()
    const endControl = new Y.Doc()
    track(() => (endBoard.destroy(), endControl.destroy()))
    Y.applyUpdate(endBoard, head.boardEnd!)
    Y.applyUpdate(endControl, head.controlEnd!)
    const boardLast = board.docAtIndex(history.board.length - 1)
    expect(boardToJSON(endBoard)).toEqual(boardToJSON(boardLast))
    expect(endControl.toJSON()).toEqual(control.docAtIndex(history.control.length - 1).toJSON())
    // and they are the first frame: the end needs no segment
    const session = new ReplaySession(outline)
    track(() => session.destroy())
    session.provideEnds(head.boardEnd, head.controlEnd)
    expect(session.missingAt({ time: now })).toEqual([])
    const atEnd = session.frameAt(now)
    expect(atEnd.pending).toBe(false)
    expect(boardToJSON(atEnd.board)).toEqual(boardToJSON(boardLast))
    const middle = history.board[Math.floor(history.board.length / 2)]!.time
    expect(session.frameAt(middle).pending).toBe(true)
    // the segments in reverse, so each is built from its base and not from what came before
    for (const doc of [DocName.Board, DocName.Control]) {
      for (let part = outline[doc].length - 1; part >= 0; part--) {
        const info = outline[doc][part]!
        const res = await api('GET', HISTORY_API.replaySegment(ws.id, doc, info.base, info.last))
        session.add(
          { doc, part, info },
          decodeSegment(new Uint8Array(await res.arrayBuffer()), info),
        )
      }
    }
    expect(session.frameAt(middle).pending).toBe(false)

    const controlSeqAt = (time: number) => {
      const i = control.indexAt(time)
      return i < 0 ? 0 : history.control[i]!.seq
    }
    history.board.forEach((e, i) => {
      const frame = session.frameWhere({
        time: e.time,
        position: { boardSeq: e.seq, controlSeq: controlSeqAt(e.time) },
      })
      expect(frame.pending).toBe(false)
      expect(boardToJSON(frame.board), `board after entry ${i}`).toEqual(
        boardToJSON(board.docAtIndex(i)),
      )
      expect(frame.control.toJSON()).toEqual(control.docAtIndex(control.indexAt(e.time)).toJSON())
    })
    const first = Math.min(history.board[0]!.time, history.control[0]!.time)
    for (let k = 0; k <= 200; k++) {
      const time = first + ((now - first) * k) / 200
      const frame = session.frameAt(time)
      expect(boardToJSON(frame.board), `board at ${time}`).toEqual(
        boardToJSON(board.docAtIndex(board.indexAt(time))),
      )
      expect(frame.control.toJSON()).toEqual(control.docAtIndex(control.indexAt(time)).toJSON())
    }
    while (session.buildSome(1000));
    expect(session.complete).toBe(true)
  })
})
