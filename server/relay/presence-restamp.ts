/**
 * Presence is stamped by the server on each awareness update a socket sends (awareness-filter.ts).
 * A setting that changes what others may learn from presence (anonymity) must reach the room at
 * once, not with each client's next update (its renewal comes only every 15 s): so each socket's
 * policy is kept here, and a settings change stamps every socket's last state again.
 *
 * The new state goes out one clock step newer, to every peer of the room. Its own client takes it
 * too (a newer state for its own id replaces its local one) and continues from that clock; an
 * update it sent before the stamp reached it is taken one step newer ({@link afterStamp}). So that
 * tab's own presence list then shows it as others see it (no name once anonymous).
 */
import * as awarenessProtocol from 'y-protocols/awareness'
import { equalityDeep } from 'lib0/function'
import { DocName } from '../../shared/protocol.ts'
import {
  type AwarenessEntry,
  encodeAwarenessEntries,
  type PresencePolicy,
  readAwarenessEntries,
} from './awareness-filter.ts'
import { awarenessIdsOf } from './awareness-ids.ts'
import { type Peer, type Room, SERVER_ORIGIN } from './room.ts'
import type { RoomRegistry } from './rooms.ts'

/** Weak: a closed socket's peer and its policy go together. */
const policies = new WeakMap<Peer, PresencePolicy>()

/** Remembers how this peer's presence is stamped; viewers have no presence and no policy. */
export function keepPresencePolicy(peer: Peer, policy: PresencePolicy | null): void {
  if (policy) policies.set(peer, policy)
}

/** Stamps every peer's last presence state in `room` again; returns how many changed. */
export function restampPresence(room: Room): number {
  const ids = awarenessIdsOf(room)
  const states = room.awareness.getStates()
  const entries: AwarenessEntry[] = []
  for (const peer of room.peers) {
    const policy = policies.get(peer)
    const id = ids.idOfSocket(peer)
    if (!policy || id === null) continue
    const state: unknown = states.get(id)
    const meta = room.awareness.meta.get(id)
    if (state === undefined || !meta) continue
    // the stored state is one the policy built: stamping it again changes only what it derives
    const next = policy(id, state)
    if (!next || equalityDeep(next, state)) continue
    entries.push({ clientId: id, clock: meta.clock + 1, state: JSON.stringify(next) })
  }
  if (entries.length)
    awarenessProtocol.applyAwarenessUpdate(
      room.awareness,
      encodeAwarenessEntries(entries),
      SERVER_ORIGIN,
    )
  return entries.length
}

/** After a workshop's presence rules changed: both of its live rooms, if loaded. */
export function restampWorkshopPresence(rooms: RoomRegistry, workshopId: string): void {
  for (const doc of [DocName.Board, DocName.Control]) {
    const room = rooms.get(workshopId, doc)
    if (room) restampPresence(room)
  }
}

/**
 * A socket's (filtered) update for its own id, as the room should apply it. An update that crossed
 * the server's stamp on the way carries a clock the stamp already used and would be dropped as
 * old: it is taken one step newer. The provider's echo of the stamp itself (y-websocket sends back
 * every change, its own id's too) holds the state the room has, so it stays dropped and nothing
 * loops.
 */
export function afterStamp(room: Room, clientId: number, update: Uint8Array): Uint8Array {
  const meta = room.awareness.meta.get(clientId)
  if (!meta) return update
  const [entry] = readAwarenessEntries(update)
  if (!entry || entry.clock > meta.clock) return update
  const state: unknown = JSON.parse(entry.state)
  if (state === null || equalityDeep(state, room.awareness.getStates().get(clientId))) return update
  return encodeAwarenessEntries([{ ...entry, clock: meta.clock + 1 }])
}
