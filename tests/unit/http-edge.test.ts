import { describe, expect, it } from 'vitest'
import { RateLimit } from '../../server/http/rate-limit.ts'
import { isStorageFailure } from '../../server/http/respond.ts'
import { StorageFailingError } from '../../server/store/errors.ts'

const clockAt = (start = 0) => {
  let t = start
  return { now: () => t, advance: (ms: number) => void (t += ms) }
}

describe('rate limit buckets', () => {
  it('a bucket lets its burst through, then one request per refill interval; debt is waited out', () => {
    const clock = clockAt()
    const limit = new RateLimit(
      { perAddress: { burst: 3, perSecond: 2 }, overall: { burst: 100, perSecond: 100 } },
      clock,
    )
    for (let i = 0; i < 3; i++) {
      expect(limit.waitMs('a')).toBe(0)
      limit.charge('a', 1)
    }
    expect(limit.waitMs('a')).toBe(500)
    clock.advance(500)
    expect(limit.waitMs('a')).toBe(0)
    limit.charge('a', 5) // a costly failure: 4 tokens in debt
    expect(limit.waitMs('a')).toBe(2500)
    expect(limit.waitMs('b')).toBe(0)
  })

  it('remembers at most maxAddresses addresses, forgetting the least recently seen', () => {
    const limit = new RateLimit(
      { perAddress: { burst: 1, perSecond: 1 }, overall: { burst: 1e9, perSecond: 1 } },
      clockAt(),
      100,
    )
    for (let i = 0; i < 10_000; i++) limit.charge(`10.0.${i >> 8}.${i & 255}`, 1)
    expect(limit.trackedAddresses).toBe(100)
    // the newest are still remembered (and limited), the oldest were forgotten
    expect(limit.waitMs('10.0.39.15')).toBeGreaterThan(0)
    expect(limit.waitMs('10.0.0.0')).toBe(0)
  })
})

describe('storage failures', () => {
  it('SQLite disk and lock errors and the room’s uncommitted state count as storage failures; other errors do not', () => {
    const sqlite = (code: string) => Object.assign(new Error('x'), { code })
    for (const code of [
      'SQLITE_FULL',
      'SQLITE_IOERR_WRITE',
      'SQLITE_BUSY',
      'SQLITE_LOCKED',
      'SQLITE_READONLY',
    ]) {
      expect(isStorageFailure(sqlite(code)), code).toBe(true)
    }
    expect(isStorageFailure(new StorageFailingError('state not committed'))).toBe(true)
    // matched by type, not by what a message happens to say
    expect(isStorageFailure(new Error('storage is failing; state not committed'))).toBe(false)
    expect(isStorageFailure(sqlite('SQLITE_CONSTRAINT_UNIQUE'))).toBe(false)
    expect(isStorageFailure(new TypeError('x is undefined'))).toBe(false)
    expect(isStorageFailure('SQLITE_FULL')).toBe(false)
  })
})
