import { describe, expect, it } from 'vitest'
import fs from 'node:fs'
import path from 'node:path'
import {
  API,
  CreateWorkshopResponse,
  HISTORY_API,
  WhoAmIResponse,
  WorkshopInfo,
} from '../../shared/api.ts'
import { ErrorCode } from '../../shared/protocol.ts'
import { MAX_JSON_BODY_BYTES } from '../../shared/limits.ts'
import { createWorkshop, joinTable, lookup, startTestServer, tempDir } from '../helpers/server.ts'
import { expectApiError, useCleanups } from '../helpers/lifecycle.ts'

const track = useCleanups()

async function server() {
  const s = await startTestServer()
  track(() => s.close())
  return s
}

const post = (
  url: string,
  body: string,
  headers: Record<string, string> = { 'content-type': 'application/json' },
) => fetch(url, { method: 'POST', headers, body })

const expectError = expectApiError

describe('REST API', () => {
  it('every answer carries the same-host Content-Security-Policy: app shell, JSON, errors, QR, report', async () => {
    const staticDir = tempDir()
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Stip</title>')
    const s = await startTestServer({ staticDir })
    track(() => s.close())
    const ws = await createWorkshop(s.url)
    const report = await fetch(s.url + HISTORY_API.report(ws.id) + '?format=html', {
      headers: { authorization: `Bearer ${ws.facilitatorKey}` },
    })
    const answers = [
      await fetch(s.url + '/w/abc'),
      await fetch(s.url + API.health),
      await fetch(s.url + API.lookup('ZZZZZZ')),
      await fetch(s.url + API.qr(ws.joinCode)),
      report,
    ]
    expect(answers.map((r) => r.status)).toEqual([200, 200, 404, 200, 200])
    for (const r of answers) {
      const csp = r.headers.get('content-security-policy') ?? ''
      expect(csp, r.url).toContain("default-src 'self'")
      expect(csp, r.url).toContain("script-src 'self'")
      expect(csp, r.url).toContain("connect-src 'self'")
    }
  })

  it('a path with broken percent-encoding gets 400, not a server error', async () => {
    const staticDir = tempDir()
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Stip</title>')
    const s = await startTestServer({ staticDir })
    track(() => s.close())
    const res = await fetch(s.url + '/%E0%A4%A')
    expect(res.status).toBe(400)
    expect((await fetch(s.url + API.health)).status).toBe(200)
  })

  it('creates a workshop with id, join code, facilitator key and three links', async () => {
    const s = await server()
    const res = await post(
      s.url + API.workshops,
      JSON.stringify({ title: 'Diner pensant', question: 'Hoe over 5 jaar?' }),
    )
    expect(res.status).toBe(201)
    const body = CreateWorkshopResponse.parse(await res.json())
    expect(body.joinCode).toMatch(/^[A-Z2-9]{10}$/)
    expect(body.links.participant).toBe(`${s.url}/j/${body.joinCode}`)
    expect(body.links.facilitator).toContain(`#key=${body.facilitatorKey}`)
    expect(body.links.projector).toContain(`/w/${body.id}/present`)
    const info = await lookup(s.url, body.joinCode.toLowerCase())
    expect(info.question).toBe('Hoe over 5 jaar?')
    expect(info.tables.map((t) => t.name)).toEqual(['Inwoner', 'Management', 'Openbaar bestuur'])
  })

  it('join returns a participant token; who-am-i resolves token and facilitator key', async () => {
    const s = await server()
    const ws = await createWorkshop(s.url)
    const info = await lookup(s.url, ws.joinCode)
    const p = await joinTable(s.url, ws.joinCode, '  Daan  ', info.tables[1]!.id)
    expect(p.name).toBe('Daan')
    expect(p.token.length).toBeGreaterThanOrEqual(22)
    const me = WhoAmIResponse.parse(
      await (
        await fetch(s.url + API.whoami(ws.id), { headers: { authorization: `Bearer ${p.token}` } })
      ).json(),
    )
    expect(me).toMatchObject({ role: 'participant', name: 'Daan', tableId: info.tables[1]!.id })
    const fac = WhoAmIResponse.parse(
      await (
        await fetch(s.url + API.whoami(ws.id), {
          headers: { authorization: `Bearer ${ws.facilitatorKey}` },
        })
      ).json(),
    )
    expect(fac.role).toBe('facilitator')
    const full = WorkshopInfo.parse(
      await (
        await fetch(s.url + API.workshop(ws.id), {
          headers: { authorization: `Bearer ${p.token}` },
        })
      ).json(),
    )
    expect(full.id).toBe(ws.id)
  })

  it('bad input gets a clear error code and creates nothing', async () => {
    const s = await server()
    await expectError(await post(s.url + API.workshops, '{"title": '), 400, ErrorCode.BadJson)
    const schema = await expectError(
      await post(s.url + API.workshops, JSON.stringify({ title: '' })),
      400,
      ErrorCode.BadRequest,
    )
    expect(schema.issues?.[0]?.path).toBe('title')
    await expectError(
      await post(s.url + API.workshops, 'x'.repeat(MAX_JSON_BODY_BYTES + 10)),
      413,
      ErrorCode.TooLarge,
    )
    await expectError(
      await post(s.url + API.workshops, '{}', { 'content-type': 'text/plain' }),
      415,
      ErrorCode.BadRequest,
    )
    const ws = await createWorkshop(s.url)
    await expectError(
      await post(
        s.url + API.join,
        JSON.stringify({ code: ws.joinCode, name: 'E', tableId: 'nope' }),
      ),
      400,
      ErrorCode.TableNotFound,
    )
    await expectError(
      await post(
        s.url + API.join,
        JSON.stringify({ code: 'QQQQQQQQQQ', name: 'E', tableId: 'nope' }),
      ),
      404,
      ErrorCode.WorkshopNotFound,
    )
    await expectError(await fetch(s.url + API.lookup('!!')), 404, ErrorCode.WorkshopNotFound)
    await expectError(
      await fetch(s.url + API.whoami(ws.id), {
        headers: { authorization: 'Bearer ' + 'x'.repeat(22) },
      }),
      401,
      ErrorCode.Unauthorized,
    )
    await expectError(await fetch(s.url + '/api/nothing'), 404, ErrorCode.NotFound)
  })

  it('refuses state-changing requests from a foreign origin', async () => {
    const s = await server()
    await expectError(
      await post(s.url + API.workshops, JSON.stringify({ title: 'x' }), {
        'content-type': 'application/json',
        origin: 'https://evil.example',
      }),
      403,
      ErrorCode.Forbidden,
    )
  })

  it('serves the join link as a QR code SVG from its own host', async () => {
    const s = await server()
    const ws = await createWorkshop(s.url)
    const res = await fetch(s.url + API.qr(ws.joinCode))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/svg+xml')
    const svg = await res.text()
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 (\d+) \1"/)
    expect(svg).not.toContain('href')
    expect((await fetch(s.url + API.qr('QQQQQQ'))).status).toBe(404)
  })

  it('health reports rooms, connections and storage state', async () => {
    const s = await server()
    const res = await fetch(s.url + API.health)
    expect(await res.json()).toMatchObject({ ok: true, rooms: 0, connections: 0, storage: 'ok' })
  })
})
