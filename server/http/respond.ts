/** JSON replies and error shapes: every error a client sees is an ApiError with a closed code. */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { z } from 'zod/mini'
import type { ApiError } from '../../shared/api.ts'
import { ErrorCode } from '../../shared/protocol.ts'
import { MAX_JSON_BODY_BYTES, STORAGE_RETRY_AFTER_S } from '../../shared/limits.ts'
import { StorageFailingError, isDatabaseFailure } from '../store/errors.ts'

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiError,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message)
  }
}

/** 429 with Retry-After in whole seconds (at least 1). */
export const tooManyRequests = (waitMs: number) =>
  new HttpError(
    429,
    { error: ErrorCode.RateLimited, message: 'too many requests; try again later' },
    { 'Retry-After': String(Math.max(1, Math.ceil(waitMs / 1000))) },
  )

export const storageFailed = () =>
  new HttpError(
    503,
    {
      error: ErrorCode.StorageFailed,
      message: 'storage is failing; nothing can be saved right now',
    },
    { 'Retry-After': String(STORAGE_RETRY_AFTER_S) },
  )

/** SQLite result codes (better-sqlite3 `code`) that mean the disk or the file, not the request. */
const STORAGE_CODES = /^SQLITE_(FULL|IOERR|BUSY|LOCKED|READONLY|CANTOPEN|PROTOCOL|NOLFS)/

/** A failure of storage rather than of the request: worth a 503 and a retry, not a 500. */
export function isStorageFailure(err: unknown): boolean {
  if (err instanceof StorageFailingError) return true
  if (!(err instanceof Error)) return false
  const code = (err as { code?: unknown }).code
  return (typeof code === 'string' && STORAGE_CODES.test(code)) || isDatabaseFailure(err)
}

/** Only this host: on the app, and on API answers too (the HTML report, the QR code's SVG). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // Tiptap/ProseMirror set style attributes (carets, decorations); no remote styles are allowed.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  // the facilitator's panel frames the projector's page as its preview; no other site may frame us
  "frame-ancestors 'self'",
].join('; ')

export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()',
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  })
  res.end(text)
}

export function sendError(res: ServerResponse, err: HttpError): void {
  for (const [name, value] of Object.entries(err.headers)) res.setHeader(name, value)
  sendJson(res, err.status, err.body)
}

export const notFound = (message = 'not found') =>
  new HttpError(404, { error: ErrorCode.NotFound, message })

async function readBodyOnce(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > limit)
      throw new HttpError(413, { error: ErrorCode.TooLarge, message: `body over ${limit} bytes` })
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

const bodies = new WeakMap<IncomingMessage, Promise<string>>()

/**
 * The request's JSON body text, read once: the cluster peeks at a join's code to find the
 * workshop's owner before the route parses the same body (or forwards it).
 */
export function readBody(req: IncomingMessage): Promise<string> {
  let body = bodies.get(req)
  if (!body) {
    body = readBodyOnce(req, MAX_JSON_BODY_BYTES)
    bodies.set(req, body)
  }
  return body
}

/** Reads, JSON-parses and schema-parses a request body; each failure has its own clear error. */
export async function parseBody<S extends z.ZodMiniType>(
  req: IncomingMessage,
  schema: S,
): Promise<z.output<S>> {
  const type = req.headers['content-type'] ?? ''
  if (!type.startsWith('application/json')) {
    throw new HttpError(415, { error: ErrorCode.BadRequest, message: 'expected application/json' })
  }
  const text = await readBody(req)
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new HttpError(400, { error: ErrorCode.BadJson, message: 'body is not valid JSON' })
  }
  const parsed = schema.safeParse(json)
  if (!parsed.success) {
    throw new HttpError(400, {
      error: ErrorCode.BadRequest,
      message: 'request does not match the schema',
      issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    })
  }
  return parsed.data
}
