/**
 * Voting decided by the database (issue #12 point 4), on a real PostgreSQL with two instances'
 * pools: one open round per workshop, and no ballot lands after the close took the tally.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Round } from '../../shared/control.ts'
import { ErrorCode } from '../../shared/protocol.ts'
import { type PostgresStore, openPostgresStore } from '../../server/store/postgres.ts'
import { checkBallot, tally } from '../../server/voting/ballots.ts'
import { LedgerError } from '../../server/voting/ledger.ts'
import { postgresLedger } from '../../server/voting/ledger-postgres.ts'
import { readingThrough } from '../../server/voting/ledger-read-through.ts'
import { type TestPostgres, startPostgres } from '../helpers/postgres.ts'

let db: TestPostgres
let a: PostgresStore
let b: PostgresStore
beforeAll(async () => {
  db = await startPostgres()
  const schema = db.schema('ledger')
  a = await openPostgresStore({ connectionString: db.url, schema, max: 10 })
  b = await openPostgresStore({ connectionString: db.url, schema, max: 2 })
}, 60_000)
afterAll(async () => {
  await a?.close()
  await b?.close()
  await db?.stop()
})

const round = (id: string): Round => ({
  id,
  title: 'Welke opgaven pakken we op?',
  kind: 'dots',
  taskIds: ['t1', 't2', 't3'],
  dotsPerPerson: 3,
  maxPerTask: 2,
  status: 'open',
  openedAt: 1,
  closedAt: null,
  voterCount: 0,
})

const dots = (entries: [string, number][]) => (r: Round) =>
  checkBallot(r, { dots: new Map(entries) })

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => (e instanceof LedgerError ? e.code : e),
  )

describe('the round ledger', () => {
  it('allows one open round per workshop', async () => {
    const ledger = postgresLedger(a.pool)
    const other = postgresLedger(b.pool)
    // two instances open at once: one wins
    const both = await Promise.all([
      refusal(ledger.open('w1', round('r1'))),
      refusal(other.open('w1', round('r2'))),
    ])
    expect(both.filter((r) => r === null)).toHaveLength(1)
    expect(both.filter((r) => r === ErrorCode.RoundAlreadyOpen)).toHaveLength(1)
    const winner = both[0] === null ? 'r1' : 'r2'
    await ledger.closeRound('w1', winner, 5)
    await ledger.open('w1', round('r3'))
    // another workshop is not affected
    await other.open('w2', round('r1'))
  })

  it('checks a ballot under the round’s lock and counts its voters', async () => {
    const ledger = postgresLedger(a.pool)
    await ledger.open('w3', round('r'))
    const cast = (participantId: string, entries: [string, number][]) =>
      ledger.cast(
        { workshopId: 'w3', roundId: 'r', participantId, tableId: 'tafel', castAt: 2 },
        dots(entries),
      )
    expect((await cast('p1', [['t1', 2]])).voters).toBe(1)
    expect((await cast('p2', [['t2', 1]])).voters).toBe(2)
    // a new ballot from the same person replaces the old one
    expect((await cast('p1', [['t3', 1]])).voters).toBe(2)
    expect(await refusal(cast('p3', [['t1', 3]]))).toBe(ErrorCode.VoteLimit)
    expect(await refusal(cast('p3', [['nope', 1]]))).toBe(ErrorCode.BadRequest)
    expect((await ledger.round('w3', 'r'))?.voterCount).toBe(2)
    await ledger.closeRound('w3', 'r', 9)
    expect(await refusal(cast('p4', [['t1', 1]]))).toBe(ErrorCode.RoundNotOpen)
    expect(await refusal(ledger.remove('w3', 'nope'))).toBe(ErrorCode.RoundNotFound)
  })

  it('keeps a deleted round deleted while the control doc still shows it (its removal failed)', async () => {
    const rows = postgresLedger(a.pool)
    // the control doc's display copy: the round as opened, kept there because its removal never landed
    const shown: Round[] = []
    const ledger = readingThrough(rows, () => Promise.resolve(shown))
    shown.push(await ledger.open('w5', round('gone')))
    await ledger.cast(
      { workshopId: 'w5', roundId: 'gone', participantId: 'p1', tableId: 'tafel', castAt: 2 },
      dots([['t1', 1]]),
    )
    await ledger.remove('w5', 'gone')
    // not taken in again from the display copy, as a round with 0 ballots
    expect(await ledger.round('w5', 'gone')).toBeNull()
    const again = ledger.cast(
      { workshopId: 'w5', roundId: 'gone', participantId: 'p2', tableId: 'tafel', castAt: 3 },
      dots([['t1', 1]]),
    )
    expect(await refusal(again)).toBe(ErrorCode.RoundNotFound)
    // the facilitator deletes it again: answered, so the route writes the doc's removal once more
    await ledger.remove('w5', 'gone')
    // and a new round can open
    await ledger.open('w5', round('next'))
  })

  it('lets no ballot in after a close on another instance took the tally', async () => {
    const caster = postgresLedger(a.pool)
    const closer = postgresLedger(b.pool)
    await caster.open('w4', round('r'))
    const N = 240
    let settled = 0
    let closing: Promise<{ ballots: { participantId: string }[] }> | null = null
    const casts = Array.from({ length: N }, (_, i) =>
      caster
        .cast(
          { workshopId: 'w4', roundId: 'r', participantId: `p${i}`, tableId: 't', castAt: i },
          dots([['t1', 1]]),
        )
        .then(
          () => `p${i}`,
          (e: unknown) => {
            if (!(e instanceof LedgerError) || e.code !== ErrorCode.RoundNotOpen) throw e
            return null
          },
        )
        .finally(() => {
          // the close races the casts still in flight
          if (++settled === N / 4) closing = closer.closeRound('w4', 'r', 1_000)
        }),
    )
    const accepted = (await Promise.all(casts)).filter((p): p is string => p !== null)
    const closed = await closing!
    const atClose = closed.ballots.map((x) => x.participantId).sort()
    expect(atClose).toEqual([...accepted].sort())
    // some were in before the close, some came too late: the race really happened
    expect(accepted.length).toBeGreaterThanOrEqual(N / 4)
    expect(accepted.length).toBeLessThan(N)
    // the reveal's tally counts exactly those ballots
    const revealed = await closer.reveal('w4', 'r', 2_000, (r, rows) =>
      tally(
        r,
        rows.map((x) => ({
          participantId: x.participantId,
          tableId: x.tableId,
          ...JSON.parse(x.ballot),
        })),
        { anonymity: 'named', minTableVoters: 3 },
      ),
    )
    expect(revealed.tally.voters).toBe(accepted.length)
    expect(revealed.round.status).toBe('revealed')
    expect(await refusal(caster.remove('w4', 'r'))).toBe(ErrorCode.RoundRevealed)
  })
})
