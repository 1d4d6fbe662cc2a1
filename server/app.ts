/**
 * createServer(config): the HTTP API, the static client and the y-websocket relay on one port.
 * Holds no module state; tests start as many as they like on port 0.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import { API, type HealthResponse } from '../shared/api.ts'
import { CloseCode, DocName, ErrorCode, parseRoomPath } from '../shared/protocol.ts'
import { MAX_MESSAGE_BYTES, MAX_URL_CHARS } from '../shared/limits.ts'
import type { Config } from './config.ts'
import { RoomRegistry } from './relay/rooms.ts'
import { logDroppedEntries } from './read-issues.ts'
import { acceptSocket } from './relay/socket.ts'
import {
  HttpError,
  isStorageFailure,
  notFound,
  sendError,
  sendJson,
  storageFailed,
} from './http/respond.ts'
import { hostPolicy } from './http/origin.ts'
import { serveStatic } from './http/static.ts'
import { AbuseLimits } from './http/rate-limit.ts'
import {
  createWorkshop,
  join,
  lookupByCode,
  serverConfig,
  updateSettings,
  whoami,
  workshopInfo,
} from './http/workshops.ts'
import { restoreCard } from './http/trash.ts'
import { castBallot, closeRound, deleteRound, openRound, revealRound } from './http/rounds.ts'
import { docLedger } from './voting/ledger-doc.ts'
import { readingThrough } from './voting/ledger-read-through.ts'
import { listRounds } from '../shared/control.ts'
import {
  compareSnapshots,
  createSnapshot,
  deleteWorkshop,
  exportWorkshop,
  followUp,
  history,
  listSnapshots,
  openSnapshot,
  report,
  restoreSnapshot,
  type HistoryContext,
} from './http/history.ts'
import { replayOutline, replaySegment } from './http/replay.ts'
import { Snapshots } from './history/snapshots.ts'
import { joinLink, joinQr } from './http/qr.ts'
import { RETENTION_SWEEP_EVERY_MS, sweepRetention } from './history/retention.ts'
import { systemRepeat } from './deps.ts'
import { ServerStoppingError, WorkshopGoneError } from './store/errors.ts'
import { type HeavyRunner, createHeavyRunner } from './heavy/pool.ts'
import { LinkSockets } from './relay/link-sockets.ts'
import { forwardPlacedSocket, placeSocket, routeRequest } from './cluster/route.ts'
import { cachedDirectory } from './cluster/directory.ts'
import { type Forwarded, verifyForwarded } from './cluster/forward.ts'
import {
  createCoFacilitator,
  listCoFacilitators,
  revokeCoFacilitator,
} from './http/co-facilitators.ts'

export interface StipServer {
  /** e.g. http://127.0.0.1:39211 */
  readonly url: string
  readonly wsUrl: string
  readonly port: number
  readonly rooms: RoomRegistry
  readonly snapshots: Snapshots
  /** Where report, compare, export and history run (a worker pool, or in-thread). */
  readonly heavy: HeavyRunner
  connectionCount(): number
  /** Flushes pending writes, closes sockets (1012, clients reconnect) and the store. */
  close(): Promise<void>
}

type Handler = (
  ctx: HistoryContext,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  params: string[],
) => unknown

const W = '^/api/workshops/([^/]+)'
/** The organiser's replay page (shared/api.ts ROUTES.replay, without its hash). */
const REPLAY_PAGE = /^\/w\/[^/]+\/replay$/
const S = `${W}/snapshots/([^/]+)`
const route = (method: string, pattern: string, handler: Handler) => ({
  method,
  pattern: new RegExp(pattern),
  handler,
})

