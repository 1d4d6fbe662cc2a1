/** Per-test cleanup: register teardown as you create things; it runs after each test, newest first. */
import { afterEach, expect } from 'vitest'
import { ApiError } from '../../shared/api.ts'
import type { ErrorCode } from '../../shared/protocol.ts'

export type Track = (fn: () => unknown) => void

export function useCleanups(): Track {
  const cleanups: (() => unknown)[] = []
  afterEach(async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn()
  })
  return (fn) => void cleanups.push(fn)
}

/** Asserts an HTTP error reply: status and the closed error code. */
export async function expectApiError(res: Response, status: number, code: ErrorCode) {
  expect(res.status).toBe(status)
  const body = ApiError.parse(await res.json())
  expect(body.error).toBe(code)
  return body
}
