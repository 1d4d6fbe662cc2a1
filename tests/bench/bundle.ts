/** The built client's JavaScript: what the first page load fetches and everything, gzip and raw. */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { DIST } from '../helpers/chromium.ts'
import { REPO } from './env.ts'

export interface BundleResult {
  firstLoadJsGzipKiB: number
  firstLoadJsKiB: number
  totalJsGzipKiB: number
  totalJsKiB: number
  files: number
}

/** The app's own build (tests/helpers/chromium.ts is where it is named). */
export const APP_DIST = DIST

/** Sizes of a built client in `dist`; builds the app first when its dist is missing. */
export function bundle(dist = APP_DIST): BundleResult | null {
  if (dist === APP_DIST && !fs.existsSync(path.join(dist, 'index.html'))) {
    try {
      execFileSync(path.join(REPO, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], { cwd: REPO, stdio: 'inherit' })
    } catch {
      return null
    }
  }
  if (!fs.existsSync(path.join(dist, 'index.html'))) return null
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8')
  // first load = the entry script and everything index.html preloads
  const first = new Set<string>()
  for (const m of html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="\/?([^"]+\.js)"/g)) first.add(m[1]!)
  const all: string[] = []
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name)
      if (e.isDirectory()) walk(p)
      else if (e.name.endsWith('.js')) all.push(path.relative(dist, p))
    }
  }
  walk(dist)
  const size = (f: string) => {
    const b = fs.readFileSync(path.join(dist, f))
    return { raw: b.length, gz: zlib.gzipSync(b, { level: 9 }).length }
  }
  const sum = (files: string[]) => files.map(size).reduce((a, s) => ({ raw: a.raw + s.raw, gz: a.gz + s.gz }), { raw: 0, gz: 0 })
  const f = sum([...first])
  const t = sum(all)
  return { firstLoadJsGzipKiB: f.gz / 1024, firstLoadJsKiB: f.raw / 1024, totalJsGzipKiB: t.gz / 1024, totalJsKiB: t.raw / 1024, files: all.length }
}
