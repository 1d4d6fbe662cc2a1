/**
 * Presence at the protocol level: hand-built awareness messages from raw sockets, and what the
 * server lets into the room's awareness (which is exactly what every peer receives).
 */
import { performance } from 'node:perf_hooks'
import { describe, expect, it } from 'vitest'
import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'
import type { WorkshopConnection } from '../../client/sync/connection.ts'
import { API } from '../../shared/api.ts'
import { AWARENESS_SPACING_MS } from '../../shared/limits.ts'
import { type Credential, DocName, MessageType } from '../../shared/protocol.ts'
import { Anonymity } from '../../shared/schema.ts'
import { FACILITATOR_PERSON, PRESENCE_PALETTE, groupByPerson } from '../../shared/presence.ts'
import { peersOf } from '../../client/sync/presence.ts'
import { createWorkshop, joinTable, lookup, startTestServer } from '../helpers/server.ts'
import { connectClient, live } from '../helpers/clients.ts'
import { awarenessMessage, boardPresence } from '../helpers/awareness.ts'
import { until } from '../helpers/wait.ts'
import { useCleanups } from '../helpers/lifecycle.ts'

const track = useCleanups()
/** The pacing test's mover: its awareness client id and how many moves it makes. */
const MOVER = 1001
const MOVES = 40

async function setup(anonymity: Anonymity = Anonymity.Named) {
  const server = await startTestServer()
  track(() => server.close())
  const ws = await createWorkshop(server.url, 'Presence', anonymity)
  const info = await lookup(server.url, ws.joinCode)
  const carla = await joinTable(server.url, ws.joinCode, 'Carla', info.tables[0]!.id)
  const dirk = await joinTable(server.url, ws.joinCode, 'Dirk', info.tables[1]!.id)
  const conn = (credential: Credential) => {
    const c = connectClient(server.wsUrl, ws.id, credential)
    track(() => c.destroy())
    return c
  }
  const { raw, statesAfter } = boardPresence(server, ws.id, track)
  return { server, ws, info, carla, dirk, conn, raw, statesAfter }
}

const user = (x: WorkshopConnection, clientId: number) =>
  (x.awareness.getStates().get(clientId) as { user?: Record<string, unknown> } | undefined)?.user

