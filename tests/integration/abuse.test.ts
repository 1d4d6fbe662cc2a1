/**
 * Abuse limits and hostile input at the HTTP edge (issue 13, findings 5, 7, 9, 10, 11, 12): join-code
 * guessing, workshop creation, DNS rebinding, malformed static paths, a full disk, crafted ballots
 * and control characters. Raw node:http requests where fetch would tidy the request up.
 */
import { describe, expect, it } from 'vitest'
import http from 'node:http'
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import WebSocket from 'ws'
import * as Y from 'yjs'
import {
  API,
  HISTORY_API,
  JOIN_CODE_ALPHABET,
  JOIN_CODE_LENGTH,
  ROUND_API,
  ServerConfigResponse,
  formatJoinCode,
} from '../../shared/api.ts'
import { CloseCode, DocName, ErrorCode, MessageType, roomName } from '../../shared/protocol.ts'
import { addCard, listCards } from '../../shared/schema.ts'
import { addTask } from '../../shared/tasks.ts'
import { readRound, roundCriteria } from '../../shared/control.ts'
import type { RateLimits } from '../../server/config.ts'
import { jsonLogger } from '../../server/deps.ts'
import {
  REPO,
  createWorkshop,
  joinTable,
  lookup,
  startTestServer,
  tempDir,
} from '../helpers/server.ts'
import { connectClient, live, saved } from '../helpers/clients.ts'
import { openRaw } from '../helpers/raw.ts'
import { nextEvent, until } from '../helpers/wait.ts'
import { bearerFetch, facilitatedWorkshop } from '../helpers/scenario.ts'
import { makeCard } from '../fixtures/builders.ts'
import { expectApiError, useCleanups } from '../helpers/lifecycle.ts'

const track = useCleanups()

interface RawReply {
  status: number
  headers: http.IncomingHttpHeaders
  text: string
}

/** One request exactly as given: any Host, any path bytes, from a chosen loopback address. */
function rawRequest(
  base: string,
  opts: {
    method?: string
    path?: string
    headers?: Record<string, string>
    body?: string
    localAddress?: string
  } = {},
): Promise<RawReply> {
  const url = new URL(base)
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: opts.method ?? 'GET',
        path: opts.path ?? '/',
        headers: {
          ...(opts.body !== undefined && { 'content-type': 'application/json' }),
          ...opts.headers,
        },
        ...(opts.localAddress && { localAddress: opts.localAddress }),
        agent: false,
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (d: string) => (text += d))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }))
      },
    )
    req.on('error', reject)
    req.end(opts.body)
  })
}

/** A clock the test moves by hand, so buckets refill exactly when the test says. */
function manualClock(start = 1_700_000_000_000) {
  let t = start
  return { now: () => t, advance: (ms: number) => void (t += ms) }
}

const WRONG = 'Q'.repeat(JOIN_CODE_LENGTH)

const tightJoin = (perAddress: number, overall: number): Partial<RateLimits> => ({
  join: {
    perAddress: { burst: perAddress, perSecond: 1 },
    overall: { burst: overall, perSecond: 1 },
    failureCost: 5,
  },
})