const ROUTE_TABLE: { method: string; pattern: RegExp; handler: Handler }[] = [
  route('POST', `${W}/snapshots$`, (c, q, s, [id]) => createSnapshot(c, id!, q, s)),
  route('GET', `${W}/snapshots$`, (c, q, s, [id]) => listSnapshots(c, id!, q, s)),
  route('GET', `${S}$`, (c, q, s, [id, sid]) => openSnapshot(c, id!, sid!, q, s)),
  route('GET', `${S}/compare/([^/]+)$`, (c, q, s, [id, a, b]) =>
    compareSnapshots(c, id!, a!, b!, q, s),
  ),
  route('POST', `${S}/restore$`, (c, q, s, [id, sid]) => restoreSnapshot(c, id!, sid!, q, s)),
  route('POST', `${S}/follow-up$`, (c, q, s, [id, sid]) => followUp(c, id!, sid!, q, s)),
  route('GET', `${W}/history$`, (c, q, s, [id]) => history(c, id!, q, s)),
  route('GET', `${W}/replay$`, (c, q, s, [id]) => replayOutline(c, id!, q, s)),
  route('GET', `${W}/replay/segment$`, (c, q, s, [id]) => replaySegment(c, id!, q, s)),
  route('GET', `${W}/report$`, (c, q, s, [id]) => report(c, id!, q, s)),
  route('GET', `${W}/export$`, (c, q, s, [id]) => exportWorkshop(c, id!, q, s)),
  route('DELETE', `${W}$`, (c, q, s, [id]) => deleteWorkshop(c, id!, q, s)),
  route('POST', `${W}/co-facilitators$`, (c, q, s, [id]) => createCoFacilitator(c, id!, q, s)),
  route('GET', `${W}/co-facilitators$`, (c, q, s, [id]) => listCoFacilitators(c, id!, q, s)),
  route('DELETE', `${W}/co-facilitators/([^/]+)$`, (c, q, s, [id, link]) =>
    revokeCoFacilitator(c, id!, link!, q, s),
  ),
  {
    method: 'POST',
    pattern: new RegExp(`^${API.workshops}$`),
    handler: (c, q, s) => createWorkshop(c, q, s),
  },
  { method: 'POST', pattern: new RegExp(`^${API.join}$`), handler: (c, q, s) => join(c, q, s) },
  route('GET', '^/api/join/([^/]+)/qr\\.svg$', (c, q, s, [code]) => joinQr(c, code!, q, s)),
  route('GET', '^/api/join/([^/]+)/link$', (c, q, s, [code]) => joinLink(c, code!, q, s)),
  {
    method: 'GET',
    pattern: /^\/api\/join\/([^/]+)$/,
    handler: (c, q, s, [code]) => lookupByCode(c, code!, q, s),
  },
  {
    method: 'GET',
    pattern: new RegExp(`^${API.config}$`),
    handler: (c, _q, s) => serverConfig(c, s),
  },
  route('PATCH', `${W}/settings$`, (c, q, s, [id]) => updateSettings(c, id!, q, s)),
  route('POST', `${W}/trash/([^/]+)/restore$`, (c, q, s, [id, card]) =>
    restoreCard(c, id!, card!, q, s),
  ),
  {
    method: 'GET',
    pattern: /^\/api\/workshops\/([^/]+)\/me$/,
    handler: (c, q, s, [id]) => whoami(c, id!, q, s),
  },
  {
    method: 'GET',
    pattern: /^\/api\/workshops\/([^/]+)$/,
    handler: (c, q, s, [id]) => workshopInfo(c, id!, q, s),
  },
  {
    method: 'POST',
    pattern: /^\/api\/workshops\/([^/]+)\/rounds$/,
    handler: (c, q, s, [id]) => openRound(c, id!, q, s),
  },
  route('DELETE', `${W}/rounds/([^/]+)$`, (c, q, s, [id, r]) => deleteRound(c, id!, r!, q, s)),
  {
    method: 'POST',
    pattern: /^\/api\/workshops\/([^/]+)\/rounds\/([^/]+)\/close$/,
    handler: (c, q, s, [id, r]) => closeRound(c, id!, r!, q, s),
  },
  {
    method: 'POST',
    pattern: /^\/api\/workshops\/([^/]+)\/rounds\/([^/]+)\/reveal$/,
    handler: (c, q, s, [id, r]) => revealRound(c, id!, r!, q, s),
  },
  {
    method: 'POST',
    pattern: /^\/api\/workshops\/([^/]+)\/rounds\/([^/]+)\/ballot$/,
    handler: (c, q, s, [id, r]) => castBallot(c, id!, r!, q, s),
  },
]

/** Route parameters as sent (a join code may carry %20); broken escapes are the caller's fault. */
function decodeParam(raw: string): string {
  try {
    return decodeURIComponent(raw)
  } catch {
    throw new HttpError(400, { error: ErrorCode.BadRequest, message: 'bad URL encoding' })
  }
}

const unknownHost = () =>
  new HttpError(421, {
    error: ErrorCode.UnknownHost,
    message: 'this server does not answer to that Host; see PUBLIC_URL and ALLOWED_ORIGINS',
  })

