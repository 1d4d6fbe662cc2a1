/**
 * A fault nobody caught (issue #13, finding 13): server/main.ts logs it by name only and exits 1,
 * for a supervisor to start a clean process (README), instead of running on in a state nobody
 * knows. The real entry point runs as a child process; the fault is raised in it once it listens.
 */
import { spawn } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { REPO, tempDir } from '../helpers/server.ts'

const SECRET = 'Kaart van Carla: mijn adres is Dorpsstraat 1'

/** Starts server/main.ts, raises `fault` in its process once it listens; resolves on exit. */
function runWithFault(fault: 'throw' | 'reject') {
  const raise =
    fault === 'throw'
      ? `setImmediate(() => { throw new Error(${JSON.stringify(SECRET)}) })`
      : `setImmediate(() => { void Promise.reject(new Error(${JSON.stringify(SECRET)})) })`
  const main = path.join(REPO, 'server/main.ts')
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `await import(${JSON.stringify(main)}); ${raise}`,
    ],
    {
      cwd: REPO,
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: '0',
        DATA_DIR: tempDir(),
        STATIC_DIR: '/nonexistent',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let output = ''
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()))
  return new Promise<{ code: number | null; output: string }>((resolve) =>
    child.once('exit', (code) => resolve({ code, output })),
  )
}

describe('an uncaught fault ends the process', () => {
  it('an uncaught exception is logged as process.uncaught, without its message, and the process exits 1', async () => {
    const { code, output } = await runWithFault('throw')
    expect(output).toContain('STIP_LISTENING')
    expect(output).toContain('process.uncaught')
    expect(output).not.toContain('Dorpsstraat')
    expect(code).toBe(1)
  })

  it('an unhandled rejection is logged as process.unhandled, without its message, and the process exits 1', async () => {
    const { code, output } = await runWithFault('reject')
    expect(output).toContain('STIP_LISTENING')
    expect(output).toContain('process.unhandled')
    expect(output).not.toContain('Dorpsstraat')
    expect(code).toBe(1)
  })
})