describe('presence is built by the server for every role', () => {
  it('a projector never appears among the people present, whatever its awareness claims', async () => {
    const { ws, info, carla, raw, statesAfter } = await setup()
    const participant = await raw({ kind: 'participant', token: carla.token })
    participant.send(
      awarenessMessage(1001, 1, { user: { name: 'Carla', color: PRESENCE_PALETTE[0] } }),
    )
    const projector = await raw({ kind: 'viewer', code: ws.joinCode })
    projector.send(
      awarenessMessage(2002, 1, {
        user: { name: 'Carla', color: PRESENCE_PALETTE[1], table: info.tables[0]!.id },
        pointer: { x: 5, y: 5 },
      }),
    )
    const states = await statesAfter(projector)
    expect(states.has(1001)).toBe(true)
    expect(states.has(2002)).toBe(false)
  })

  it('others see a facilitator as the role, with no table, never as the name it sends', async () => {
    const { ws, info, carla, conn } = await setup()
    const facilitator = conn({ kind: 'facilitator', key: ws.facilitatorKey })
    const participant = conn({ kind: 'participant', token: carla.token })
    await Promise.all([live(facilitator), live(participant)])
    facilitator.awareness.setLocalStateField('user', {
      name: 'Burgemeester',
      color: PRESENCE_PALETTE[2],
      table: info.tables[0]!.id,
    })
    const id = facilitator.awareness.clientID
    await until(
      'participant sees the facilitator',
      [[participant.awareness, 'change']],
      () => user(participant, id)?.color === PRESENCE_PALETTE[2],
    )
    expect(user(participant, id)).toEqual({
      name: '',
      table: null,
      role: 'facilitator',
      color: PRESENCE_PALETTE[2],
      person: FACILITATOR_PERSON,
    })
  })

  it('only whitelisted presence fields pass; a colour outside the palette is replaced', async () => {
    const { info, carla, raw, statesAfter } = await setup()
    const s = await raw({ kind: 'participant', token: carla.token })
    s.send(
      awarenessMessage(3003, 1, {
        user: { name: 'Zelfbedacht', color: '#ffffff', table: info.tables[2]!.id, admin: true },
        pointer: { x: 10, y: 20 },
        editing: 'card-1',
        tracking: 'x'.repeat(200),
      }),
    )
    const state = (await statesAfter(s)).get(3003)
    expect(Object.keys(state ?? {}).sort()).toEqual(['editing', 'pointer', 'user'])
    expect(state?.['user']).toMatchObject({
      name: 'Carla',
      table: info.tables[0]!.id,
      role: 'participant',
    })
    expect(PRESENCE_PALETTE).toContain((state?.['user'] as { color: string }).color)
    expect(Object.keys(state?.['user'] as object).sort()).toEqual([
      'color',
      'name',
      'person',
      'role',
      'table',
    ])
  })

  it('the editor caret passes as y-tiptap writes it: Yjs relative positions with null parts', async () => {
    const { carla, raw, statesAfter } = await setup()
    const doc = new Y.Doc()
    const text = doc.getXmlFragment('body')
    text.insert(0, [new Y.XmlText('Eén loket')])
    // y-tiptap puts the RelativePosition objects themselves in awareness, not relativePositionToJSON
    const cursor = {
      anchor: Y.createRelativePositionFromTypeIndex(text, 0),
      head: Y.createRelativePositionFromTypeIndex(text, 1),
    }
    const s = await raw({ kind: 'participant', token: carla.token })
    s.send(
      awarenessMessage(3303, 1, { user: { name: 'Carla', color: PRESENCE_PALETTE[0] }, cursor }),
    )
    const state = (await statesAfter(s)).get(3303)
    expect(state?.['cursor']).toEqual(JSON.parse(JSON.stringify(cursor)))
    doc.destroy()
  })

  it('a presence state that does not match the schema is refused and the last good one stays', async () => {
    const { carla, raw, statesAfter } = await setup()
    const s = await raw({ kind: 'participant', token: carla.token })
    s.send(
      awarenessMessage(4004, 1, {
        user: { name: 'Carla', color: PRESENCE_PALETTE[0] },
        pointer: { x: 1, y: 2 },
      }),
    )
    s.send(
      awarenessMessage(4004, 2, {
        user: { name: 'Carla', color: PRESENCE_PALETTE[0] },
        pointer: 'everywhere',
      }),
    )
    s.send(awarenessMessage(4004, 3, [1, 2, 3]))
    const state = (await statesAfter(s)).get(4004)
    expect(state?.['pointer']).toEqual({ x: 1, y: 2 })
  })
})

