/**
 * Listeners by key (a card id), for stores that tell each card of its own changes. A board holds
 * one or two listeners for each of its 1,000 cards, so a lone listener is kept as itself and a Set
 * is made only for a second one: three Sets per card (its fields, text and box) were about 300 KiB
 * of a 1,000-card board's heap (tests/bench/client.ts, the heap row).
 */
type Fn = () => void

export class KeyedListeners {
  private readonly byKey = new Map<string, Fn | Set<Fn>>()

  /** Adds `fn` under `key` (once, as a Set would); returns the removal. */
  add(key: string, fn: Fn): () => void {
    const cur = this.byKey.get(key)
    if (cur === undefined) this.byKey.set(key, fn)
    else if (typeof cur === 'function') {
      if (cur !== fn) this.byKey.set(key, new Set([cur, fn]))
    } else cur.add(fn)
    return () => this.remove(key, fn)
  }

  /** Calls the listeners under `key`. */
  call(key: string): void {
    const cur = this.byKey.get(key)
    if (typeof cur === 'function') cur()
    else if (cur) for (const fn of cur) fn()
  }

  /** The keys that have listeners. */
  keys(): IterableIterator<string> {
    return this.byKey.keys()
  }

  clear(): void {
    this.byKey.clear()
  }

  private remove(key: string, fn: Fn): void {
    const cur = this.byKey.get(key)
    if (cur === fn) this.byKey.delete(key)
    else if (cur instanceof Set) {
      cur.delete(fn)
      if (cur.size === 1) this.byKey.set(key, cur.values().next().value!)
    }
  }
}
