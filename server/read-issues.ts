/**
 * Logs the doc entries readers dropped (`schema.dropped_entry` {root, count}: no content). A bad
 * entry is seen by every read of its doc, so counts are summed and logged at most once per root
 * per LOG_EVERY_MS.
 */
import { onDroppedEntries } from '../shared/read-issues.ts'
import type { Clock, Logger } from './deps.ts'

/** One line a minute per root is enough to notice; more would flood the log on a busy board. */
const LOG_EVERY_MS = 60_000

export function logDroppedEntries(log: Logger, clock: Clock): () => void {
  const pending = new Map<string, { count: number; loggedAt: number | null }>()
  return onDroppedEntries((root, count) => {
    const entry = pending.get(root) ?? { count: 0, loggedAt: null }
    entry.count += count
    pending.set(root, entry)
    const now = clock.now()
    if (entry.loggedAt !== null && now - entry.loggedAt < LOG_EVERY_MS) return
    log.warn('schema.dropped_entry', { root, count: entry.count })
    entry.count = 0
    entry.loggedAt = now
  })
}
