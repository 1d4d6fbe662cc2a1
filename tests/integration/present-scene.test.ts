/**
 * The projector's scene (issue #11 point 1) lives in the control doc: the facilitator's pick
 * reaches the projector, a participant cannot write it (the raw update is refused and changes
 * nothing), and each ballot publishes how many voted per table, never what.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { ROUND_API } from '../../shared/api.ts'
import { DocName, ErrorCode, MessageType, roomName } from '../../shared/protocol.ts'
import { readNotice, readWelcome } from '../../shared/wire.ts'
import {
  PresentScene,
  activePresentPick,
  readPresent,
  readRoundVoted,
  setPhaseId,
} from '../../shared/control.ts'
import { writePresent } from '../../shared/control-actions.ts'
import { addTask } from '../../shared/tasks.ts'
import { joinTable, startTestServer } from '../helpers/server.ts'
import { bearerFetch, facilitatedWorkshop } from '../helpers/scenario.ts'
import { connectClient, live, saved } from '../helpers/clients.ts'
import { openRaw } from '../helpers/raw.ts'
import { until } from '../helpers/wait.ts'
import { useCleanups } from '../helpers/lifecycle.ts'
import { syncUpdate } from '../fault/frames.ts'

const track = useCleanups()

async function meeting() {
  const server = await startTestServer()
  track(() => server.close())
  const { ws, info, fac } = await facilitatedWorkshop(server, track)
  const viewer = connectClient(server.wsUrl, ws.id, { kind: 'viewer', code: ws.joinCode })
  track(() => viewer.destroy())
  await live(viewer)
  return { server, ws, info, fac, viewer }
}

describe('the projector scene in the control doc', () => {
  it('the facilitator’s pick reaches the projector and holds until the phase changes', async () => {
    const { fac, viewer } = await meeting()
    writePresent(fac.control, {
      scene: PresentScene.Spotlight,
      spotlight: { kind: 'task', id: 't1' },
      perTable: true,
    })
    await until(
      'projector sees the spotlight',
      [[viewer.control, 'update']],
      () => activePresentPick(viewer.control)?.scene === PresentScene.Spotlight,
    )
    expect(readPresent(viewer.control)).toMatchObject({
      spotlight: { kind: 'task', id: 't1' },
      perTable: true,
    })
    // a new phase gives the screen back to the meeting; the per-table toggle stays
    setPhaseId(fac.control, 'fase-2')
    await until(
      'projector drops the pick',
      [[viewer.control, 'update']],
      () => activePresentPick(viewer.control) === null,
    )
    expect(readPresent(viewer.control).perTable).toBe(true)
    // toggling per table then does not bring the old pick back
    writePresent(fac.control, { perTable: false })
    await until(
      'projector sees the toggle',
      [[viewer.control, 'update']],
      () => !readPresent(viewer.control).perTable,
    )
    expect(activePresentPick(viewer.control)).toBeNull()
  })

  it('a participant’s raw update of the scene is refused with READ_ONLY and changes nothing', async () => {
    const { server, ws, info, fac, viewer } = await meeting()
    writePresent(fac.control, { scene: PresentScene.Join })
    await saved(fac)
    const before = JSON.stringify(readPresent(fac.control))
    const p = await joinTable(server.url, ws.joinCode, 'Dirk', info.tables[0]!.id)
    // a forger starts from the real state and puts its own scene on the projector
    const forged = new Y.Doc()
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(fac.control))
    const sv = Y.encodeStateVector(forged)
    writePresent(forged, { scene: PresentScene.Spotlight, spotlight: { kind: 'card', id: 'x' } })
    const raw = await openRaw(`${server.wsUrl}/${roomName(ws.id, DocName.Control)}`, {
      hello: { kind: 'participant', token: p.token },
    })
    track(() => raw.ws.close())
    expect(readWelcome(await raw.next(MessageType.Welcome)).readOnly).toBe(true)
    raw.send(syncUpdate(Y.encodeStateAsUpdate(forged, sv)))
    expect(readNotice(await raw.next(MessageType.Notice)).code).toBe(ErrorCode.ReadOnly)
    forged.destroy()
    // neither the facilitator nor a fresh reader sees the forged scene
    const reader = connectClient(server.wsUrl, ws.id, { kind: 'viewer', code: ws.joinCode })
    track(() => reader.destroy())
    await live(reader)
    expect(JSON.stringify(readPresent(reader.control))).toBe(before)
    expect(JSON.stringify(readPresent(fac.control))).toBe(before)
    expect(JSON.stringify(readPresent(viewer.control))).toBe(before)
  })

  it('each ballot publishes how many voted per table, for the open round only', async () => {
    const { server, ws, info, fac, viewer } = await meeting()
    addTask(fac.board, { id: 'task-a', title: 'A', origin: [], author: 'f', created: 1 })
    addTask(fac.board, { id: 'task-b', title: 'B', origin: [], author: 'f', created: 2 })
    await saved(fac)
    const [t0, t1] = [info.tables[0]!.id, info.tables[1]!.id]
    const people = await Promise.all([
      joinTable(server.url, ws.joinCode, 'Inge', t0),
      joinTable(server.url, ws.joinCode, 'Ilse', t0),
      joinTable(server.url, ws.joinCode, 'Mo', t1),
    ])
    const res = await bearerFetch(server.url, ws.facilitatorKey)('POST', ROUND_API.open(ws.id), {
      kind: 'dots',
      taskIds: ['task-a', 'task-b'],
      dotsPerPerson: 2,
      maxPerTask: 2,
    })
    expect(res.status).toBe(201)
    const { roundId } = (await res.json()) as { roundId: string }
    for (const who of [0, 1, 2])
      expect(
        (
          await bearerFetch(server.url, people[who]!.token)(
            'POST',
            ROUND_API.ballot(ws.id, roundId),
            {
              dots: { 'task-a': 2 },
            },
          )
        ).status,
      ).toBe(200)
    await until(
      'projector sees 2 + 1 voted',
      [[viewer.control, 'update']],
      () => readRoundVoted(viewer.control, roundId)[t1] === 1,
    )
    expect(readRoundVoted(viewer.control, roundId)).toEqual({ [t0]: 2, [t1]: 1 })
    expect(readRoundVoted(viewer.control, 'another-round')).toEqual({})
  })
})
