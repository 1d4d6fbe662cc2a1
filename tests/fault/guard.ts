/**
 * The server runs in the test's own process, so "the server never dies" means: no uncaught
 * exception and no unhandled rejection while the test runs. Collect them and let the test assert.
 */
export interface ProcessGuard {
  readonly errors: string[]
  stop(): void
}

export function guardProcess(): ProcessGuard {
  const errors: string[] = []
  const onError = (err: unknown) =>
    errors.push(`uncaughtException: ${err instanceof Error ? err.stack : String(err)}`)
  const onRejection = (err: unknown) =>
    errors.push(`unhandledRejection: ${err instanceof Error ? err.stack : String(err)}`)
  process.on('uncaughtException', onError)
  process.on('unhandledRejection', onRejection)
  return {
    errors,
    stop() {
      process.off('uncaughtException', onError)
      process.off('unhandledRejection', onRejection)
    },
  }
}
