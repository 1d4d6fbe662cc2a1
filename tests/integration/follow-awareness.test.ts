/**
 * Follow-me travels outside the durable log (issue 11 point 8): the facilitator's view goes through
 * awareness, which the server passes on for a facilitator only, and the control doc's log keeps
 * just the switch.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { HISTORY_API } from '../../shared/api.ts'
import { CONTROL_KEY, controlRoots, readFollow } from '../../shared/control.ts'
import { setFollowActive } from '../../shared/control-actions.ts'
import { decodeHistory } from '../../shared/history.ts'
import { PRESENCE_PALETTE } from '../../shared/presence.ts'
import type { Credential } from '../../shared/protocol.ts'
import { setFollowView } from '../../client/sync/presence.ts'
import { createWorkshop, joinTable, lookup, startTestServer } from '../helpers/server.ts'
import { connectClient, live, saved } from '../helpers/clients.ts'
import { awarenessMessage, boardPresence } from '../helpers/awareness.ts'
import { until } from '../helpers/wait.ts'
import { useCleanups } from '../helpers/lifecycle.ts'

const track = useCleanups()

async function setup() {
  const server = await startTestServer()
  track(() => server.close())
  const ws = await createWorkshop(server.url, 'Volg mij')
  const info = await lookup(server.url, ws.joinCode)
  const conn = (credential: Credential) => {
    const c = connectClient(server.wsUrl, ws.id, credential)
    track(() => c.destroy())
    return c
  }
  const { raw, statesAfter } = boardPresence(server, ws.id, track)
  /** A facilitator and a projector on the board, the facilitator's presence set. */
  const facilitatorAndProjector = async () => {
    const fac = conn({ kind: 'facilitator', key: ws.facilitatorKey })
    const projector = conn({ kind: 'viewer', code: ws.joinCode })
    await Promise.all([live(fac), live(projector)])
    fac.awareness.setLocalStateField('user', { name: '', color: PRESENCE_PALETTE[1] })
    return { fac, projector }
  }
  return { server, ws, info, raw, statesAfter, facilitatorAndProjector }
}

const VIEW = { x: 640, y: 410, zoom: 0.8 }

describe('follow-me is ephemeral', () => {
  it('a participant cannot put a follow view into awareness as if facilitator: the server drops it', async () => {
    const { server, ws, info, raw, statesAfter } = await setup()
    const carla = await joinTable(server.url, ws.joinCode, 'Carla', info.tables[0]!.id)
    const s = await raw({ kind: 'participant', token: carla.token })
    s.send(
      awarenessMessage(4004, 1, {
        user: { name: 'Carla', color: PRESENCE_PALETTE[0], role: 'facilitator' },
        pointer: { x: 1, y: 2 },
        view: VIEW,
      }),
    )
    const state = (await statesAfter(s)).get(4004)
    expect(state).toBeDefined()
    expect(state).not.toHaveProperty('view')
    expect(state!.pointer).toEqual({ x: 1, y: 2 })
    expect((state!.user as { role: string }).role).toBe('participant')
  })

  it("a facilitator's view reaches the projector through awareness, parsed there", async () => {
    const { ws, raw, statesAfter, facilitatorAndProjector } = await setup()
    const { fac, projector } = await facilitatorAndProjector()
    setFollowView(fac.awareness, VIEW)
    const id = fac.awareness.clientID
    const viewOf = () =>
      (projector.awareness.getStates().get(id) as { view?: unknown } | undefined)?.view
    await until('the projector sees the view', [[projector.awareness, 'change']], () =>
      Boolean(viewOf()),
    )
    expect(viewOf()).toEqual(VIEW)

    // a view that is not one (zoom out of range) does not pass the server either
    const s = await raw({ kind: 'facilitator', key: ws.facilitatorKey })
    s.send(
      awarenessMessage(5005, 1, {
        user: { name: '', color: PRESENCE_PALETTE[0] },
        view: { x: 0, y: 0, zoom: 99 },
      }),
    )
    expect((await statesAfter(s)).has(5005)).toBe(false)

    // withdrawn when follow goes off
    setFollowView(fac.awareness, null)
    await until('the view is withdrawn', [[projector.awareness, 'change']], () => viewOf() === null)
  })

  it("the control doc's log holds no viewport entries during a followed session", async () => {
    const { server, ws, facilitatorAndProjector } = await setup()
    const { fac, projector } = await facilitatorAndProjector()
    setFollowActive(fac.control, true)
    const id = fac.awareness.clientID
    for (let i = 1; i <= 20; i++) {
      const view = { x: i * 10, y: i * 5, zoom: 1 }
      setFollowView(fac.awareness, view)
      await until(
        `the projector sees view ${i}`,
        [[projector.awareness, 'change']],
        () =>
          (projector.awareness.getStates().get(id) as { view?: { x: number } } | undefined)?.view
            ?.x === view.x,
      )
    }
    setFollowActive(fac.control, false)
    await saved(fac)

    const res = await fetch(server.url + HISTORY_API.history(ws.id), {
      headers: { authorization: `Bearer ${ws.facilitatorKey}` },
    })
    expect(res.status).toBe(200)
    const { control } = decodeHistory(new Uint8Array(await res.arrayBuffer()))
    // replay the log entry by entry: follow is written twice (on, off) and never holds a view
    const doc = new Y.Doc()
    let followWrites = 0
    controlRoots(doc).state.observe((e) => {
      if (e.keysChanged.has(CONTROL_KEY.follow)) followWrites++
    })
    for (const entry of control) {
      Y.applyUpdate(doc, entry.data)
      expect(readFollow(doc).viewport).toBeUndefined()
    }
    expect(followWrites).toBe(2)
    expect(readFollow(doc).active).toBe(false)
    doc.destroy()
  })
})
