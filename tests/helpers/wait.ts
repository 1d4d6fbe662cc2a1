/**
 * Waiting without sleeping: re-check a condition whenever one of the given sources reports a
 * change, and fail with a clear message if it does not hold within the deadline.
 */
export interface ChangeSource {
  on(event: string, fn: (...args: never[]) => void): void
  off(event: string, fn: (...args: never[]) => void): void
}

export function until(
  what: string,
  sources: [ChangeSource, string][],
  condition: () => boolean,
  timeoutMs = 10_000,
): Promise<void> {
  if (condition()) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!condition()) return
      cleanup()
      resolve()
    }
    const timer = setTimeout(() => {
      cleanup()
      reject(new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`))
    }, timeoutMs)
    const cleanup = () => {
      clearTimeout(timer)
      for (const [s, e] of sources) s.off(e, check)
    }
    for (const [s, e] of sources) s.on(e, check)
  })
}

/** Resolves with the arguments of the next matching event. */
export function nextEvent<T extends unknown[]>(
  source: ChangeSource,
  event: string,
  matches: (...args: T) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const fn = (...args: T) => {
      if (!matches(...args)) return
      clearTimeout(timer)
      source.off(event, fn as never)
      resolve(args)
    }
    const timer = setTimeout(() => {
      source.off(event, fn as never)
      reject(new Error(`timed out after ${timeoutMs} ms waiting for event ${event}`))
    }, timeoutMs)
    source.on(event, fn as never)
  })
}