describe('join codes cannot be guessed at speed (finding 5)', () => {
  it('join codes are ten letters of the read-aloud alphabet, and a code with dashes, spaces or lower case still finds its workshop', async () => {
    const server = await startTestServer()
    track(() => server.close())
    const ws = await createWorkshop(server.url)
    expect(ws.joinCode).toMatch(new RegExp(`^[${JOIN_CODE_ALPHABET}]{${JOIN_CODE_LENGTH}}$`))
    const grouped = formatJoinCode(ws.joinCode)
    expect(grouped).toMatch(/^.{5}-.{5}$/)
    expect((await lookup(server.url, grouped.toLowerCase())).id).toBe(ws.id)
    expect((await lookup(server.url, grouped.replace('-', ' '))).id).toBe(ws.id)
  })

  it('after the per-address budget, lookups answer 429 RATE_LIMITED with Retry-After, also for the right code, until the bucket refills', async () => {
    const clock = manualClock()
    const server = await startTestServer({ clock, rateLimits: tightJoin(10, 1000) })
    track(() => server.close())
    const ws = await createWorkshop(server.url)
    // two wrong codes cost 5 each: the budget of 10 is spent
    for (let i = 0; i < 2; i++)
      await expectApiError(
        await fetch(server.url + API.lookup(WRONG)),
        404,
        ErrorCode.WorkshopNotFound,
      )
    const limited = await fetch(server.url + API.lookup(ws.joinCode))
    await expectApiError(limited, 429, ErrorCode.RateLimited)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    // every door that takes a code is behind the same limit
    await expectApiError(
      await fetch(server.url + API.joinLink(ws.joinCode)),
      429,
      ErrorCode.RateLimited,
    )
    await expectApiError(await fetch(server.url + API.qr(ws.joinCode)), 429, ErrorCode.RateLimited)
    const joinBody = JSON.stringify({ code: ws.joinCode, name: 'Eva', tableId: 'x' })
    await expectApiError(
      await fetch(server.url + API.join, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: joinBody,
      }),
      429,
      ErrorCode.RateLimited,
    )
    clock.advance(Number(limited.headers.get('retry-after')) * 1000)
    expect((await fetch(server.url + API.lookup(ws.joinCode))).status).toBe(200)
  })

  it('a wrong code costs five times what a right one costs', async () => {
    const server = await startTestServer({ clock: manualClock(), rateLimits: tightJoin(10, 1000) })
    track(() => server.close())
    const ws = await createWorkshop(server.url)
    for (let i = 0; i < 10; i++)
      expect((await fetch(server.url + API.lookup(ws.joinCode))).status).toBe(200)
    expect((await fetch(server.url + API.lookup(ws.joinCode))).status).toBe(429)

    const other = await startTestServer({ clock: manualClock(), rateLimits: tightJoin(10, 1000) })
    track(() => other.close())
    expect((await fetch(other.url + API.lookup(WRONG))).status).toBe(404)
    expect((await fetch(other.url + API.lookup(WRONG))).status).toBe(404)
    expect((await fetch(other.url + API.lookup(WRONG))).status).toBe(429)
  })

  it('the overall limit holds across client addresses; X-Forwarded-For is ignored unless TRUST_PROXY is set', async () => {
    const server = await startTestServer({ clock: manualClock(), rateLimits: tightJoin(10, 15) })
    track(() => server.close())
    const from = (localAddress: string, headers: Record<string, string> = {}) =>
      rawRequest(server.url, { path: API.lookup(WRONG), localAddress, headers })
    expect((await from('127.0.0.2')).status).toBe(404)
    expect((await from('127.0.0.2')).status).toBe(404)
    // 127.0.0.2 is spent; another address still has its own budget, a forged header changes nothing
    expect((await from('127.0.0.2', { 'x-forwarded-for': '10.9.8.7' })).status).toBe(429)
    expect((await from('127.0.0.3')).status).toBe(404)
    // 15 tokens overall are gone (3 wrong codes): a fresh address is refused as well
    const refused = await from('127.0.0.4')
    expect(refused.status).toBe(429)
    expect(JSON.parse(refused.text)).toMatchObject({ error: ErrorCode.RateLimited })

    const proxied = await startTestServer({
      clock: manualClock(),
      trustProxy: true,
      rateLimits: tightJoin(10, 1000),
    })
    track(() => proxied.close())
    const via = (client: string) =>
      rawRequest(proxied.url, { path: API.lookup(WRONG), headers: { 'x-forwarded-for': client } })
    expect((await via('10.0.0.1')).status).toBe(404)
    expect((await via('10.0.0.1')).status).toBe(404)
    expect((await via('10.0.0.1')).status).toBe(429)
    expect((await via('10.0.0.2')).status).toBe(404)
  })

  it('a viewer hello is a join-code attempt too: wrong codes close 4401, and past the limit even the right code closes 4429', async () => {
    const server = await startTestServer({ clock: manualClock(), rateLimits: tightJoin(10, 1000) })
    track(() => server.close())
    const ws = await createWorkshop(server.url)
    const room = `${server.wsUrl}/${roomName(ws.id, DocName.Board)}`
    // right codes are free on the socket: a projector may reconnect all day
    for (let i = 0; i < 12; i++) {
      const ok = await openRaw(room, { hello: { kind: 'viewer', code: ws.joinCode } })
      await ok.next(MessageType.Welcome)
      ok.ws.close()
      await ok.closed
    }
    for (let i = 0; i < 2; i++) {
      const wrong = await openRaw(room, { hello: { kind: 'viewer', code: WRONG } })
      expect((await wrong.closed).code).toBe(CloseCode.Unauthorized)
    }
    const limited = await openRaw(room, { hello: { kind: 'viewer', code: ws.joinCode } })
    expect(await limited.closed).toEqual({
      code: CloseCode.RateLimited,
      reason: ErrorCode.RateLimited,
    })
    // and the REST doors share that budget
    expect((await fetch(server.url + API.lookup(ws.joinCode))).status).toBe(429)
  })
})

