/**
 * The edge of an instance in a cluster: a socket or request for a workshop is served here when
 * this instance owns the workshop (or takes it now), and forwarded to the owner otherwise.
 * Requests that another instance forwarded are never forwarded again: if this instance lost the
 * workshop in between, the client is told to retry, and its retry finds the new owner.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { WebSocket } from 'ws'
import { API, JoinCodeSchema } from '../../shared/api.ts'
import { CloseCode, ErrorCode } from '../../shared/protocol.ts'
import { readBody, sendJson } from '../http/respond.ts'
import type { Cluster } from './cluster.ts'
import { type Forwarded, forwardRequest, forwardSocket } from './forward.ts'
import type { Directory } from './directory.ts'

const WORKSHOP_PATH = /^\/api\/workshops\/([^/]+)(?:\/|$)/

/** The workshop a REST path names, decoded, or null (creation, join-code lookups, config...). */
export function workshopInPath(pathname: string): string | null {
  const m = WORKSHOP_PATH.exec(pathname)
  if (!m) return null
  try {
    return decodeURIComponent(m[1]!)
  } catch {
    return null // the route answers the bad escape
  }
}

/** The code a join body names, or null when the body is not a join (the route answers that). */
async function joinCodeOf(req: IncomingMessage): Promise<{ code: string; body: string } | null> {
  let body: string
  try {
    body = await readBody(req)
  } catch {
    return null // too large: the route reads the same failure and answers 413
  }
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    return null
  }
  const code = JoinCodeSchema.safeParse((json as { code?: unknown } | null)?.code)
  return code.success ? { code: code.data, body } : null
}

const retryLater = (res: ServerResponse) => {
  res.setHeader('retry-after', '1')
  sendJson(res, 503, {
    error: ErrorCode.ServerRestart,
    message: 'the workshop is moving to another server; try again',
  })
}

/** Where a workshop is served: here (true), forwarded (false after answering), or unknown. */
async function owned(cluster: Cluster, dir: Directory, workshopId: string) {
  if (cluster.epoch(workshopId) !== null) return cluster.locate(workshopId)
  // an id nobody created must not get an owner row: the route answers 404 for it
  if (!(await dir.workshopExists(workshopId))) return null
  const at = await cluster.locate(workshopId)
  // just taken here on a kept answer (directory.ts): one purged elsewhere since is not served
  if (at.here && !(await dir.workshopExists(workshopId, true))) {
    await dir.abandon(workshopId)
    return null
  }
  return at
}

/**
 * Serves or forwards one REST request. Returns true when it was answered here (forwarded, or
 * told to retry); false when the route table should handle it on this instance.
 */
export async function routeRequest(
  cluster: Cluster,
  dir: Directory,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  client: Forwarded,
  forwarded: boolean,
): Promise<boolean> {
  let workshopId = workshopInPath(pathname)
  let body: string | undefined
  if (!workshopId && req.method === 'POST' && pathname === API.join) {
    const join = await joinCodeOf(req)
    if (!join) return false
    workshopId = await dir.workshopIdByCode(join.code)
    body = join.body
  }
  if (!workshopId) return false
  const at = await owned(cluster, dir, workshopId)
  if (!at || at.here) return false
  if (forwarded || !at.owner) {
    retryLater(res)
    return true
  }
  forwardRequest(req, res, {
    ownerUrl: at.owner.internalUrl,
    secret: cluster.secret,
    client,
    ...(body !== undefined && { body }),
  })
  return true
}

export type SocketPlace = { serve: true } | { serve: false; ownerUrl: string | null }

/**
 * Where a socket of `workshopId` goes: served here, piped to the owner, or (null owner) closed
 * with 1012, which the client treats as "reconnect". Decided before the upgrade completes, so no
 * frame of the client can arrive before its listener is attached.
 */
export async function placeSocket(
  cluster: Cluster,
  dir: Directory,
  workshopId: string,
  forwarded: boolean,
): Promise<SocketPlace> {
  const at = await owned(cluster, dir, workshopId)
  if (!at || at.here) return { serve: true } // an unknown workshop: served, and answered 4404
  return { serve: false, ownerUrl: forwarded ? null : (at.owner?.internalUrl ?? null) }
}

/** Pipes an upgraded socket to its owner, or tells it to reconnect. */
export function forwardPlacedSocket(
  cluster: Cluster,
  ws: WebSocket,
  path: string,
  ownerUrl: string | null,
  client: Forwarded,
): void {
  if (!ownerUrl) {
    ws.close(CloseCode.ServerRestart, ErrorCode.ServerRestart)
    return
  }
  forwardSocket(ws, path, { ownerUrl, secret: cluster.secret, client })
}
