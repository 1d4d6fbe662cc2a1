import { type DependencyList, useMemo } from 'react'

/**
 * A value read from mutable state React cannot see change (a Yjs type, a ref of measured sizes).
 * `version` is bumped by that state's observer and stands for its contents: the read is redone
 * when it or one of `deps` changes. The read never mentions `version`, which is why this is not a
 * plain useMemo the hooks lint could check; keep every other input of `read` in `deps`.
 */
export function useVersionedMemo<T>(read: () => T, deps: DependencyList, version: number): T {
  // eslint-disable-next-line react-hooks/exhaustive-deps -- deps are the caller's, checked there by review
  return useMemo(read, [...deps, version])
}
