// npm test: typecheck, build the client (the e2e tests drive the built app), run every vitest
// suite, and close with the plain line "N passed, N failed" that CI reads.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const bin = (name) => path.join(repo, 'node_modules', '.bin', name)
const run = (cmd, args) => spawnSync(cmd, args, { cwd: repo, stdio: 'inherit' }).status === 0

let extraFailed = 0
let extraPassed = 0
const step = (label, ok) => {
  console.log(`stip test: ${label} ${ok ? 'ok' : 'FAILED'}`)
  if (ok) extraPassed++
  else extraFailed++
}

step('typecheck', run('npm', ['run', '--silent', 'typecheck']))
step('lint and format', run('npm', ['run', '--silent', 'lint']))
step('no import cycles', run('npm', ['run', '--silent', 'cycles']))
step('client layers point one way', run('node', ['scripts/layers.mjs']))
step('client build', run(bin('vite'), ['build', '--logLevel', 'warn']))

const report = path.join(repo, '.vitest-report.json')
fs.rmSync(report, { force: true })
const args = [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...process.argv.slice(2),
]
const vitestOk = run(bin('vitest'), args)

let passed = 0
let failed = 0
if (fs.existsSync(report)) {
  const r = JSON.parse(fs.readFileSync(report, 'utf8'))
  passed = r.numPassedTests
  failed = r.numFailedTests
  // a suite that fails to load has no tests to count but is still a failure
  failed += r.testResults.filter(
    (s) => s.status === 'failed' && s.assertionResults.length === 0,
  ).length
} else {
  failed += 1
}
if (!vitestOk && failed === 0) failed = 1
passed += extraPassed
failed += extraFailed
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