describe('workshop creation is limited and can need an organiser key (finding 7)', () => {
  const post = (base: string, headers: Record<string, string> = {}) =>
    fetch(base + API.workshops, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ title: 'Leertuin' }),
    })

  it('past the per-address budget, creation answers 429 with Retry-After', async () => {
    const server = await startTestServer({
      clock: manualClock(),
      rateLimits: {
        create: {
          perAddress: { burst: 3, perSecond: 1 / 60 },
          overall: { burst: 100, perSecond: 1 },
        },
      },
    })
    track(() => server.close())
    for (let i = 0; i < 3; i++) expect((await post(server.url)).status).toBe(201)
    const refused = await post(server.url)
    await expectApiError(refused, 429, ErrorCode.RateLimited)
    expect(Number(refused.headers.get('retry-after'))).toBe(60)
  })

  it('a follow-up workshop counts against the same creation limit', async () => {
    const server = await startTestServer({
      clock: manualClock(),
      rateLimits: {
        create: {
          perAddress: { burst: 2, perSecond: 1 / 60 },
          overall: { burst: 100, perSecond: 1 },
        },
      },
    })
    track(() => server.close())
    const ws = await createWorkshop(server.url)
    const api = bearerFetch(server.url, ws.facilitatorKey)
    const snap = (await (
      await api('POST', HISTORY_API.snapshots(ws.id), { label: 'eind' })
    ).json()) as { id: string }
    expect(
      (await api('POST', HISTORY_API.followUp(ws.id, snap.id), { title: 'Vervolg' })).status,
    ).toBe(201)
    await expectApiError(
      await api('POST', HISTORY_API.followUp(ws.id, snap.id), { title: 'Vervolg 2' }),
      429,
      ErrorCode.RateLimited,
    )
  })

  it('with CREATE_KEY set, creation needs Authorization: Bearer <key>; /api/config tells the client so', async () => {
    const key = 'organiser-key-of-the-gemeente-0001'
    const server = await startTestServer({ createKey: key })
    track(() => server.close())
    expect(ServerConfigResponse.parse(await (await fetch(server.url + API.config)).json())).toEqual(
      { createKeyRequired: true },
    )
    const missing = await expectApiError(await post(server.url), 401, ErrorCode.CreateKeyRequired)
    expect(missing.message).toContain('Authorization: Bearer')
    await expectApiError(
      await post(server.url, { authorization: 'Bearer not-the-key-at-all-000' }),
      401,
      ErrorCode.CreateKeyRequired,
    )
    expect((await post(server.url, { authorization: `Bearer ${key}` })).status).toBe(201)

    const open = await startTestServer()
    track(() => open.close())
    expect(ServerConfigResponse.parse(await (await fetch(open.url + API.config)).json())).toEqual({
      createKeyRequired: false,
    })
  })
})

