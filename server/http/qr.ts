/**
 * The join link and its QR code (SVG, served from our own host for the projector).
 *
 * A projector is often opened on the laptop that runs Stip, at http://localhost, and a QR code
 * of that address sends phones to themselves. So without PUBLIC_URL, a loopback Host is replaced
 * by this machine's first network address (same port), as long as the server listens on every
 * interface. When no such address serves, the link stays loopback and says so (`loopback`), and
 * the projector shows a note.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import os from 'node:os'
import qrcode from 'qrcode-generator'
import { type JoinLinkResponse, ROUTES } from '../../shared/api.ts'
import type { Config, NetworkInterfaces } from '../config.ts'
import { SECURITY_HEADERS, sendJson } from './respond.ts'
import { workshopByJoinCode } from './auth.ts'
import type { AbuseLimits } from './rate-limit.ts'

/** All these routes need; workshops.ts imports joinBase, so no import back from there. */
interface QrContext {
  config: Config
  limits: AbuseLimits
}

/** Quiet zone the QR spec asks for, in modules. */
const MARGIN = 4

/** Bind addresses that include every interface, so a network address reaches this server. */
const ALL_INTERFACES = new Set(['0.0.0.0', '::', ''])

export function qrSvg(text: string): string {
  const qr = qrcode(0, 'M')
  qr.addData(text)
  qr.make()
  const n = qr.getModuleCount()
  let path = ''
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) if (qr.isDark(r, c)) path += `M${c + MARGIN} ${r + MARGIN}h1v1h-1z`
  }
  const size = n + 2 * MARGIN
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" shape-rendering="crispEdges"><rect width="${size}" height="${size}" fill="#fff"/><path d="${path}" fill="#000"/></svg>`
}

/** localhost, *.localhost, 127.0.0.0/8 and ::1 (hostname as URL gives it: IPv6 in brackets). */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '')
  return (
    h === 'localhost' || h.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::1'
  )
}

/** The first IPv4 address another device can reach; link-local (169.254/16) cannot be relied on. */
export function firstNetworkIPv4(interfaces: NetworkInterfaces): string | null {
  for (const list of Object.values(interfaces)) {
    for (const a of list ?? []) {
      if (a.family === 'IPv4' && !a.internal && !a.address.startsWith('169.254.')) return a.address
    }
  }
  return null
}

/** The base URL (no trailing slash) that participants' devices should open. */
export function joinBase(
  config: Config,
  req: IncomingMessage,
): { base: string; loopback: boolean } {
  if (config.publicUrl) {
    const base = config.publicUrl.replace(/\/+$/, '')
    return { base, loopback: URL.canParse(base) && isLoopbackHost(new URL(base).hostname) }
  }
  const host = req.headers.host ?? 'localhost'
  const url = URL.canParse(`http://${host}`)
    ? new URL(`http://${host}`)
    : new URL('http://localhost')
  if (!isLoopbackHost(url.hostname)) return { base: url.origin, loopback: false }
  if (ALL_INTERFACES.has(config.host)) {
    const address = firstNetworkIPv4((config.networkInterfaces ?? os.networkInterfaces)())
    if (address)
      return { base: `http://${address}${url.port ? `:${url.port}` : ''}`, loopback: false }
  }
  return { base: url.origin, loopback: true }
}

export async function joinLink(
  ctx: QrContext,
  code: string,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const w = await workshopByJoinCode(ctx.config.store, ctx.limits, req, code)
  const { base, loopback } = joinBase(ctx.config, req)
  const reply: JoinLinkResponse = { url: base + ROUTES.join(w.joinCode), loopback }
  sendJson(res, 200, reply)
}

export async function joinQr(
  ctx: QrContext,
  code: string,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const w = await workshopByJoinCode(ctx.config.store, ctx.limits, req, code)
  const svg = qrSvg(joinBase(ctx.config, req).base + ROUTES.join(w.joinCode))
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': 'image/svg+xml',
    'Cache-Control': 'no-cache',
  })
  res.end(svg)
}
