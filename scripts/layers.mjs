// Client folders depend one way: each imports only from folders in a lower layer (issue #14,
// point 9). Relative imports are read with a plain scan, enough for this codebase's import style.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const client = path.join(repo, 'client')

/** Lowest first. Folders in one entry may not import each other either. */
export const LAYERS = [
  ['i18n'],
  ['lib'],
  ['sync'],
  ['model'],
  ['widgets'],
  ['cards'],
  ['voting'],
  ['facilitation'],
  ['organiser'],
  ['canvas'],
  ['board', 'list', 'replay', 'present'],
  ['app'],
]
const rank = new Map(LAYERS.flatMap((folders, i) => folders.map((f) => [f, i])))

function* sources(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name)
    if (entry.isDirectory()) yield* sources(p)
    else if (/\.tsx?$/.test(entry.name)) yield p
  }
}

const folderOf = (file) => path.relative(client, file).split(path.sep)[0]
const problems = []
for (const file of sources(client)) {
  const from = folderOf(file)
  if (from === path.basename(file)) continue // client/main.tsx sits on top of everything
  const text = fs.readFileSync(file, 'utf8')
  for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*)'(\.{1,2}\/[^']+)'/g)) {
    const target = path.resolve(path.dirname(file), m[1])
    if (!target.startsWith(client + path.sep)) continue
    const to = folderOf(target)
    if (to === from) continue
    if (!rank.has(from) || !rank.has(to))
      problems.push(
        `${path.relative(repo, file)}: folder ${!rank.has(from) ? from : to} has no layer`,
      )
    else if (rank.get(to) >= rank.get(from))
      problems.push(`${path.relative(repo, file)} imports ${m[1]}: ${from} may not depend on ${to}`)
  }
}
if (problems.length) {
  console.error(
    `client layers (${LAYERS.map((l) => l.join('|')).join(' < ')}):\n  ${problems.join('\n  ')}`,
  )
  process.exit(1)
}
console.log('client layers: every import points down')