describe('Host and Origin are checked against the server’s own hosts (finding 9)', () => {
  const create = (base: string, headers: Record<string, string>) =>
    rawRequest(base, {
      method: 'POST',
      path: API.workshops,
      headers,
      body: JSON.stringify({ title: 'Leertuin' }),
    })

  it('the DNS-rebinding shape (Host: evil.example, Origin: http://evil.example) is refused on API, static and WebSocket', async () => {
    const staticDir = tempDir('stip-static-')
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Stip</title>')
    const server = await startTestServer({ staticDir })
    track(() => server.close())
    const evil = { host: 'evil.example', origin: 'http://evil.example' }
    const refused = await create(server.url, evil)
    expect(refused.status).toBe(421)
    expect(JSON.parse(refused.text)).toMatchObject({ error: ErrorCode.UnknownHost })
    expect(
      (await rawRequest(server.url, { path: API.health, headers: { host: 'evil.example' } }))
        .status,
    ).toBe(421)
    expect(
      (await rawRequest(server.url, { path: '/', headers: { host: 'evil.example:8080' } })).status,
    ).toBe(421)
    const ws = await createWorkshop(server.url)
    const socket = new WebSocket(`${server.wsUrl}/${roomName(ws.id, DocName.Board)}`, {
      origin: 'http://evil.example',
      headers: { host: 'evil.example' },
    })
    socket.on('error', () => {})
    const upgrade = await new Promise<number>((resolve) => {
      socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
      socket.once('open', () => resolve(101))
    })
    expect(upgrade).toBe(421)
  })

  it('localhost, 127.0.0.1 and this machine’s own address pass, each with its own Origin', async () => {
    const server = await startTestServer({
      networkInterfaces: () => ({
        eth0: [
          {
            address: '192.168.1.23',
            netmask: '255.255.255.0',
            family: 'IPv4',
            mac: '00:00:00:00:00:00',
            internal: false,
            cidr: null,
          },
        ],
      }),
    })
    track(() => server.close())
    for (const host of [
      `localhost:${server.port}`,
      `127.0.0.1:${server.port}`,
      `192.168.1.23:${server.port}`,
    ]) {
      expect((await create(server.url, { host, origin: `http://${host}` })).status, host).toBe(201)
    }
    // an allowed Host does not let a foreign page in
    expect(
      (
        await create(server.url, {
          host: `127.0.0.1:${server.port}`,
          origin: 'http://evil.example',
        })
      ).status,
    ).toBe(403)
    // another address is not ours
    expect(
      (
        await create(server.url, {
          host: `192.168.1.99:${server.port}`,
          origin: `http://192.168.1.99:${server.port}`,
        })
      ).status,
    ).toBe(421)
  })

  it('PUBLIC_URL’s host passes behind a proxy, and so does the loopback Host a proxy forwards', async () => {
    const server = await startTestServer({ publicUrl: 'https://stip.example.org' })
    track(() => server.close())
    expect(
      (await create(server.url, { host: 'stip.example.org', origin: 'https://stip.example.org' }))
        .status,
    ).toBe(201)
    expect(
      (
        await create(server.url, {
          host: `127.0.0.1:${server.port}`,
          origin: 'https://stip.example.org',
        })
      ).status,
    ).toBe(201)
    expect(
      (await create(server.url, { host: 'evil.example', origin: 'https://stip.example.org' }))
        .status,
    ).toBe(421)
  })
})