describe('an awareness client id is bound to its socket', () => {
  it("a socket whose first awareness message names another peer's client id does not take over that presence", async () => {
    const { carla, dirk, raw, statesAfter } = await setup()
    const victim = await raw({ kind: 'participant', token: carla.token })
    victim.send(
      awarenessMessage(5005, 1, {
        user: { name: 'Carla', color: PRESENCE_PALETTE[0] },
        pointer: { x: 1, y: 1 },
      }),
    )
    await statesAfter(victim)
    const attacker = await raw({ kind: 'participant', token: dirk.token })
    attacker.send(
      awarenessMessage(5005, 9, {
        user: { name: 'Dirk', color: PRESENCE_PALETTE[5] },
        pointer: { x: 666, y: 666 },
      }),
    )
    const state = (await statesAfter(attacker)).get(5005)
    expect(state).toMatchObject({ user: { name: 'Carla' }, pointer: { x: 1, y: 1 } })
    // the victim keeps its own id
    victim.send(
      awarenessMessage(5005, 2, {
        user: { name: 'Carla', color: PRESENCE_PALETTE[0] },
        pointer: { x: 2, y: 2 },
      }),
    )
    expect((await statesAfter(victim)).get(5005)?.['pointer']).toEqual({ x: 2, y: 2 })
  })

  it("a socket can neither update nor remove another id's state after announcing its own", async () => {
    const { carla, dirk, raw, statesAfter } = await setup()
    const victim = await raw({ kind: 'participant', token: carla.token })
    victim.send(awarenessMessage(6006, 1, { user: { name: 'Carla', color: PRESENCE_PALETTE[0] } }))
    await statesAfter(victim)
    const other = await raw({ kind: 'participant', token: dirk.token })
    other.send(awarenessMessage(7007, 1, { user: { name: 'Dirk', color: PRESENCE_PALETTE[1] } }))
    other.send(awarenessMessage(6006, 50, null))
    other.send(awarenessMessage(6006, 51, { user: { name: 'Dirk', color: PRESENCE_PALETTE[1] } }))
    const states = await statesAfter(other)
    expect(states.get(6006)).toMatchObject({ user: { name: 'Carla' } })
    expect(states.get(7007)).toMatchObject({ user: { name: 'Dirk' } })
  })

  it('closing a socket removes only its own presence, and frees its id for a reconnect', async () => {
    const { carla, dirk, raw, conn, statesAfter } = await setup()
    const observer = conn({ kind: 'participant', token: carla.token })
    await live(observer)
    const stays = await raw({ kind: 'participant', token: carla.token })
    stays.send(awarenessMessage(8008, 1, { user: { name: 'Carla', color: PRESENCE_PALETTE[0] } }))
    const leaves = await raw({ kind: 'participant', token: dirk.token })
    leaves.send(awarenessMessage(9009, 1, { user: { name: 'Dirk', color: PRESENCE_PALETTE[1] } }))
    await statesAfter(leaves)
    await until(
      'observer sees both',
      [[observer.awareness, 'change']],
      () => user(observer, 8008) !== undefined && user(observer, 9009) !== undefined,
    )
    leaves.ws.close()
    await until(
      'observer sees dirk leave',
      [[observer.awareness, 'change']],
      () => user(observer, 9009) === undefined,
    )
    expect(user(observer, 8008)).toMatchObject({ name: 'Carla' })
    // the same tab reconnecting keeps its Yjs client id: it must get it back
    const back = await raw({ kind: 'participant', token: dirk.token })
    back.send(awarenessMessage(9009, 5, { user: { name: 'Dirk', color: PRESENCE_PALETTE[1] } }))
    expect((await statesAfter(back)).get(9009)).toMatchObject({ user: { name: 'Dirk' } })
  })
})

describe('[issue 14.6] a person counts once, however many tabs and devices', () => {
  it('one participant in two tabs is one person in presence; another participant and the facilitators are one each', async () => {
    const { ws, carla, dirk, conn } = await setup()
    const tabs = [
      conn({ kind: 'participant', token: carla.token }),
      conn({ kind: 'participant', token: carla.token }),
    ]
    const other = conn({ kind: 'participant', token: dirk.token })
    const facilitators = [
      conn({ kind: 'facilitator', key: ws.facilitatorKey }),
      conn({ kind: 'facilitator', key: ws.facilitatorKey }),
    ]
    const all = [...tabs, other, ...facilitators]
    await Promise.all(all.map(live))
    // each announces itself as the board does, with the key its Welcome gave it; the server
    // stamps who it is for the others
    all.forEach((c, i) => {
      c.awareness.setLocalStateField('user', {
        name: `tab ${i}`,
        color: PRESENCE_PALETTE[0],
        person: c.welcome?.person ?? undefined,
      })
      c.awareness.setLocalStateField('pointer', { x: i, y: i })
    })
    const ids = all.filter((c) => c !== other).map((c) => c.awareness.clientID)
    await until('dirk sees the other four presences', [[other.awareness, 'change']], () =>
      ids.every((id) => user(other, id)?.['person']),
    )
    const person = (c: WorkshopConnection) => user(other, c.awareness.clientID)?.['person']
    expect(person(tabs[0]!)).toBe(person(tabs[1]!))
    expect(person(other)).not.toBe(person(tabs[0]!))
    expect(facilitators.map(person)).toEqual([FACILITATOR_PERSON, FACILITATOR_PERSON])
    // what the presence list counts: Carla, Dirk (this connection) and the facilitators
    const people = groupByPerson(peersOf(other.awareness))
    expect(people).toHaveLength(3)
    expect(people.map((g) => g.length).sort()).toEqual([1, 2, 2])
    // each connection was told its own key, so a tab can group itself with its other tabs
    expect(tabs.map((c) => c.welcome?.person)).toEqual([person(tabs[0]!), person(tabs[0]!)])
    expect(facilitators[0]!.welcome?.person).toBe(FACILITATOR_PERSON)
  })

  it('a client cannot claim to be someone else by sending their person key', async () => {
    const { carla, dirk, raw, statesAfter } = await setup()
    const keyIn = (states: Map<number, Record<string, unknown>>, id: number) =>
      (states.get(id)?.['user'] as { person?: string } | undefined)?.person
    const real = await raw({ kind: 'participant', token: carla.token })
    real.send(awarenessMessage(7106, 1, { user: { name: 'Carla', color: PRESENCE_PALETTE[0] } }))
    const carlaKey = keyIn(await statesAfter(real), 7106)
    expect(carlaKey).toBeDefined()
    const s = await raw({ kind: 'participant', token: dirk.token })
    s.send(
      awarenessMessage(7107, 1, {
        user: { name: 'Dirk', color: PRESENCE_PALETTE[1], person: carlaKey },
      }),
    )
    const dirkKey = keyIn(await statesAfter(s), 7107)
    expect(dirkKey).toBeDefined()
    expect(dirkKey).not.toBe(carlaKey)
  })
})

