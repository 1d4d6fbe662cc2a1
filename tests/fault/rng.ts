/**
 * Seeded randomness for the fault suite. Every fuzz test takes its seed from STIP_FUZZ_SEED when
 * set (to replay a failure), else picks one, and logs it so a failing run can be replayed.
 */
export interface Rng {
  readonly seed: number
  /** Uniform in [0, 1). */
  next(): number
  /** Integer in [0, n). */
  int(n: number): number
  /** Integer in [lo, hi]. */
  range(lo: number, hi: number): number
  bool(p?: number): boolean
  pick<T>(items: readonly T[]): T
  bytes(n: number): Uint8Array
}

/** mulberry32: 32-bit state, fast, good enough to drive a fuzzer; not for secrets. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (n: number) => Math.floor(next() * n)
  return {
    seed: seed >>> 0,
    next,
    int,
    range: (lo, hi) => lo + int(hi - lo + 1),
    bool: (p = 0.5) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from empty list')
      return items[int(items.length)]!
    },
    bytes(n) {
      const out = new Uint8Array(n)
      for (let i = 0; i < n; i++) out[i] = int(256)
      return out
    },
  }
}

/** The seed for this run: STIP_FUZZ_SEED if given (decimal or 0x-hex), else a fresh one. */
export function fuzzSeed(): number {
  const env = process.env.STIP_FUZZ_SEED
  if (env !== undefined && env !== '') {
    const n = Number(env)
    if (!Number.isInteger(n)) throw new Error(`STIP_FUZZ_SEED must be an integer, got ${env}`)
    return n >>> 0
  }
  return (Math.random() * 2 ** 32) >>> 0
}

/** A seeded generator whose seed is printed now, and again with a replay hint if `run` fails. */
export async function withSeed<T>(name: string, run: (rng: Rng) => Promise<T>): Promise<T> {
  const rng = mulberry32(fuzzSeed())
  console.log(`[${name}] seed ${rng.seed} (replay: STIP_FUZZ_SEED=${rng.seed})`)
  try {
    return await run(rng)
  } catch (err) {
    console.error(`[${name}] FAILED with seed ${rng.seed}; replay with STIP_FUZZ_SEED=${rng.seed}`)
    throw err
  }
}
