/**
 * Awareness updates from a socket may only speak for that socket's own Yjs client id, stay small,
 * and hold only the presence fields an honest client sends. The fields that say who someone is
 * (name, table, role) are built here from the socket's identity, never taken from the client.
 */
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import { MAX_AWARENESS_BYTES } from '../../shared/limits.ts'
import { Role } from '../../shared/protocol.ts'
import { Anonymity } from '../../shared/schema.ts'
import {
  ClientPresenceSchema,
  FacilitatorPresenceSchema,
  type PresenceState,
  PresenceRole,
  paletteColor,
} from '../../shared/presence.ts'
import type { Identity } from '../identity.ts'

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
 * Builds the presence others see from what a client sent (already parsed); null states (leaving)
 * never reach it. Returns null to drop the state.
 */
export type PresencePolicy = (clientId: number, claimed: unknown) => PresenceState | null

/**
 * The entry for one client id, rewritten by the policy, if it fits. Returns the client id it
 * speaks for and the update to apply, or null to drop it. The caller checks the id is this
 * socket's own (awareness-ids.ts).
 */
export function filterAwareness(
  update: Uint8Array,
  policy: PresencePolicy,
): { clientId: number; update: Uint8Array } | null {
  const [first] = readAwarenessEntries(update)
  if (!first) return null
  if (first.state.length > MAX_AWARENESS_BYTES) return null
  const claimed: unknown = JSON.parse(first.state)
  if (claimed === null) return { clientId: first.clientId, update: encodeAwarenessEntries([first]) }
  const state = policy(first.clientId, claimed)
  if (!state) return null
  return {
    clientId: first.clientId,
    update: encodeAwarenessEntries([{ ...first, state: JSON.stringify(state) }]),
  }
}

/**
 * The policy for a socket, by role. A viewer (projector) has no presence at all: it never appears
 * among the people present, whatever it sends, so it gets no policy and its awareness is dropped.
 * `anonymity` is read for every state: the workshop row owns it and a facilitator may change it.
 */
export function presencePolicyFor(
  who: Identity,
  anonymity: () => Anonymity,
  person: string | null = null,
): PresencePolicy | null {
  // the key that makes one person's tabs and devices count once (presence-people.ts)
  const key = person === null ? {} : { person }
  switch (who.role) {
    case Role.Viewer:
      return null
    case Role.Facilitator:
      // only a facilitator's state keeps `view`, the view follow-me tracks
      return stamped(
        () => ({ name: '', table: null, role: PresenceRole.Facilitator, ...key }),
        FacilitatorPresenceSchema,
      )
    case Role.Participant:
      return stamped(() => ({ ...participantUser(anonymity(), who), ...key }))
  }
}

/**
 * What others learn about a participant from presence, by the workshop's anonymity: in a named
 * workshop the name they joined with (nobody can pose as someone else), with a table only the
 * table they joined, anonymous neither. An empty name is shown as "a participant".
 */
export function participantUser(
  anonymity: Anonymity,
  who: { name: string | null; tableId: string | null },
) {
  return {
    name: anonymity === Anonymity.Named ? (who.name ?? '') : '',
    table: anonymity === Anonymity.Anonymous ? null : who.tableId,
    role: PresenceRole.Participant,
  }
}

/** Only whitelisted fields pass; the identity fields come from `identity`, the colour from the palette. */
function stamped(
  identity: () => { name: string; table: string | null; role: PresenceRole; person?: string },
  schema: typeof ClientPresenceSchema | typeof FacilitatorPresenceSchema = ClientPresenceSchema,
): PresencePolicy {
  return (clientId, claimed) => {
    const parsed = schema.safeParse(claimed)
    if (!parsed.success) return null
    const { user, ...rest } = parsed.data
    return { ...rest, user: { ...identity(), color: paletteColor(user?.color, clientId) } }
  }
}