describe('[issue 13] an anonymity change reaches live presence at once', () => {
  const setAnonymity = async (
    base: string,
    ws: { id: string; facilitatorKey: string },
    anonymity: Anonymity,
  ) => {
    const res = await fetch(base + API.settings(ws.id), {
      method: 'PATCH',
      headers: { authorization: `Bearer ${ws.facilitatorKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ anonymity }),
    })
    expect(res.status).toBe(200)
  }

  it("others' view of a peer loses its name and table without any new awareness update from that peer, and gets them back", async () => {
    const { server, ws, info, carla, dirk, conn, raw, statesAfter } = await setup(Anonymity.Named)
    const observer = conn({ kind: 'participant', token: dirk.token })
    await live(observer)
    // Carla's one and only awareness message: the raw socket never renews it
    const s = await raw({ kind: 'participant', token: carla.token })
    s.send(
      awarenessMessage(7301, 1, {
        user: { name: 'Carla', color: PRESENCE_PALETTE[0] },
        pointer: { x: 4, y: 4 },
      }),
    )
    await statesAfter(s)
    await until(
      'dirk sees carla named',
      [[observer.awareness, 'change']],
      () => user(observer, 7301)?.['name'] === 'Carla',
    )
    expect(user(observer, 7301)).toMatchObject({ table: info.tables[0]!.id })

    await setAnonymity(server.url, ws, Anonymity.Anonymous)
    await until(
      'dirk sees carla anonymous',
      [[observer.awareness, 'change']],
      () => user(observer, 7301)?.['name'] === '',
    )
    expect(user(observer, 7301)).toMatchObject({ table: null, role: 'participant' })
    // the rest of her presence is kept
    expect(observer.awareness.getStates().get(7301)).toMatchObject({ pointer: { x: 4, y: 4 } })
    // a move she sent before the stamp reached her carries the clock the stamp took: still taken
    s.send(
      awarenessMessage(7301, 2, {
        user: { name: 'Carla', color: PRESENCE_PALETTE[0] },
        pointer: { x: 5, y: 5 },
      }),
    )
    await until(
      'dirk sees the move that crossed the stamp',
      [[observer.awareness, 'change']],
      () =>
        (observer.awareness.getStates().get(7301) as { pointer?: { x: number } }).pointer?.x === 5,
    )
    expect(user(observer, 7301)).toMatchObject({ name: '', table: null })

    await setAnonymity(server.url, ws, Anonymity.Named)
    await until(
      'dirk sees carla named again',
      [[observer.awareness, 'change']],
      () => user(observer, 7301)?.['name'] === 'Carla',
    )
    expect(user(observer, 7301)).toMatchObject({ table: info.tables[0]!.id })
  })

  it('a peer whose presence was stamped again goes on updating it, and nothing loops', async () => {
    const { server, ws, info, carla, dirk, conn } = await setup(Anonymity.Named)
    const participant = conn({ kind: 'participant', token: carla.token })
    const observer = conn({ kind: 'participant', token: dirk.token })
    await Promise.all([live(participant), live(observer)])
    const id = participant.awareness.clientID
    const pointer = () =>
      (observer.awareness.getStates().get(id) as { pointer?: { x: number } } | undefined)?.pointer
        ?.x
    participant.awareness.setLocalState({
      user: { name: 'Carla', color: PRESENCE_PALETTE[0] },
      pointer: { x: 1, y: 1 },
    })
    await until('dirk sees carla', [[observer.awareness, 'change']], () => pointer() === 1)
    expect(user(observer, id)).toMatchObject({ name: 'Carla', table: info.tables[0]!.id })

    await setAnonymity(server.url, ws, Anonymity.Table)
    await until(
      'dirk sees carla by table only',
      [[observer.awareness, 'change']],
      () => user(observer, id)?.['name'] === '',
    )
    expect(user(observer, id)).toMatchObject({ table: info.tables[0]!.id })
    // her next update is newer than the server's stamp, so it is not dropped as old
    participant.awareness.setLocalStateField('pointer', { x: 2, y: 2 })
    await until('dirk sees her next move', [[observer.awareness, 'change']], () => pointer() === 2)
    expect(user(observer, id)).toMatchObject({ name: '', table: info.tables[0]!.id })

    // the server holds one state per socket and does not keep re-stamping: the room settles
    const room = server.rooms.get(ws.id, DocName.Board)!
    const clock = room.awareness.meta.get(id)!.clock
    participant.awareness.setLocalStateField('pointer', { x: 3, y: 3 })
    await until('dirk sees the third move', [[observer.awareness, 'change']], () => pointer() === 3)
    expect(room.awareness.meta.get(id)!.clock).toBe(clock + 1)
  })
})

describe('presence is paced: many moving pointers are not a frame per server turn', () => {
  it('a room sends presence at most once per AWARENESS_SPACING_MS, and its last frame holds the latest state', async () => {
    const { carla, dirk, raw } = await setup()
    const mover = await raw({ kind: 'participant', token: carla.token })
    const watcher = await raw({ kind: 'participant', token: dirk.token })
    // every presence frame the watcher gets: the pointer x it carries for the mover's id
    const frames: (number | null)[] = []
    watcher.ws.on('message', (data: Buffer) => {
      const d = decoding.createDecoder(new Uint8Array(data))
      if (decoding.readVarUint(d) !== MessageType.Awareness) return
      const u = decoding.createDecoder(decoding.readVarUint8Array(d))
      let x: number | null = null
      for (let n = decoding.readVarUint(u); n > 0; n--) {
        const client = decoding.readVarUint(u)
        decoding.readVarUint(u)
        const state = JSON.parse(decoding.readVarString(u)) as { pointer?: { x: number } } | null
        if (client === MOVER) x = state?.pointer?.x ?? null
      }
      frames.push(x)
    })
    const started = performance.now()
    // one move per round trip, so the moves reach the server in turns of their own
    for (let x = 1; x <= MOVES; x++) {
      mover.messages.length = 0
      mover.send(
        awarenessMessage(MOVER, x, {
          user: { name: 'Carla', color: PRESENCE_PALETTE[0] },
          pointer: { x, y: 0 },
        }),
      )
      mover.send(new Uint8Array([MessageType.QueryAwareness]))
      await mover.next(MessageType.Awareness)
    }
    await until('the watcher gets the last move', [[watcher.ws, 'message']], () =>
      frames.includes(MOVES),
    )
    const elapsed = performance.now() - started
    // frames leave the server AWARENESS_SPACING_MS apart at least, none before `started`
    expect(frames.length).toBeLessThanOrEqual(Math.floor(elapsed / AWARENESS_SPACING_MS) + 1)
    expect(frames.length).toBeLessThan(MOVES)
    expect(frames.at(-1)).toBe(MOVES)
  })
})
