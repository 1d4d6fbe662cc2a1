/**
 * A real PostgreSQL for tests. With DATABASE_URL set, that server; otherwise a private cluster in
 * a temp directory on a free port, started from Debian's postgresql binaries (`.ci/run` installs
 * them) and removed afterwards. Each suite works in a schema of its own, so suites never meet.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { freePort } from './ports.ts'

export interface TestPostgres {
  url: string
  /** A fresh schema name, unique in this process. */
  schema(prefix: string): string
  stop(): Promise<void>
  /** Stops the server at once (`pg_ctl -m immediate`: no checkpoint, sessions cut), data kept. */
  crash(): void
  /** Starts the stopped server again on the same port. */
  start(): void
}

function binDir(): string {
  const root = '/usr/lib/postgresql'
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : []
  if (!versions.length)
    throw new Error(
      'PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): apt-get install postgresql, as .ci/run does, or set DATABASE_URL',
    )
  return path.join(root, versions[0]!, 'bin')
}

let schemas = 0
const schemaMaker = (prefix: string) =>
  `${prefix}_${process.pid}_${++schemas}_${Date.now().toString(36)}`.toLowerCase()

/**
 * `durableCommits`: a commit is in the WAL before it returns (synchronous_commit on, as the durable
 * ack needs; docs/DEPLOY.md), so a PostgreSQL process crash loses no acked edit. fsync stays off:
 * the tests crash processes, not the machine.
 */
export async function startPostgres(
  opts: { durableCommits?: boolean } = {},
): Promise<TestPostgres> {
  if (process.env.DATABASE_URL)
    return {
      url: process.env.DATABASE_URL,
      schema: schemaMaker,
      stop: async () => {},
      crash: () => {
        throw new Error('crash() needs the private cluster: unset DATABASE_URL')
      },
      start: () => {},
    }

  const bin = binDir()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stip-pg-'))
  // PostgreSQL refuses to run as root: as root, the cluster belongs to the postgres user
  const asRoot = process.getuid?.() === 0
  const run = (cmd: string, args: string[]) =>
    execFileSync(asRoot ? 'runuser' : cmd, asRoot ? ['-u', 'postgres', '--', cmd, ...args] : args, {
      stdio: 'pipe',
    })
  if (asRoot) execFileSync('chown', ['postgres:postgres', dir])
  const data = path.join(dir, 'data')
  run(path.join(bin, 'initdb'), [
    '-D',
    data,
    '-A',
    'trust',
    '-U',
    'stip',
    '--no-sync',
    '-E',
    'UTF8',
  ])
  const port = await freePort()
  const settings = [
    `-p ${port}`,
    `-k ${dir}`,
    `-c listen_addresses=127.0.0.1`,
    // throwaway data: only a process crash is played, never the machine's
    `-c fsync=off`,
    `-c synchronous_commit=${opts.durableCommits ? 'on' : 'off'}`,
    `-c full_page_writes=off`,
  ].join(' ')
  const start = () =>
    run(path.join(bin, 'pg_ctl'), [
      '-D',
      data,
      '-o',
      settings,
      '-l',
      path.join(dir, 'log'),
      '-w',
      'start',
    ])
  start()
  return {
    url: `postgres://stip@127.0.0.1:${port}/postgres`,
    schema: schemaMaker,
    crash: () => run(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']),
    start,
    async stop() {
      try {
        run(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'])
      } finally {
        fs.rmSync(dir, { recursive: true, force: true })
      }
    },
  }
}
