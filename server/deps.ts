/** What the server takes from the outside world, injected so tests are deterministic. */
export interface Clock {
  now(): number
}
export const systemClock: Clock = { now: () => Date.now() }

/** Calls `fn` every `ms` until the returned stop runs. Injected so tests fire it by hand, never wait. */
export type Repeat = (fn: () => void, ms: number) => () => void
export const systemRepeat: Repeat = (fn, ms) => {
  const timer = setInterval(fn, ms)
  // housekeeping must not keep the process alive
  timer.unref()
  return () => clearInterval(timer)
}

/** Calls `fn` once after `ms` unless the returned cancel runs first. Injected so tests fire it by hand. */
export type After = (fn: () => void, ms: number) => () => void
export const systemAfter: After = (fn, ms) => {
  const timer = setTimeout(fn, ms)
  // a pending duty must not keep the process alive
  timer.unref()
  return () => clearTimeout(timer)
}

export interface Logger {
  info(event: string, fields?: Record<string, string | number | boolean | null>): void
  warn(event: string, fields?: Record<string, string | number | boolean | null>): void
  error(event: string, fields?: Record<string, string | number | boolean | null>): void
}

/**
 * Structured one-line JSON logs. Callers pass ids and counts only: no card text, no names,
 * no IP addresses (privacy baseline).
 */
export function jsonLogger(
  write: (line: string) => void = (l) => process.stderr.write(l + '\n'),
): Logger {
  const at =
    (level: string) =>
    (event: string, fields: Record<string, unknown> = {}) =>
      write(JSON.stringify({ t: new Date().toISOString(), level, event, ...fields }))
  return { info: at('info'), warn: at('warn'), error: at('error') }
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} }
