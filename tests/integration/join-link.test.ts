import { describe, expect, it } from 'vitest'
import http from 'node:http'
import type { NetworkInterfaceInfo } from 'node:os'
import { API, JoinLinkResponse, ROUTES } from '../../shared/api.ts'
import type { NetworkInterfaces } from '../../server/config.ts'
import { isLoopbackHost, qrSvg } from '../../server/http/qr.ts'
import { createWorkshop, startTestServer } from '../helpers/server.ts'
import { useCleanups } from '../helpers/lifecycle.ts'

const track = useCleanups()

const MAC = '00:00:00:00:00:00'
const v4 = (address: string, internal = false): NetworkInterfaceInfo => ({
  address,
  family: 'IPv4',
  internal,
  netmask: '255.255.255.0',
  mac: MAC,
  cidr: null,
})
const v6 = (address: string, internal = false): NetworkInterfaceInfo => ({
  address,
  family: 'IPv6',
  internal,
  netmask: 'ffff:ffff:ffff:ffff::',
  mac: MAC,
  cidr: null,
  scopeid: 0,
})

/** A laptop on a meeting-room network: loopback, a link-local leftover, then the Wi-Fi address. */
const LAPTOP: NetworkInterfaces = {
  lo: [v4('127.0.0.1', true), v6('::1', true)],
  eth0: [v4('169.254.10.20'), v6('fe80::1')],
  wlan0: [v6('fe80::2'), v4('192.168.1.23')],
}
const OFFLINE: NetworkInterfaces = { lo: [v4('127.0.0.1', true)], eth0: [v6('fe80::1')] }

async function server(opts: Parameters<typeof startTestServer>[0]) {
  const s = await startTestServer(opts)
  track(() => s.close())
  const ws = await createWorkshop(s.url)
  return { s, ws }
}

/** GET with a chosen Host header (fetch does not let a caller set Host). */
function get(url: string, host?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: host ? { host } : {} }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
  })
}

async function joinLink(base: string, code: string, host?: string): Promise<JoinLinkResponse> {
  const res = await get(base + API.joinLink(code), host)
  expect(res.status).toBe(200)
  return JoinLinkResponse.parse(JSON.parse(res.body))
}

describe('join link and QR host', () => {
  it('a projector opened on localhost gets the machine’s network address (same port) in link and QR', async () => {
    const { s, ws } = await server({ host: '0.0.0.0', networkInterfaces: () => LAPTOP })
    const expected = `http://192.168.1.23:${s.port}${ROUTES.join(ws.joinCode)}`
    for (const host of [`localhost:${s.port}`, `127.0.0.1:${s.port}`, `[::1]:${s.port}`]) {
      expect(await joinLink(s.url, ws.joinCode, host)).toEqual({ url: expected, loopback: false })
      const qr = await get(s.url + API.qr(ws.joinCode), host)
      expect(qr.body).toBe(qrSvg(expected))
    }
    // the new workshop's participant link too; the facilitator's own links stay on its host
    expect(ws.links.participant).toBe(expected)
    expect(ws.links.facilitator.startsWith(`${s.url}/`)).toBe(true)
  })

  it('a request that came by a configured network name keeps that name', async () => {
    // a name must be configured (ALLOWED_ORIGINS or PUBLIC_URL): an unknown one is the DNS-rebinding shape
    const { s, ws } = await server({
      host: '0.0.0.0',
      allowedOrigins: ['http://stip.school.lan:8080'],
      networkInterfaces: () => LAPTOP,
    })
    expect(await joinLink(s.url, ws.joinCode, 'stip.school.lan:8080')).toEqual({
      url: `http://stip.school.lan:8080${ROUTES.join(ws.joinCode)}`,
      loopback: false,
    })
  })

  it('PUBLIC_URL wins over the request and the interfaces', async () => {
    const { s, ws } = await server({
      host: '0.0.0.0',
      publicUrl: 'https://stip.example.org/',
      networkInterfaces: () => LAPTOP,
    })
    expect(await joinLink(s.url, ws.joinCode, `localhost:${s.port}`)).toEqual({
      url: `https://stip.example.org${ROUTES.join(ws.joinCode)}`,
      loopback: false,
    })
    expect((await get(s.url + API.qr(ws.joinCode))).body).toBe(
      qrSvg(`https://stip.example.org${ROUTES.join(ws.joinCode)}`),
    )
  })

  it('stays on loopback, and says so, when no network address can reach the server', async () => {
    // no usable IPv4 address at all
    const offline = await server({ host: '0.0.0.0', networkInterfaces: () => OFFLINE })
    expect(
      await joinLink(offline.s.url, offline.ws.joinCode, `localhost:${offline.s.port}`),
    ).toEqual({
      url: `http://localhost:${offline.s.port}${ROUTES.join(offline.ws.joinCode)}`,
      loopback: true,
    })
    // listening on loopback only: the Wi-Fi address would not reach it
    const local = await server({ host: '127.0.0.1', networkInterfaces: () => LAPTOP })
    expect(await joinLink(local.s.url, local.ws.joinCode)).toEqual({
      url: `${local.s.url}${ROUTES.join(local.ws.joinCode)}`,
      loopback: true,
    })
  })

  it('answers 404 for an unknown code', async () => {
    const { s } = await server({})
    expect((await get(s.url + API.joinLink('QQQQQQ'))).status).toBe(404)
  })

  it('knows the loopback host names', () => {
    for (const h of [
      'localhost',
      'LOCALHOST',
      'stip.localhost',
      '127.0.0.1',
      '127.8.9.10',
      '[::1]',
      '::1',
    ])
      expect(isLoopbackHost(h), h).toBe(true)
    for (const h of [
      '192.168.1.23',
      'example.org',
      '[fe80::1]',
      'localhost.example.org',
      '128.0.0.1',
    ])
      expect(isLoopbackHost(h), h).toBe(false)
  })
})
