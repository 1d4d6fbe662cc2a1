/** The built client's JavaScript: what the first page load fetches and everything, gzip and raw. */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { DIST } from '../helpers/chromium.ts'
import { REPO } from './env.ts'

export interface BundleResult {
  firstLoadJsGzipKiB: number
  /** Ours: what a participant's browser fetches from the join page to a working board (null: no manifest). */
  joinBoardJsGzipKiB: number | null
  /** The same path plus the chunks the board then fetches by itself, without any interaction. */
  joinBoardDeferredJsGzipKiB: number | null
  firstLoadJsKiB: number
  totalJsGzipKiB: number
  totalJsKiB: number
  files: number
}

/** The app's own build (tests/helpers/chromium.ts is where it is named). */
export const APP_DIST = DIST
/** Source modules the join -> board path loads, beside the entry (client/app/App.tsx's routes). */
const JOIN_BOARD_MODULES = ['app/Join.tsx', 'app/BoardRoute.tsx', 'board/Board.tsx']
/**
 * Chunks the board fetches after its first paint on its own, without any interaction:
 * client/board/Board.tsx's preload of the side panel and the people drawer (500 ms after mount),
 * the card bar's promote and show-on-screen buttons (client/cards/LazyCardTools.tsx, preloaded
 * right after the first paint), the toasts (client/widgets/LazyNotices.tsx) and other people's
 * pointers (client/canvas/LazyRemoteCursors.tsx), both requested by the board's first render
 * and drawn when they arrive, and the screens' Dutch texts that the side panel, the toasts and
 * the card tools load with them (client/i18n/index.ts, loadWithTexts). The editor and its panel
 * stay out of both figures.
 */
const AFTER_FIRST_PAINT_MODULES = [
  'facilitation/WorkshopSide.tsx',
  'board/PresenceList.tsx',
  'cards/cardTools.ts',
  'widgets/Notices.tsx',
  'canvas/RemoteCursors.tsx',
  'i18n/nl-screens.ts',
]

interface ManifestChunk {
  file: string
  isEntry?: boolean
  imports?: string[]
}

/**
 * The JS files of the entry and `modules` with their static imports, from vite's manifest
 * (build.manifest); dynamic imports inside them (the editor, other routes) are not followed.
 */
function pathFiles(dist: string, modules: string[]): string[] | null {
  const file = path.join(dist, '.vite/manifest.json')
  if (!fs.existsSync(file)) return null
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, ManifestChunk>
  const out = new Set<string>()
  const visit = (key: string) => {
    const chunk = manifest[key]
    if (!chunk || out.has(chunk.file)) return
    out.add(chunk.file)
    for (const dep of chunk.imports ?? []) visit(dep)
  }
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key)
  for (const m of modules) {
    if (!manifest[m]) return null
    visit(m)
  }
  return [...out].filter((f) => f.endsWith('.js'))
}

/** Sizes of a built client in `dist`; builds the app first when its dist is missing. */
export function bundle(dist = APP_DIST): BundleResult | null {
  if (dist === APP_DIST && !fs.existsSync(path.join(dist, 'index.html'))) {
    try {
      execFileSync(path.join(REPO, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], {
        cwd: REPO,
        stdio: 'inherit',
      })
    } catch {
      return null
    }
  }
  if (!fs.existsSync(path.join(dist, 'index.html'))) return null
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8')
  // first load = the entry script and everything index.html preloads
  const first = new Set<string>()
  for (const m of html.matchAll(
    /<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="\/?([^"]+\.js)"/g,
  ))
    first.add(m[1]!)
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
  const sum = (files: string[]) =>
    files.map(size).reduce((a, s) => ({ raw: a.raw + s.raw, gz: a.gz + s.gz }), { raw: 0, gz: 0 })
  const f = sum([...first])
  const t = sum(all)
  const joinBoard = dist === APP_DIST ? pathFiles(dist, JOIN_BOARD_MODULES) : null
  const deferred =
    dist === APP_DIST
      ? pathFiles(dist, [...JOIN_BOARD_MODULES, ...AFTER_FIRST_PAINT_MODULES])
      : null
  return {
    firstLoadJsGzipKiB: f.gz / 1024,
    joinBoardJsGzipKiB: joinBoard ? sum(joinBoard).gz / 1024 : null,
    joinBoardDeferredJsGzipKiB: deferred ? sum(deferred).gz / 1024 : null,
    firstLoadJsKiB: f.raw / 1024,
    totalJsGzipKiB: t.gz / 1024,
    totalJsKiB: t.raw / 1024,
    files: all.length,
  }
}