export async function createServer(given: Config): Promise<StipServer> {
  const directory = cachedDirectory(
    given.store,
    given.clock,
    (id) => given.cluster?.forget(id) ?? Promise.resolve(),
  )
  // every purge through this server's store forgets the directory's answer for that workshop
  const config: Config = { ...given, store: directory.watching(given.store) }
  const startedAt = config.clock.now()
  const stopDropLog = logDroppedEntries(config.log, config.clock)
  const rooms = new RoomRegistry({
    store: config.store,
    clock: config.clock,
    log: config.log,
    ...(config.checkpointEveryUpdates !== undefined && {
      checkpointEveryUpdates: config.checkpointEveryUpdates,
    }),
    ...(config.checkpointEveryMs !== undefined && { checkpointEveryMs: config.checkpointEveryMs }),
    ...(config.storageRetryMs !== undefined && { storageRetryMs: config.storageRetryMs }),
    ...(config.workshopQuotaBytes !== undefined && { quotaBytes: config.workshopQuotaBytes }),
    ...(config.heldDeadlineMs !== undefined && { heldDeadlineMs: config.heldDeadlineMs }),
    ...(config.after && { after: config.after }),
  })
  const sockets = new Set<WebSocket>()
  const forwardedSockets = new Set<WebSocket>()
  const snapshots = new Snapshots({
    store: config.store,
    rooms,
    clock: config.clock,
    random: config.random,
    log: config.log,
    ...(config.autoSnapshotEveryMs !== undefined && { autoEveryMs: config.autoSnapshotEveryMs }),
  })
  const heavy = createHeavyRunner({
    store: config.store,
    log: config.log,
    workers: config.heavyWorkers ?? 1,
    ...(config.heavyHold && { hold: config.heavyHold }),
  })
  const limits = new AbuseLimits(config)
  const linkSockets = new LinkSockets()
  const ledger = config.ledger
    ? readingThrough(config.ledger, (id) => rooms.read(id, DocName.Control, listRounds))
    : docLedger(rooms, config.store)
  const ctx: HistoryContext = { config, rooms, snapshots, limits, heavy, linkSockets, ledger }
  const hosts = hostPolicy(config)
  const cluster = config.cluster ?? null
  cluster?.attach({
    evict: (id) => void rooms.relinquish(id),
    isLive: (id) => Boolean(rooms.get(id, DocName.Board) ?? rooms.get(id, DocName.Control)),
  })
  /**
   * A request another instance forwarded: that instance checked Host and Origin at the edge and
   * saw the client's address; anyone else's claim to be forwarded is ignored.
   */
  const forwardedBy = (req: http.IncomingMessage): Forwarded | null => {
    const f = cluster ? verifyForwarded(req, cluster.secret) : null
    if (f) limits.vouch(req, f.clientAddress)
    return f
  }
  const edgeClient = (req: http.IncomingMessage): Forwarded => ({
    clientAddress: limits.address(req),
    origin: typeof req.headers.origin === 'string' ? req.headers.origin : undefined,
  })
  let stopRetention: (() => void) | null = null
  if (config.retentionDays) {
    const days = config.retentionDays
    let sweeping = false
    const sweep = () => {
      // a sweep still deleting when the next is due: that one is skipped, not run alongside
      if (sweeping) return
      sweeping = true
      const deps = {
        rooms,
        store: config.store,
        clock: config.clock,
        log: config.log,
        // several instances: a workshop live on another instance waits for a later sweep
        ...(cluster && {
          owns: async (id: string) => (await cluster.locate(id)).here,
        }),
      }
      // several instances: one of them sweeps at a time, whichever takes the duty
      ;(cluster
        ? cluster.exclusive('retention', async () => void (await sweepRetention(deps, days)))
        : sweepRetention(deps, days)
      )
        .catch((err: unknown) =>
          config.log.warn('retention.sweep_failed', {
            code: String((err as { code?: unknown }).code ?? (err as Error).name),
          }),
        )
        .finally(() => (sweeping = false))
    }
    sweep()
    stopRetention = (config.repeat ?? systemRepeat)(sweep, RETENTION_SWEEP_EVERY_MS)
  }

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const forwarded = forwardedBy(req)
    if (!forwarded && !hosts.hostAllowed(req)) throw unknownHost()
    const target = req.url ?? '/'
    if (target.length > MAX_URL_CHARS || !URL.canParse(target, 'http://x')) {
      throw new HttpError(400, { error: ErrorCode.BadRequest, message: 'bad request target' })
    }
    const url = new URL(target, 'http://x')
    if (url.pathname === API.health) {
      const failing = rooms.storageFailing
      sendJson(res, failing ? 503 : 200, {
        ok: !failing,
        rooms: rooms.size,
        connections: sockets.size,
        forwarded: forwardedSockets.size,
        storage: failing ? 'failing' : 'ok',
        uptimeMs: config.clock.now() - startedAt,
      } satisfies HealthResponse)
      return
    }
    if (url.pathname.startsWith('/api/')) {
      if (!forwarded && req.method !== 'GET' && !hosts.originAllowed(req)) {
        throw new HttpError(403, {
          error: ErrorCode.Forbidden,
          message: 'cross-origin request refused',
        })
      }
      const client = forwarded ?? edgeClient(req)
      if (
        cluster &&
        (await routeRequest(cluster, directory, req, res, url.pathname, client, !!forwarded))
      )
        return
      for (const r of ROUTE_TABLE) {
        const m = r.pattern.exec(url.pathname)
        if (m && r.method === req.method)
          return await r.handler(ctx, req, res, m.slice(1).map(decodeParam))
      }
      throw notFound('no such API route')
    }
    if (config.staticDir && (req.method === 'GET' || req.method === 'HEAD')) {
      // the replay page asks for its history next: the heavy worker boots meanwhile
      if (REPLAY_PAGE.test(url.pathname)) heavy.warm()
      serveStatic(config.staticDir, req, res)
      return
    }
    throw notFound()
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) return res.destroy()
      if (err instanceof HttpError) return sendError(res, err)
      // deleted while this request waited on the store: as if it had never been there
      if (err instanceof WorkshopGoneError)
        return sendError(
          res,
          new HttpError(404, { error: ErrorCode.WorkshopNotFound, message: 'workshop deleted' }),
        )
      if (err instanceof ServerStoppingError)
        return sendError(
          res,
          new HttpError(503, { error: ErrorCode.Internal, message: 'the server is restarting' }),
        )
      // name and code only: messages can hold paths, install paths and user content
      const code = (err as { code?: unknown }).code
      const fields = {
        name: err instanceof Error ? err.name : typeof err,
        code: typeof code === 'string' ? code : null,
      }
      if (isStorageFailure(err)) {
        config.log.warn('http.storage_failed', fields)
        return sendError(res, storageFailed())
      }
      config.log.error('http.internal', fields)
      sendJson(res, 500, { error: ErrorCode.Internal, message: 'internal error' })
    })
  })

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES })
  wss.on('error', (err) => config.log.error('relay.server_error', { name: err.name }))
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy())
    const forwarded = forwardedBy(req)
    if (!forwarded && !hosts.hostAllowed(req)) {
      config.log.warn('relay.host_refused', {})
      socket.end('HTTP/1.1 421 Misdirected Request\r\nConnection: close\r\n\r\n')
      return
    }
    const raw = req.url ?? '/'
    const target =
      raw.length <= MAX_URL_CHARS && URL.canParse(raw, 'http://x')
        ? parseRoomPath(new URL(raw, 'http://x').pathname)
        : null
    if (!forwarded && !hosts.originAllowed(req)) {
      config.log.warn('relay.origin_refused', {})
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n')
      return
    }
    if (cluster && target) {
      // decided before the upgrade completes, so no frame arrives before its listener
      const client = forwarded ?? edgeClient(req)
      placeSocket(cluster, directory, target.workshopId, !!forwarded).then(
        (place) => {
          if (place.serve) return upgradeHere()
          wss.handleUpgrade(req, socket, head, (ws) => {
            forwardedSockets.add(ws)
            ws.once('close', () => forwardedSockets.delete(ws))
            forwardPlacedSocket(cluster, ws, raw, place.ownerUrl, client)
          })
        },
        (err: Error) => {
          config.log.error('cluster.place_failed', { name: err.name })
          socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n')
        },
      )
      return
    }
    upgradeHere()

    function upgradeHere() {
      wss.handleUpgrade(req, socket, head, (ws) => {
        // Unknown room names are closed after the upgrade so the browser learns why (4404).
        if (!target) {
          ws.on('error', () => {})
          ws.close(CloseCode.RoomNotFound, ErrorCode.NotFound)
          return
        }
        const address = limits.address(req)
        acceptSocket(ws, target, {
          admitViewer: () => limits.viewerGate(address),
          store: config.store,
          rooms,
          clock: config.clock,
          log: config.log,
          sockets,
          linkSockets,
          ...(config.authDeadlineMs !== undefined && { authDeadlineMs: config.authDeadlineMs }),
          ...(config.maxBufferedBytes !== undefined && {
            maxBufferedBytes: config.maxBufferedBytes,
          }),
          ...(config.heartbeat !== undefined && { heartbeat: config.heartbeat }),
        })
      })
    }
  })
  server.on('clientError', (_err, socket) => socket.destroy())

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(config.port, config.host, () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  const host = config.host.includes(':') ? `[${config.host}]` : config.host
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`

  let closing: Promise<void> | null = null
  const stop = async () => {
    stopRetention?.()
    stopDropLog()
    // what the rooms applied is committed before the sockets go (and their writers with it)
    await rooms.closeAll()
    // the leases go only now: the last commits above were fenced by them
    await cluster?.close()
    for (const ws of sockets) ws.close(CloseCode.ServerRestart, 'server restart')
    wss.close()
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
    await heavy.close()
    await config.store.close()
  }

  return {
    url,
    wsUrl: url.replace(/^http/, 'ws') + '/ws',
    port,
    rooms,
    snapshots,
    heavy,
    connectionCount: () => sockets.size,
    // a second call (a test's cleanup after its own close) waits for the first one
    close: () => (closing ??= stop()),
  }
}
