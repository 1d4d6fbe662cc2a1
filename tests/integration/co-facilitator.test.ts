/**
 * Issue #11 point 2: a co-facilitator link is a second secret with its own row. It gives the
 * facilitator's role on the board and in the REST routes; revoking it closes its sockets at once
 * and refuses its REST calls (403), while the facilitator's own key keeps working.
 */
import path from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import {
  CO_FACILITATOR_API,
  CoFacilitatorList,
  CreateCoFacilitatorResponse,
  HISTORY_API,
  WhoAmIResponse,
  API,
} from '../../shared/api.ts'
import { CloseCode, ErrorCode, MessageType } from '../../shared/protocol.ts'
import { SCHEMA_VERSION, openSqliteStore } from '../../server/store/sqlite.ts'
import { startTestServer } from '../helpers/server.ts'
import { bearerFetch, facilitatedWorkshop } from '../helpers/scenario.ts'
import { connectClient, live } from '../helpers/clients.ts'
import { openRaw } from '../helpers/raw.ts'
import { expectApiError, useCleanups } from '../helpers/lifecycle.ts'

const track = useCleanups()

async function withLink() {
  const server = await startTestServer()
  track(() => server.close())
  const { ws, info, fac } = await facilitatedWorkshop(server, track)
  const owner = bearerFetch(server.url, ws.facilitatorKey)
  const res = await owner('POST', CO_FACILITATOR_API.links(ws.id), { label: 'Karin' })
  expect(res.status).toBe(201)
  const link = CreateCoFacilitatorResponse.parse(await res.json())
  return { server, ws, info, fac, owner, link, co: bearerFetch(server.url, link.key) }
}

describe('co-facilitator links', () => {
  it('a co-facilitator link opens the board as facilitator, and its link carries the key and the join code', async () => {
    const { server, ws, link, co } = await withLink()
    expect(link.label).toBe('Karin')
    expect(link.link).toContain(`/w/${ws.id}/facilitate#key=${link.key}`)
    expect(link.link).toContain(`code=${ws.joinCode}`)
    expect(link.key).not.toBe(ws.facilitatorKey)

    const me = WhoAmIResponse.parse(await (await co('GET', API.whoami(ws.id))).json())
    expect(me).toMatchObject({ role: 'facilitator', coFacilitator: true, joinCode: ws.joinCode })
    const ownerMe = WhoAmIResponse.parse(
      await (await bearerFetch(server.url, ws.facilitatorKey)('GET', API.whoami(ws.id))).json(),
    )
    expect(ownerMe.coFacilitator).toBe(false)

    const c = connectClient(server.wsUrl, ws.id, { kind: 'facilitator', key: link.key })
    track(() => c.destroy())
    await live(c)
    expect(c.welcome).toMatchObject({ role: 'facilitator', readOnly: false })
    // the facilitator's REST routes answer the link too (report), but not the owner's ones
    expect((await co('GET', HISTORY_API.report(ws.id))).status).toBe(200)
    await expectApiError(await co('GET', CO_FACILITATOR_API.links(ws.id)), 403, ErrorCode.Forbidden)
    await expectApiError(
      await co('POST', CO_FACILITATOR_API.links(ws.id), {}),
      403,
      ErrorCode.Forbidden,
    )
    await expectApiError(await co('DELETE', HISTORY_API.workshop(ws.id)), 403, ErrorCode.Forbidden)
  })

  it('revoking a link closes its open sockets at once and refuses its REST calls with 403; the owner key keeps working', async () => {
    const { server, ws, fac, owner, link, co } = await withLink()
    const raw = await openRaw(`${server.wsUrl}/${ws.id}/control`, {
      hello: { kind: 'facilitator', key: link.key },
    })
    await raw.next(MessageType.Welcome)
    const c = connectClient(server.wsUrl, ws.id, { kind: 'facilitator', key: link.key })
    track(() => c.destroy())
    await live(c)
    const closedBoard = new Promise<number>((resolve) =>
      c.boardLink.provider.on('connection-close', (e) => resolve(e?.code ?? 0)),
    )

    const res = await owner('DELETE', CO_FACILITATOR_API.link(ws.id, link.id))
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ revoked: link.id })
    expect((await raw.closed).code).toBe(CloseCode.Unauthorized)
    expect(await closedBoard).toBe(CloseCode.Unauthorized)
    // final: the client does not come back with the revoked key
    expect(c.boardLink.provider.shouldConnect).toBe(false)

    await expectApiError(await co('GET', API.whoami(ws.id)), 403, ErrorCode.Forbidden)
    await expectApiError(await co('GET', HISTORY_API.report(ws.id)), 403, ErrorCode.Forbidden)
    // a new socket with the revoked key is refused at its hello
    const again = await openRaw(`${server.wsUrl}/${ws.id}/board`, {
      hello: { kind: 'facilitator', key: link.key },
    })
    expect((await again.closed).code).toBe(CloseCode.Unauthorized)

    // the facilitator is untouched, and sees the link as revoked
    expect(fac.status.kind).toBe('live')
    const list = CoFacilitatorList.parse(
      await (await owner('GET', CO_FACILITATOR_API.links(ws.id))).json(),
    )
    expect(list.links).toEqual([expect.objectContaining({ id: link.id, label: 'Karin' })])
    expect(list.links[0]!.revokedAt).toEqual(expect.any(Number))
    // revoking twice finds no live link
    await expectApiError(
      await owner('DELETE', CO_FACILITATOR_API.link(ws.id, link.id)),
      404,
      ErrorCode.NotFound,
    )
  })

  it('a key that was never a link is unknown (401), not revoked', async () => {
    const { ws, server } = await withLink()
    const stranger = bearerFetch(server.url, 'x'.repeat(22))
    await expectApiError(await stranger('GET', API.whoami(ws.id)), 401, ErrorCode.Unauthorized)
  })

  it('deleting the workshop removes its co-facilitator rows', async () => {
    const { server, ws, owner } = await withLink()
    expect((await owner('DELETE', HISTORY_API.workshop(ws.id))).status).toBe(204)
    const check = openSqliteStore({ dataDir: server.dataDir })
    try {
      expect(check.rowsForWorkshop(ws.id).co_facilitators).toBe(0)
    } finally {
      check.close()
    }
  })

  it('the migration adds the co-facilitator table to a file of the version before', async () => {
    const server = await startTestServer()
    const dataDir = server.dataDir
    await server.close()
    const old = new Database(path.join(dataDir, 'stip.db'))
    old.exec('DROP TABLE co_facilitators')
    old.pragma(`user_version = ${SCHEMA_VERSION - 1}`)
    old.close()
    const store = openSqliteStore({ dataDir })
    try {
      expect(store.coFacilitators('nobody00')).toEqual([])
      const db = new Database(path.join(dataDir, 'stip.db'), { readonly: true })
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
      db.close()
    } finally {
      store.close()
    }
  })
})
