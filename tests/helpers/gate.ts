/**
 * Holds a store's calls back until the test lets them go, so a test can stand exactly where an
 * async store leaves the relay: a room still loading, a commit still in flight. A held call reaches
 * the store only when released (as a PostgreSQL commit may land after anything sent later).
 */
import { ObservableV2 } from 'lib0/observable'
import type { AsyncStore } from '../../server/store/async-store.ts'

type Method = Exclude<keyof AsyncStore, 'file'>

interface Held {
  method: Method
  args: unknown[]
  release(): void
}

export class StoreGate extends ObservableV2<{ change: () => void }> {
  readonly held: Held[] = []
  /** Every call made, in order, with the moment its answer came back. */
  readonly calls: { method: Method; args: unknown[] }[] = []
  readonly done: Method[] = []
  private readonly closed = new Set<Method>()

  /** From now on, calls to these methods wait for `release`. */
  hold(...methods: Method[]): void {
    for (const m of methods) this.closed.add(m)
  }

  /** Stops holding these methods (every method when none named) and lets the held calls go. */
  open(...methods: Method[]): void {
    const which = methods.length ? methods : [...this.closed]
    for (const m of which) this.closed.delete(m)
    for (const h of this.held.filter((h) => which.includes(h.method))) this.releaseOne(h)
  }

  /** Lets the held calls to `method` go, and holds later ones still. */
  release(method: Method): void {
    for (const h of this.held.filter((h) => h.method === method)) this.releaseOne(h)
  }

  count(method: Method, matches: (args: unknown[]) => boolean = () => true): number {
    return this.calls.filter((c) => c.method === method && matches(c.args)).length
  }

  heldCount(method: Method): number {
    return this.held.filter((h) => h.method === method).length
  }

  private releaseOne(h: Held): void {
    const i = this.held.indexOf(h)
    if (i >= 0) this.held.splice(i, 1)
    h.release()
  }

  wrap(store: AsyncStore): AsyncStore {
    return new Proxy(store, {
      get: (target, prop, receiver) => {
        const value = Reflect.get(target, prop, receiver) as unknown
        if (prop === 'file' || typeof value !== 'function') return value
        const method = prop as Method
        const fn = value as (...args: unknown[]) => Promise<unknown>
        return async (...args: unknown[]) => {
          this.calls.push({ method, args })
          if (this.closed.has(method)) {
            await new Promise<void>((release) => {
              this.held.push({ method, args, release })
              this.emit('change', [])
            })
          }
          try {
            return await fn.apply(target, args)
          } finally {
            this.done.push(method)
            this.emit('change', [])
          }
        }
      },
    })
  }
}
