/**
 * Awareness updates from a socket may only speak for that socket's own Yjs client id and stay
 * small. Anything else is dropped before it reaches the shared awareness.
 */
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import { MAX_AWARENESS_BYTES } from '../../shared/limits.ts'

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

/**
 * Keeps the entry for the socket's own client id (the first id it ever announced) if it fits.
 * Returns the id to remember and the update to apply, or null to drop.
 */
export function filterAwareness(
  update: Uint8Array,
  ownId: number | null,
): { ownId: number; update: Uint8Array } | null {
  const [first] = readAwarenessEntries(update)
  if (!first) return null
  if (ownId !== null && first.clientId !== ownId) return null
  if (first.state.length > MAX_AWARENESS_BYTES) return null
  return { ownId: first.clientId, update: encodeAwarenessEntries([first]) }
}
