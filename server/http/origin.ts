/**
 * Which hosts this server answers to, and which pages may drive it.
 *
 * Host: DNS rebinding points a name the attacker controls at this server, so a page of theirs
 * becomes same-origin with it. Its requests carry `Host: evil.example`, which no honest client
 * sends. So the Host must be one of ours: PUBLIC_URL's host, a host of ALLOWED_ORIGINS, a loopback
 * name or address, or an address of this machine's interfaces. Addresses and loopback are allowed
 * on any port (an address cannot be rebound, and port mappings and proxies change the port), also
 * with PUBLIC_URL set: a reverse proxy often forwards `Host: 127.0.0.1:8080`, and so do health checks.
 *
 * Origin: a page elsewhere must not drive a participant's session. An Origin passes when it is
 * listed in ALLOWED_ORIGINS, is PUBLIC_URL's origin, or names the (allowed) Host of the request.
 */
import type { IncomingMessage } from 'node:http'
import os from 'node:os'
import type { Clock } from '../deps.ts'
import type { NetworkInterfaces } from '../config.ts'
import { isLoopbackHost } from './qr.ts'

/** Interface addresses change (DHCP, Wi-Fi); read them again after this long. */
const INTERFACES_TTL_MS = 5_000

export interface HostPolicyOptions {
  publicUrl: string | null
  allowedOrigins: readonly string[]
  networkInterfaces?: () => NetworkInterfaces
  clock: Clock
}

export interface HostPolicy {
  /** Whether the request's Host header names this server. */
  hostAllowed(req: IncomingMessage): boolean
  /** Whether the request's Origin (if any) may call state-changing routes and open sockets. */
  originAllowed(req: IncomingMessage): boolean
}

/** The hostname of `http://<host>`, lowercased, IPv6 without brackets; null when it does not parse. */
function hostnameOf(host: string): string | null {
  if (!URL.canParse(`http://${host}`)) return null
  const url = new URL(`http://${host}`)
  if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) return null
  return url.hostname.toLowerCase().replace(/^\[|\]$/g, '')
}

const originOf = (s: string): string | null => (URL.canParse(s) ? new URL(s).origin : null)

export function hostPolicy(opts: HostPolicyOptions): HostPolicy {
  const named = new Set<string>()
  const origins = new Set<string>()
  for (const o of [...opts.allowedOrigins, ...(opts.publicUrl ? [opts.publicUrl] : [])]) {
    const origin = originOf(o)
    if (!origin) continue
    origins.add(origin)
    named.add(new URL(origin).hostname.toLowerCase().replace(/^\[|\]$/g, ''))
  }
  let addresses = new Set<string>()
  let readAt = -Infinity
  const ownAddress = (hostname: string) => {
    const now = opts.clock.now()
    if (now - readAt > INTERFACES_TTL_MS) {
      readAt = now
      addresses = new Set(
        Object.values((opts.networkInterfaces ?? os.networkInterfaces)())
          .flatMap((list) => list ?? [])
          // scope ids (fe80::1%eth0) never appear in a Host header
          .map((a) => a.address.toLowerCase().replace(/%.*$/, '')),
      )
    }
    return addresses.has(hostname)
  }

  const hostAllowed = (req: IncomingMessage): boolean => {
    const host = req.headers.host
    // HTTP/1.0 tools may send none; a rebinding browser always sends one
    if (host === undefined) return true
    const hostname = hostnameOf(host)
    if (hostname === null) return false
    return named.has(hostname) || isLoopbackHost(hostname) || ownAddress(hostname)
  }

  return {
    hostAllowed,
    originAllowed(req) {
      const origin = req.headers.origin
      if (origin === undefined) return true // not a browser; browsers always send Origin on ws and POST
      const parsed = originOf(origin)
      if (parsed === null) return false
      if (origins.has(parsed)) return true
      return (
        hostAllowed(req) &&
        req.headers.host !== undefined &&
        new URL(parsed).host === new URL(`http://${req.headers.host}`).host
      )
    },
  }
}