describe('static paths and logs (finding 10)', () => {
  it('a NUL byte, an over-long name or a path through a file answer 400 or the app shell, never 500, and the log holds no path', async () => {
    const staticDir = tempDir('stip-static-')
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Stip</title>')
    const lines: string[] = []
    const server = await startTestServer({ staticDir, log: jsonLogger((l) => lines.push(l)) })
    track(() => server.close())
    const secretName = 'geheim-pad-' + 'x'.repeat(4000)
    const cases: [string, number][] = [
      ['/a%00b', 400],
      ['/assets/%00.js', 400],
      [`/${secretName}`, 400],
      [`/${'y'.repeat(300)}/z`, 400],
      ['/index.html/verder', 200],
      ['/%E0%A4%A', 400],
      ['/api/%00', 404],
      [`/api/${secretName}`, 400],
    ]
    for (const [p, status] of cases) {
      const reply = await rawRequest(server.url, { path: p })
      expect(reply.status, p.slice(0, 40)).toBe(status)
    }
    const log = lines.join('\n')
    for (const leak of ['geheim-pad', 'verder', '%00', staticDir, REPO])
      expect(log).not.toContain(leak)
  })
})

describe('a full disk (finding 11)', () => {
  it('report and export answer 200 from what is stored; a snapshot answers 503 STORAGE_FAILED with Retry-After', async () => {
    const MAX_PAGES = 120
    const server = await startTestServer({ store: { maxPageCount: MAX_PAGES }, storageRetryMs: 20 })
    track(() => server.close())
    const { ws, info, fac } = await facilitatedWorkshop(server, track)
    const table = info.tables[0]!.id
    addCard(fac.board, makeCard({ id: 'stored', table, text: 'Opgeslagen voor de storing' }))
    await saved(fac)
    const other = new Database(path.join(server.dataDir, 'stip.db'))
    track(() => other.close())
    other
      .prepare(
        `INSERT INTO updates (workshop_id, doc, seq, time, participant_id, data) VALUES ('filler', 'board', 1, 0, NULL, ?)`,
      )
      .run(Buffer.alloc(MAX_PAGES * 4096))
    const failed = nextEvent<[{ code: string }]>(
      fac,
      'notice',
      (n) => n.code === ErrorCode.StorageFailed,
    )
    addCard(
      fac.board,
      makeCard({ id: 'unsaved', table, text: 'Tijdens de storing ' + 'x'.repeat(20_000) }),
    )
    await failed

    const api = bearerFetch(server.url, ws.facilitatorKey)
    const report = await api('GET', `${HISTORY_API.report(ws.id)}?format=md`)
    expect(report.status).toBe(200)
    const md = await report.text()
    expect(md).toContain('Opgeslagen voor de storing')
    expect(md).not.toContain('Tijdens de storing')
    const exported = await api('GET', HISTORY_API.export(ws.id))
    expect(exported.status).toBe(200)
    const body = (await exported.json()) as { board: { yjsState: string } }
    const board = new Y.Doc()
    Y.applyUpdate(board, Buffer.from(body.board.yjsState, 'base64'))
    expect(listCards(board).map((c) => c.id)).toEqual(['stored'])
    board.destroy()

    const snapshot = await api('POST', HISTORY_API.snapshots(ws.id), { label: 'tijdens' })
    await expectApiError(snapshot, 503, ErrorCode.StorageFailed)
    expect(Number(snapshot.headers.get('retry-after'))).toBeGreaterThan(0)
  })
})

