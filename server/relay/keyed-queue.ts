/**
 * Runs async tasks one at a time per key, in the order they were queued. A task whose checks and
 * writes span several store calls (a round's status checked, then a ballot stored) cannot be
 * interleaved with another task of the same key; tasks of other keys run side by side.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>()

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve()
    const result = before.then(task, task)
    const tail = result.then(
      () => {},
      () => {},
    )
    this.tails.set(key, tail)
    // the last task of a key leaves nothing behind
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key)
    })
    return result
  }
}
