/**
 * The people on the board, one each however many tabs and devices they have open, for the lists
 * of people (the presence drawer) and the pointers layer. Apart from ./presence.ts because only
 * those two lazy chunks need them, not the board's first paint.
 */
import { useEffect, useState } from 'react'
import type { Awareness } from 'y-protocols/awareness'
import { groupByPerson } from '../../shared/presence.ts'
import { type Peer, type PresenceUser, onAwarenessTick, peersOf } from './presence.ts'

/** One person however many tabs and devices they have open (the server stamps who is who). */
export interface Person {
  key: string
  user: PresenceUser
  /** This tab is one of theirs. */
  self: boolean
  /** A card one of their presences edits. */
  editing: string | null
  /** The pointer of whichever of their presences moved last, with that presence's client id. */
  pointer: { clientId: number; x: number; y: number } | null
}

/** The people in `peers`, one entry each, in the order of `peers`. */
export function peopleOf(peers: readonly Peer[], awareness: Awareness): Person[] {
  const updated = (id: number) => awareness.meta.get(id)?.lastUpdated ?? 0
  return groupByPerson(peers).map((group) => {
    const first = group[0]!
    const moved = group
      .filter((p) => p.pointer)
      .sort((a, b) => updated(b.clientId) - updated(a.clientId))[0]
    return {
      key: first.user.person ?? `client:${first.clientId}`,
      user: (group.find((p) => p.self) ?? first).user,
      self: group.some((p) => p.self),
      editing: group.find((p) => p.editing)?.editing ?? null,
      pointer: moved?.pointer ? { clientId: moved.clientId, ...moved.pointer } : null,
    }
  })
}

/** Who is there and what they edit; a pointer's move alone is no change here. */
const listKeys = new WeakMap<readonly Peer[], string>()
function listKey(peers: readonly Peer[]): string {
  let key = listKeys.get(peers)
  if (key === undefined) {
    key = JSON.stringify(peers.map((p) => [p.clientId, p.user, p.editing, p.self]))
    listKeys.set(peers, key)
  }
  return key
}

const sameList = (prev: readonly Peer[], next: readonly Peer[]) =>
  prev === next || listKey(prev) === listKey(next)

/**
 * The peers for lists of people, re-read on the remote tick: re-rendered when someone comes, goes
 * or changes what they edit, not on every pointer move (cursorMotion.ts moves the pointers).
 */
export function usePeers(awareness: Awareness): readonly Peer[] {
  const [peers, setPeers] = useState<readonly Peer[]>(() => peersOf(awareness))
  useEffect(
    () =>
      onAwarenessTick(awareness, () => {
        const next = peersOf(awareness)
        setPeers((prev) => (sameList(prev, next) ? prev : next))
      }),
    [awareness],
  )
  return peers
}
