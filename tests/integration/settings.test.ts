/**
 * One owner for the settings that govern privacy: the workshop row. The settings route changes
 * it and mirrors it into the board's meta; presence, report, export and lookup follow the row.
 */
import { describe, expect, it } from 'vitest'
import {
  API,
  HISTORY_API,
  type WorkshopSettingsRequest,
  WorkshopSettings,
} from '../../shared/api.ts'
import { type Credential, DocName, ErrorCode, type Notice } from '../../shared/protocol.ts'
import { Anonymity, BOARD_ROOT, addCard, readMeta, writeMeta } from '../../shared/schema.ts'
import { ReportSchema } from '../../shared/report.ts'
import { PRESENCE_PALETTE } from '../../shared/presence.ts'
import type { WorkshopConnection } from '../../client/sync/connection.ts'
import { createWorkshop, joinTable, lookup, startTestServer } from '../helpers/server.ts'
import { connectClient, live, saved } from '../helpers/clients.ts'
import { nextEvent, until } from '../helpers/wait.ts'
import { expectApiError, useCleanups } from '../helpers/lifecycle.ts'

const track = useCleanups()

async function setup(anonymity: Anonymity = Anonymity.Table) {
  const server = await startTestServer()
  track(() => server.close())
  const ws = await createWorkshop(server.url, 'Leertuin', anonymity)
  const info = await lookup(server.url, ws.joinCode)
  const carla = await joinTable(server.url, ws.joinCode, 'Carla', info.tables[0]!.id)
  const conn = (credential: Credential) => {
    const c = connectClient(server.wsUrl, ws.id, credential)
    track(() => c.destroy())
    return c
  }
  const patch = (
    body: unknown,
    token: string = ws.facilitatorKey,
    contentType = 'application/json',
  ) =>
    fetch(server.url + API.settings(ws.id), {
      method: 'PATCH',
      headers: { 'content-type': contentType, authorization: `Bearer ${token}` },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    })
  const change = async (body: WorkshopSettingsRequest) => {
    const res = await patch(body)
    expect(res.status).toBe(200)
    return WorkshopSettings.parse(await res.json())
  }
  const report = async () => {
    const res = await fetch(`${server.url}${HISTORY_API.report(ws.id)}?format=json`, {
      headers: { authorization: `Bearer ${ws.facilitatorKey}` },
    })
    expect(res.status).toBe(200)
    return ReportSchema.parse(await res.json())
  }
  const exported = async () => {
    const res = await fetch(server.url + HISTORY_API.export(ws.id), {
      headers: { authorization: `Bearer ${ws.facilitatorKey}` },
    })
    expect(res.status).toBe(200)
    return (await res.json()) as {
      workshop: { title: string; anonymity: string }
      participants: { name?: string }[]
    }
  }
  return { server, ws, info, carla, conn, patch, change, report, exported }
}

const metaOf = (c: WorkshopConnection) => readMeta(c.board)

