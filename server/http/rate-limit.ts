/**
 * Token buckets per client address and one for the whole server. A bucket refills at `perSecond`
 * up to `burst`; a request needs one whole token to start, and what it costs is charged after, so
 * an expensive outcome (a wrong join code) can leave the caller in debt it must wait out.
 */
import type { IncomingMessage } from 'node:http'
import type { Clock } from '../deps.ts'
import type { BucketRule, Config, RateLimits } from '../config.ts'
import {
  CREATE_LIMIT_OVERALL,
  CREATE_LIMIT_PER_ADDRESS,
  JOIN_FAILURE_COST,
  JOIN_LIMIT_OVERALL,
  JOIN_LIMIT_PER_ADDRESS,
  RATE_LIMIT_MAX_ADDRESSES,
} from '../../shared/limits.ts'
import { tooManyRequests } from './respond.ts'

interface Bucket {
  tokens: number
  at: number
}

class Buckets {
  /** Insertion order is least recently used first: touching a key moves it to the end. */
  private readonly byKey = new Map<string, Bucket>()

  constructor(
    private readonly rule: BucketRule,
    private readonly clock: Clock,
    private readonly maxKeys: number,
  ) {}

  /** The bucket refilled to now; a new key starts full. */
  private get(key: string): Bucket {
    const now = this.clock.now()
    let b = this.byKey.get(key)
    if (b) {
      this.byKey.delete(key)
      b.tokens = Math.min(this.rule.burst, b.tokens + ((now - b.at) / 1000) * this.rule.perSecond)
      b.at = now
    } else {
      // Memory stays bounded; an address evicted this way starts full again, which the overall
      // bucket still bounds.
      if (this.byKey.size >= this.maxKeys) this.byKey.delete(this.byKey.keys().next().value!)
      b = { tokens: this.rule.burst, at: now }
    }
    this.byKey.set(key, b)
    return b
  }

  /** 0 when a request may start now, else the milliseconds until it may. */
  waitMs(key: string): number {
    const b = this.get(key)
    return b.tokens >= 1 ? 0 : Math.ceil(((1 - b.tokens) / this.rule.perSecond) * 1000)
  }

  charge(key: string, cost: number): void {
    this.get(key).tokens -= cost
  }

  get size(): number {
    return this.byKey.size
  }
}

const OVERALL = '*'

/** One limit: per address and overall. */
export class RateLimit {
  private readonly perAddress: Buckets
  private readonly overall: Buckets

  constructor(
    rules: { perAddress: BucketRule; overall: BucketRule },
    clock: Clock,
    maxAddresses = RATE_LIMIT_MAX_ADDRESSES,
  ) {
    this.perAddress = new Buckets(rules.perAddress, clock, maxAddresses)
    this.overall = new Buckets(rules.overall, clock, 1)
  }

  /** 0 when `address` may make a request now, else the milliseconds to wait. */
  waitMs(address: string): number {
    return Math.max(this.perAddress.waitMs(address), this.overall.waitMs(OVERALL))
  }

  charge(address: string, cost: number): void {
    this.perAddress.charge(address, cost)
    this.overall.charge(OVERALL, cost)
  }

  /** Addresses tracked now (bounded by maxAddresses). */
  get trackedAddresses(): number {
    return this.perAddress.size
  }
}

/**
 * The caller's address. X-Forwarded-For is only believed behind a proxy we were told about
 * (TRUST_PROXY): anyone else could send a new one with every request. Its last entry is the one
 * the nearest proxy added.
 */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for']
    const last = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? ''))
      .split(',')
      .pop()
      ?.trim()
    if (last) return last.slice(0, 64)
  }
  return req.socket.remoteAddress ?? 'unknown'
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  join: {
    perAddress: JOIN_LIMIT_PER_ADDRESS,
    overall: JOIN_LIMIT_OVERALL,
    failureCost: JOIN_FAILURE_COST,
  },
  create: { perAddress: CREATE_LIMIT_PER_ADDRESS, overall: CREATE_LIMIT_OVERALL },
}

/** The server's abuse limits, one set per server. Each `admit` throws 429 while limited. */
export class AbuseLimits {
  private readonly join: RateLimit
  private readonly create: RateLimit
  private readonly failureCost: number
  private readonly trustProxy: boolean

  constructor(config: Pick<Config, 'clock' | 'rateLimits' | 'trustProxy'>) {
    const rules = { ...DEFAULT_RATE_LIMITS, ...config.rateLimits }
    this.join = new RateLimit(rules.join, config.clock)
    this.create = new RateLimit(rules.create, config.clock)
    this.failureCost = rules.join.failureCost
    this.trustProxy = config.trustProxy ?? false
  }

  /** Addresses another instance of the cluster vouched for (forwarded with the cluster secret). */
  private readonly vouched = new WeakMap<IncomingMessage, string>()

  address(req: IncomingMessage): string {
    return this.vouched.get(req) ?? clientAddress(req, this.trustProxy)
  }

  /** The request came through another instance, which saw the client's own address. */
  vouch(req: IncomingMessage, address: string): void {
    this.vouched.set(req, address)
  }

  /**
   * Starts a join-code attempt (lookup, link, QR, join): refused while the address or the server
   * is over the limit, before the code is even looked at, so a refusal says nothing about it.
   * Returns what `joinFailed` needs when the code turns out wrong.
   */
  admitJoin(req: IncomingMessage): string {
    const address = this.address(req)
    this.admitJoinFrom(address, 1)
    return address
  }

  private admitJoinFrom(address: string, cost: number): void {
    const wait = this.join.waitMs(address)
    if (wait > 0) throw tooManyRequests(wait)
    this.join.charge(address, cost)
  }

  /** A wrong code: guessers are wrong nearly always, so it costs more than a right one. */
  joinFailed(address: string, alreadyCharged = 1): void {
    this.join.charge(address, Math.max(0, this.failureCost - alreadyCharged))
  }

  /**
   * A socket's viewer hello (it carries the join code) under the same limit: null while limited,
   * else what to call when the code is wrong. A right code costs nothing here, so a projector
   * that reconnects all day is never refused.
   */
  viewerGate(address: string): (() => void) | null {
    if (this.join.waitMs(address) > 0) return null
    return () => this.joinFailed(address, 0)
  }

  /** Workshop creation, follow-ups included: every attempt costs, a refused key too. */
  admitCreate(req: IncomingMessage): void {
    const address = this.address(req)
    const wait = this.create.waitMs(address)
    if (wait > 0) throw tooManyRequests(wait)
    this.create.charge(address, 1)
  }
}
