/**
 * What the edge asks of the store (route.ts), with the answer "this workshop exists" kept for a
 * moment: a workshop this instance does not own is asked about on every request and socket that
 * is forwarded, and a workshop, once created, goes on existing until it is purged.
 *
 * Bound: a workshop purged on another instance may be taken to exist here for up to
 * EXISTS_TTL_MS. In that time a request for it is forwarded to its old owner (which answers 404)
 * or told to retry; if this instance takes the lease on a cached answer, it asks the store again
 * before serving (route.ts), and a gone workshop's fresh lease and owner row are dropped. After
 * EXISTS_TTL_MS every instance answers 404 from the store. A purge on this instance forgets the
 * answer at once.
 */
import type { Clock } from '../deps.ts'
import type { AsyncStore } from '../store/async-store.ts'

/** How long a positive answer is kept; only that long may a purge elsewhere go unseen here. */
export const EXISTS_TTL_MS = 5_000

export interface Directory {
  /** `fresh`: asked of the store, whatever is kept. */
  workshopExists(workshopId: string, fresh?: boolean): Promise<boolean>
  workshopIdByCode(code: string): Promise<string | null>
  /**
   * The workshop was gone when this instance had just taken its lease on a kept answer: the
   * lease and the owner row that taking it wrote go too.
   */
  abandon(workshopId: string): Promise<void>
}

export interface CachedDirectory extends Directory {
  /** Wraps the store so that a purge through it forgets the workshop here. */
  watching<S extends AsyncStore>(store: S): S
}

export function cachedDirectory(
  store: Pick<AsyncStore, 'workshop' | 'workshopByCode' | 'deleteWorkshop'>,
  clock: Clock,
  release: (workshopId: string) => Promise<void>,
  ttlMs = EXISTS_TTL_MS,
): CachedDirectory {
  /** Workshop id → when its "exists" was read. */
  const seen = new Map<string, number>()
  /** Bumped as each purge begins and ends: a read that spans one is not kept. */
  let purges = 0
  const forget = (id: string) => {
    purges++
    seen.delete(id)
  }
  /** A deletion through `del`, with the answer forgotten as it begins and once it is done. */
  const purging = async (id: string, del: (id: string) => Promise<void>) => {
    forget(id)
    try {
      await del(id)
    } finally {
      forget(id)
    }
  }
  return {
    async workshopExists(id, fresh = false) {
      const at = seen.get(id)
      const now = clock.now()
      if (!fresh && at !== undefined && now - at < ttlMs) return true
      seen.delete(id)
      const before = purges
      const exists = Boolean(await store.workshop(id))
      if (exists && purges === before) seen.set(id, now)
      // a kept answer per workshop ever asked about: drop the stale ones as they are met
      if (seen.size > 10_000) for (const [k, t] of seen) if (now - t >= ttlMs) seen.delete(k)
      return exists
    },
    workshopIdByCode: async (code) => (await store.workshopByCode(code))?.id ?? null,
    async abandon(id) {
      await release(id)
      await purging(id, store.deleteWorkshop)
    },
    watching: (s) =>
      new Proxy(s, {
        get: (target, key) =>
          key === 'deleteWorkshop'
            ? (id: string) => purging(id, target.deleteWorkshop)
            : Reflect.get(target, key),
      }),
  }
}
