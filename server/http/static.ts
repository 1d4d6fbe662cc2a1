/** Serves the built client (SECURITY_HEADERS carry the CSP: nothing loads from anywhere else). */
import fs from 'node:fs'
import path from 'node:path'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { MAX_URL_CHARS } from '../../shared/limits.ts'
import { SECURITY_HEADERS } from './respond.ts'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
}

/** Longest file or directory name most file systems take; longer cannot name a file of ours. */
const MAX_SEGMENT_CHARS = 255

const badRequest = (res: ServerResponse, message: string) => {
  res.writeHead(400, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' })
  res.end(message)
}

/** The decoded path, or why it cannot name a file: never passed to the file system otherwise. */
function cleanPath(rawUrl: string): { ok: true; pathname: string } | { ok: false; reason: string } {
  if (rawUrl.length > MAX_URL_CHARS) return { ok: false, reason: 'path too long' }
  if (!URL.canParse(rawUrl, 'http://x')) return { ok: false, reason: 'bad URL' }
  let pathname: string
  try {
    pathname = decodeURIComponent(new URL(rawUrl, 'http://x').pathname)
  } catch {
    return { ok: false, reason: 'bad URL encoding' }
  }
  // NUL ends a C string: the file system would refuse it; other controls name no file of ours
  if (/[\u0000-\u001f\u007f]/.test(pathname))
    return { ok: false, reason: 'control character in path' }
  if (pathname.split('/').some((segment) => segment.length > MAX_SEGMENT_CHARS))
    return { ok: false, reason: 'path too long' }
  return { ok: true, pathname }
}

/** A stat that only answers "this file" or "no such file"; anything odd is "no such file" too. */
function fileStat(file: string): fs.Stats | null {
  try {
    return fs.statSync(file, { throwIfNoEntry: false }) ?? null
  } catch {
    // ENOTDIR (/index.html/x), ENAMETOOLONG, EACCES, ELOOP: none of them is a file we serve
    return null
  }
}

export function serveStatic(dir: string, req: IncomingMessage, res: ServerResponse): void {
  const clean = cleanPath(req.url ?? '/')
  if (!clean.ok) return badRequest(res, clean.reason)
  const root = path.resolve(dir)
  let file = path.resolve(root, '.' + clean.pathname)
  if (!file.startsWith(root + path.sep) && file !== root) file = path.join(root, 'index.html')
  let stat = fileStat(file)
  // Client-side routes (/w/..., /j/...) get the app shell.
  if (!stat || !stat.isFile()) {
    file = path.join(root, 'index.html')
    stat = fileStat(file)
  }
  if (!stat) {
    res.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain' })
    res.end('client not built: run npm run build')
    return
  }
  const hashed = file.includes(`${path.sep}assets${path.sep}`)
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'Content-Length': stat.size,
    'Cache-Control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
  })
  if (req.method === 'HEAD') {
    res.end()
    return
  }
  // a file removed between stat and open (a redeploy) ends this response, never the process
  fs.createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res)
}
