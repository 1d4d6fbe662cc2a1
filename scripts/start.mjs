// npm start: build the client if it is missing or older than its sources, then run the server
// in this process (so its PID is the server's and signals reach it directly).
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const built = path.join(repo, 'dist', 'index.html')

function newestMtime(dir) {
  let newest = 0
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs)
  }
  return newest
}

const sources = Math.max(
  newestMtime(path.join(repo, 'client')),
  newestMtime(path.join(repo, 'shared')),
)
if (!fs.existsSync(built) || fs.statSync(built).mtimeMs < sources) {
  console.error('stip: building the client (vite build)...')
  const { build } = await import('vite')
  await build({ configFile: path.join(repo, 'vite.config.ts'), logLevel: 'warn' })
}
const { register } = await import('tsx/esm/api')
register()
await import('../server/main.ts')
