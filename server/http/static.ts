/** Serves the built client (SECURITY_HEADERS carry the CSP: nothing loads from anywhere else). */
import fs from 'node:fs'
import path from 'node:path'
import type { IncomingMessage, ServerResponse } from 'node:http'
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

export function serveStatic(dir: string, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x')
  const root = path.resolve(dir)
  let pathname: string
  try {
    pathname = decodeURIComponent(url.pathname)
  } catch {
    res.writeHead(400, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' })
    res.end('bad URL encoding')
    return
  }
  let file = path.resolve(root, '.' + pathname)
  if (!file.startsWith(root + path.sep) && file !== root) file = path.join(root, 'index.html')
  let stat = fs.statSync(file, { throwIfNoEntry: false })
  // Client-side routes (/w/..., /j/...) get the app shell.
  if (!stat || stat.isDirectory()) {
    file = path.join(root, 'index.html')
    stat = fs.statSync(file, { throwIfNoEntry: false })
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
  fs.createReadStream(file).pipe(res)
}
