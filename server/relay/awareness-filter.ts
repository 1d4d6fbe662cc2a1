/**
 * Awareness updates from a socket may only speak for that socket's own Yjs client id and stay
 * small. Anything else is dropped before it reaches the shared awareness.
 */
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import { MAX_AWARENESS_BYTES } from '../../shared/limits.ts'
import { Anonymity } from '../../shared/schema.ts'

export interface AwarenessEntry {
  clientId: number
  clock: number
  state: string
}

/** Throws on malformed input (the caller closes the socket). */
export function readAwarenessEntries(update: Uint8Array): AwarenessEntry[] {
  const d = decoding.createDecoder(update)
  const count = decoding.readVarUint(d)
  const out: AwarenessEntry[] = []
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(d)
    const clock = decoding.readVarUint(d)
    const state = decoding.readVarString(d)
    JSON.parse(state) // malformed JSON is a bad message, not a state
    // Keeping only the first entry per socket bounds work for "thousands of client ids" floods.
    if (out.length === 0) out.push({ clientId, clock, state })
  }
  return out
}

export function encodeAwarenessEntries(entries: AwarenessEntry[]): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, entries.length)
  for (const x of entries) {
    encoding.writeVarUint(e, x.clientId)
    encoding.writeVarUint(e, x.clock)
    encoding.writeVarString(e, x.state)
  }
  return encoding.toUint8Array(e)
}

/** Rewrites a presence state before others see it; null states (leaving) pass untouched. */
export type PresencePolicy = (state: Record<string, unknown>) => Record<string, unknown>

/**
 * Keeps the entry for the socket's own client id (the first id it ever announced) if it fits.
 * Returns the id to remember and the update to apply, or null to drop.
 */
export function filterAwareness(
  update: Uint8Array,
  ownId: number | null,
  policy?: PresencePolicy,
): { ownId: number; update: Uint8Array } | null {
  const [first] = readAwarenessEntries(update)
  if (!first) return null
  if (ownId !== null && first.clientId !== ownId) return null
  if (first.state.length > MAX_AWARENESS_BYTES) return null
  const entry = policy ? applyPolicy(first, policy) : first
  return entry && { ownId: first.clientId, update: encodeAwarenessEntries([entry]) }
}

function applyPolicy(entry: AwarenessEntry, policy: PresencePolicy): AwarenessEntry | null {
  const state: unknown = JSON.parse(entry.state)
  if (state === null) return entry
  if (typeof state !== 'object' || Array.isArray(state)) return null
  return { ...entry, state: JSON.stringify(policy(state as Record<string, unknown>)) }
}

/**
 * What others learn about a participant from presence, by the workshop's anonymity: in a named
 * workshop the name they joined with (nobody can pose as someone else), with a table only the
 * table they joined, anonymous neither. An empty name is shown as "a participant".
 */
export function participantPresence(
  anonymity: Anonymity,
  who: { name: string | null; tableId: string | null },
): PresencePolicy {
  return (state) => {
    const user = state['user']
    if (typeof user !== 'object' || user === null || Array.isArray(user)) return state
    return {
      ...state,
      user: {
        ...user,
        name: anonymity === Anonymity.Named ? (who.name ?? '') : '',
        table: anonymity === Anonymity.Anonymous ? null : who.tableId,
      },
    }
  }
}