describe('the workshop row owns title, language and anonymity; meta mirrors it', () => {
  it('the settings route changes the row and the board meta, and a connected projector sees it', async () => {
    const { server, ws, conn, change } = await setup()
    const projector = conn({ kind: 'viewer', code: ws.joinCode })
    await live(projector)
    const reply = await change({
      title: 'Leertuin, tweede ronde',
      question: 'Wat is er nodig?',
      anonymity: Anonymity.Named,
      language: 'en',
    })
    // the board policy (issue #14) is a row setting too, at its defaults here
    expect(reply).toEqual({
      title: 'Leertuin, tweede ronde',
      question: 'Wat is er nodig?',
      anonymity: 'named',
      language: 'en',
      cardScope: 'own-table',
      sharedTextOpen: false,
      minTableVoters: 3,
    })
    await until(
      'projector sees the new meta',
      [[projector.board, 'update']],
      () => metaOf(projector)?.title === 'Leertuin, tweede ronde',
    )
    expect(metaOf(projector)).toEqual(reply)
    expect(await server.rooms.read(ws.id, DocName.Board, readMeta)).toEqual(reply)
    const info = await lookup(server.url, ws.joinCode)
    expect(info).toMatchObject({
      title: 'Leertuin, tweede ronde',
      question: 'Wat is er nodig?',
      anonymity: 'named',
      language: 'en',
    })
  })

  it('a partial change keeps the other settings as they were', async () => {
    const { change } = await setup()
    const first = await change({ question: 'Eerste vraag' })
    expect(first).toMatchObject({
      title: 'Leertuin',
      question: 'Eerste vraag',
      anonymity: 'table',
      language: 'nl',
    })
    expect(await change({ anonymity: Anonymity.Anonymous })).toEqual({
      ...first,
      anonymity: 'anonymous',
    })
  })

  it('the report takes title, language and anonymity from the row, not from a meta written through Yjs', async () => {
    const { ws, info, carla, conn, change, report } = await setup(Anonymity.Table)
    const facilitator = conn({ kind: 'facilitator', key: ws.facilitatorKey })
    const writer = conn({ kind: 'participant', token: carla.token })
    await Promise.all([live(facilitator), live(writer)])
    // Carla's own card: the server stamps its author with the writer, so only she can write it
    addCard(writer.board, {
      id: 'c1',
      kind: 'vision',
      table: info.tables[0]!.id,
      x: 0,
      y: 0,
      w: 220,
      h: 140,
      author: carla.participantId,
      created: 1,
      text: 'Eén loket',
    })
    await saved(writer)
    // a Yjs write to meta is refused by the write guard and names nobody
    const refused = nextEvent<[Notice]>(
      facilitator,
      'notice',
      (n) => n.code === ErrorCode.Forbidden,
    )
    writeMeta(facilitator.board, {
      title: 'Anders',
      question: '',
      anonymity: Anonymity.Named,
      language: 'en',
    })
    expect((await refused)[0].message).toBe(BOARD_ROOT.meta)
    const before = await report()
    expect(before).toMatchObject({ title: 'Leertuin', anonymity: 'table', workshopLanguage: 'nl' })
    expect(before.tables[0]!.visions).toMatchObject([{ text: 'Eén loket', author: null }])
    await change({ anonymity: Anonymity.Named, title: 'Leertuin benoemd' })
    const after = await report()
    expect(after).toMatchObject({ title: 'Leertuin benoemd', anonymity: 'named' })
    expect(after.tables[0]!.visions).toMatchObject([{ text: 'Eén loket', author: 'Carla' }])
  })

  it('the export names participants only when the row says named', async () => {
    const { change, exported } = await setup(Anonymity.Table)
    expect((await exported()).participants.map((p) => p.name)).toEqual([undefined])
    await change({ anonymity: Anonymity.Named, title: 'Benoemd' })
    const body = await exported()
    expect(body.workshop).toMatchObject({ title: 'Benoemd', anonymity: 'named' })
    expect(body.participants.map((p) => p.name)).toEqual(['Carla'])
  })

  it('live presence follows an anonymity change without reconnecting', async () => {
    const { ws, carla, conn, change } = await setup(Anonymity.Table)
    const participant = conn({ kind: 'participant', token: carla.token })
    const observer = conn({ kind: 'facilitator', key: ws.facilitatorKey })
    await Promise.all([live(participant), live(observer)])
    const id = participant.awareness.clientID
    const seen = () =>
      observer.awareness.getStates().get(id) as
        { user?: { name: string }; pointer?: { x: number } } | undefined
    participant.awareness.setLocalState({
      user: { name: 'Carla', color: PRESENCE_PALETTE[0] },
      pointer: { x: 1, y: 1 },
    })
    await until(
      'observer sees carla',
      [[observer.awareness, 'change']],
      () => seen()?.pointer?.x === 1,
    )
    expect(seen()?.user?.name).toBe('')
    await change({ anonymity: Anonymity.Named })
    participant.awareness.setLocalStateField('pointer', { x: 2, y: 2 })
    await until(
      'observer sees the next state',
      [[observer.awareness, 'change']],
      () => seen()?.pointer?.x === 2,
    )
    expect(seen()?.user?.name).toBe('Carla')
  })
})

describe('the settings route refuses what it must', () => {
  it('a participant gets 403 and nothing changes', async () => {
    const { server, ws, carla, patch } = await setup()
    await expectApiError(await patch({ anonymity: 'named' }, carla.token), 403, ErrorCode.Forbidden)
    expect((await lookup(server.url, ws.joinCode)).anonymity).toBe('table')
  })

  it('an unknown key gets 401', async () => {
    const { patch } = await setup()
    await expectApiError(
      await patch({ title: 'x' }, 'not-a-real-key-at-all'),
      401,
      ErrorCode.Unauthorized,
    )
  })

  it('bad bodies get 400: empty, unknown field, wrong value, a title of control characters only, not JSON', async () => {
    const { server, ws, patch } = await setup()
    for (const body of [
      {},
      { title: 'x', participants: [] },
      { anonymity: 'public' },
      { language: 'de' },
      { title: '\u0000\u0007 ' },
      { title: 'x'.repeat(500) },
    ]) {
      await expectApiError(await patch(body), 400, ErrorCode.BadRequest)
    }
    await expectApiError(await patch('{"title":'), 400, ErrorCode.BadJson)
    expect((await patch({ title: 'x' }, ws.facilitatorKey, 'text/plain')).status).toBe(415)
    expect(await lookup(server.url, ws.joinCode)).toMatchObject({
      title: 'Leertuin',
      anonymity: 'table',
      language: 'nl',
    })
  })
})
