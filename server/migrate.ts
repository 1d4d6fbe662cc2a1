/**
 * npm run migrate -- --from <sqlite data dir> --to <DATABASE_URL> [--schema <name>]
 * Copies every workshop of an embedded SQLite install into PostgreSQL (issue #12), then says what
 * it copied. Safe to rerun: workshops already in the target are skipped.
 */
import { copySqliteToPostgres } from './store/copy-to-postgres.ts'
import { openPostgresStore } from './store/postgres.ts'

/** The command's own output: what it did, for the person who ran it. */
const say = (line: string) => process.stdout.write(`${line}\n`)

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : undefined
}

const from = arg('from')
const to = arg('to') ?? process.env.DATABASE_URL
if (!from || !to) {
  console.error(
    'usage: npm run migrate -- --from <sqlite data dir> --to <DATABASE_URL> [--schema <name>]',
  )
  process.exit(2)
}
const target = await openPostgresStore({ connectionString: to, schema: arg('schema') })
try {
  const report = await copySqliteToPostgres(from, target, (id, done, total) =>
    say(`stip migrate: ${done}/${total} ${id}`),
  )
  say(
    `stip migrate: copied ${report.copied.length} workshop(s), skipped ${report.skipped.length} already there; rows: ${JSON.stringify(report.rows)}`,
  )
} catch (err) {
  console.error(`stip migrate: failed: ${err instanceof Error ? err.message : String(err)}`)
  process.exitCode = 1
} finally {
  await target.close()
}
