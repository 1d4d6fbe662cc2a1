/** JSON replies and error shapes: every error a client sees is an ApiError with a closed code. */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { z } from 'zod'
import type { ApiError } from '../../shared/api.ts'
import { ErrorCode } from '../../shared/protocol.ts'
import { MAX_JSON_BODY_BYTES } from '../../shared/limits.ts'

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiError,
  ) {
    super(body.message)
  }
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
  "frame-ancestors 'none'",
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
  sendJson(res, err.status, err.body)
}

export const notFound = (message = 'not found') =>
  new HttpError(404, { error: ErrorCode.NotFound, message })

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > limit) throw new HttpError(413, { error: ErrorCode.TooLarge, message: `body over ${limit} bytes` })
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** Reads, JSON-parses and schema-parses a request body; each failure has its own clear error. */
export async function parseBody<S extends z.ZodType>(req: IncomingMessage, schema: S): Promise<z.output<S>> {
  const type = req.headers['content-type'] ?? ''
  if (!type.startsWith('application/json')) {
    throw new HttpError(415, { error: ErrorCode.BadRequest, message: 'expected application/json' })
  }
  const text = await readBody(req, MAX_JSON_BODY_BYTES)
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