describe('ballots and titles (finding 12)', () => {
  async function openDotsRound() {
    const server = await startTestServer()
    track(() => server.close())
    const { ws, info, fac } = await facilitatedWorkshop(server, track)
    addTask(fac.board, { id: 'task-a', title: 'Een loket', origin: [], author: 'f', created: 1 })
    await saved(fac)
    const p = await joinTable(server.url, ws.joinCode, 'Inge', info.tables[0]!.id)
    const opened = await bearerFetch(server.url, ws.facilitatorKey)('POST', ROUND_API.open(ws.id), {
      kind: 'dots',
      taskIds: ['task-a'],
    })
    const { roundId } = (await opened.json()) as { roundId: string }
    const vote = (body: string) =>
      fetch(server.url + ROUND_API.ballot(ws.id, roundId), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${p.token}` },
        body,
      })
    return { vote }
  }

  it('a ballot keyed by __proto__ is refused and counts no voter; an empty ballot is refused as EMPTY_BALLOT', async () => {
    const { vote } = await openDotsRound()
    await expectApiError(
      await vote('{"dots":{"__proto__":{"task-a":1}}}'),
      400,
      ErrorCode.BadRequest,
    )
    const proto = await expectApiError(
      await vote('{"dots":{"__proto__":1}}'),
      422,
      ErrorCode.BadRequest,
    )
    expect(proto.message).toContain('__proto__')
    await expectApiError(await vote('{"dots":{"constructor":1}}'), 422, ErrorCode.BadRequest)
    await expectApiError(await vote('{"dots":{}}'), 400, ErrorCode.EmptyBallot)
    await expectApiError(await vote('{"dots":{"task-a":0}}'), 400, ErrorCode.EmptyBallot)
    await expectApiError(await vote('{}'), 400, ErrorCode.EmptyBallot)
    const ok = await vote('{"dots":{"task-a":1}}')
    // the refused ballots counted nobody: this is the first voter
    expect(await ok.json()).toEqual({ ok: true, voterCount: 1 })
  })

  it('control characters (C0, DEL, C1) never reach a workshop title, display name, round title, snapshot label or follow-up title', async () => {
    const server = await startTestServer()
    track(() => server.close())
    const dirty = (s: string) => `${s}\u0000\u0007\u001b[2J\u007f\u0085\u009b|`
    const created = await fetch(server.url + API.workshops, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: dirty('Leertuin'), question: dirty('Vraag') }),
    })
    const ws = (await created.json()) as { id: string; joinCode: string; facilitatorKey: string }
    const info = await lookup(server.url, ws.joinCode)
    const CONTROL = /[\u0000-\u001f\u007f-\u009f]/
    expect(info.title).not.toMatch(CONTROL)
    expect(info.title.startsWith('Leertuin')).toBe(true)
    expect(info.question).not.toMatch(CONTROL)
    const p = await joinTable(server.url, ws.joinCode, dirty('Inge'), info.tables[0]!.id)
    expect(p.name).not.toMatch(CONTROL)

    const api = bearerFetch(server.url, ws.facilitatorKey)
    const snap = (await (
      await api('POST', HISTORY_API.snapshots(ws.id), { label: dirty('eind') })
    ).json()) as { id: string; label: string }
    expect(snap.label).not.toMatch(CONTROL)
    const followUp = await api('POST', HISTORY_API.followUp(ws.id, snap.id), {
      title: dirty('Vervolg'),
    })
    expect(followUp.status).toBe(201)
    const next = (await followUp.json()) as { joinCode: string }
    expect((await lookup(server.url, next.joinCode)).title).not.toMatch(CONTROL)

    const fac = connectClient(server.wsUrl, ws.id, { kind: 'facilitator', key: ws.facilitatorKey })
    track(() => fac.destroy())
    await live(fac)
    addTask(fac.board, { id: 'task-a', title: 'Een loket', origin: [], author: 'f', created: 1 })
    await saved(fac)
    const opened = await api('POST', ROUND_API.open(ws.id), {
      kind: 'scores',
      taskIds: ['task-a'],
      title: dirty('Ronde'),
      criteria: [{ id: 'c', label: dirty('Energie') }],
    })
    const { roundId } = (await opened.json()) as { roundId: string }
    await until(
      'round in the control doc',
      [[fac.control, 'update']],
      () => readRound(fac.control, roundId) !== null,
    )
    const round = readRound(fac.control, roundId)!
    expect(round.title).not.toMatch(CONTROL)
    expect(roundCriteria(round)[0]!.label).not.toMatch(CONTROL)
    // a title of nothing but control characters is no title
    await expectApiError(
      await api('POST', HISTORY_API.followUp(ws.id, snap.id), { title: '\u0000\u0085' }),
      400,
      ErrorCode.BadRequest,
    )
  })
})
