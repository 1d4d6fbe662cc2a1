/**
 * Presence over the board provider's awareness; the fields are defined in shared/presence.ts. The
 * server rewrites what others see: names and tables by the workshop's anonymity, a facilitator as
 * the role, and a projector not at all.
 */
import { useEffect, useRef, useState, useSyncExternalStore } from 'react'
import type { Awareness } from 'y-protocols/awareness'
import type { Translate } from '../i18n/index.ts'
import type { WorkshopConnection } from './connection.ts'
import { onRemoteTick } from './remoteTick.ts'
import {
  PRESENCE_PALETTE,
  PresenceRole,
  type PresenceUser,
  PresenceStateSchema,
} from '../../shared/presence.ts'
import type { Viewport } from '../../shared/control.ts'

export type { PresenceUser }

export interface Peer {
  clientId: number
  user: PresenceUser
  pointer: { x: number; y: number } | null
  editing: string | null
  self: boolean
}

export function colorFor(seed: string): string {
  let h = 0
  for (let i = 0; i < seed.length; i++) h = (h * 31 + seed.charCodeAt(i)) >>> 0
  return PRESENCE_PALETTE[h % PRESENCE_PALETTE.length] ?? PRESENCE_PALETTE[0]
}

/**
 * The last parse of each client's state. Awareness replaces a client's state object on every
 * update, so an unchanged object needs no new parse: with 30 people moving their pointers, only
 * the one that moved is parsed again, not all 30 on every move.
 */
const parsedStates = new WeakMap<object, Peer | null>()

function parsePeer(awareness: Awareness, clientId: number, raw: unknown): Peer | null {
  const cacheable = typeof raw === 'object' && raw !== null
  const known = cacheable ? parsedStates.get(raw) : undefined
  if (known !== undefined) return known
  const parsed = PresenceStateSchema.safeParse(raw)
  const peer = parsed.success
    ? {
        clientId,
        user: parsed.data.user,
        pointer: parsed.data.pointer ?? null,
        editing: parsed.data.editing ?? null,
        self: clientId === awareness.clientID,
      }
    : null
  if (cacheable) parsedStates.set(raw, peer)
  return peer
}

/**
 * The last peers list of each awareness, with the states it was read from: the remote tick asks
 * for the peers from several places (cursors, editors, the people count, lists), and while no
 * state changed they all get the same array, read and sorted once.
 */
const lastPeers = new WeakMap<Awareness, { raws: unknown[]; peers: readonly Peer[] }>()

/** The peers, sorted by name; the same array as last time while no state changed. */
export function peersOf(awareness: Awareness): readonly Peer[] {
  const states = awareness.getStates()
  const last = lastPeers.get(awareness)
  if (last && last.raws.length === states.size) {
    let i = 0
    let same = true
    for (const raw of states.values()) if (raw !== last.raws[i++]) same = false
    if (same) return last.peers
  }
  const raws: unknown[] = []
  const out: Peer[] = []
  for (const [clientId, raw] of states) {
    raws.push(raw)
    const peer = parsePeer(awareness, clientId, raw)
    if (peer) out.push(peer)
  }
  out.sort((a, b) => byName.compare(a.user.name, b.user.name) || a.clientId - b.clientId)
  lastPeers.set(awareness, { raws, peers: out })
  return out
}
/** One collator for every sort: `localeCompare` builds one per call, and peers are sorted often. */
const byName = new Intl.Collator()

export interface PresenceLabels {
  /** For a facilitator: the server sends the role, not a name. */
  facilitator: string
  /** For a participant whose name the workshop withholds. */
  anonymous: string
}

export const presenceLabels = (t: Translate): PresenceLabels => ({
  facilitator: t('presence.facilitator'),
  anonymous: t('presence.anonymous'),
})

/** How a person is named on screen: their role for a facilitator, else their name if shown. */
export function presenceName(
  user: { name?: unknown; role?: unknown },
  labels: PresenceLabels,
): string {
  if (user.role === PresenceRole.Facilitator) return labels.facilitator
  return typeof user.name === 'string' && user.name ? user.name : labels.anonymous
}

/**
 * Runs `read` now and on the remote tick after any awareness change, not per message: 30 moving
 * pointers are 600 changes a second. Returns the unsubscribe.
 */
export function onAwarenessTick(awareness: Awareness, read: () => void): () => void {
  let cancel: (() => void) | null = null
  const run = () => {
    cancel = null
    read()
  }
  const onChange = () => {
    cancel ??= onRemoteTick(run)
  }
  read()
  awareness.on('change', onChange)
  return () => {
    awareness.off('change', onChange)
    cancel?.()
  }
}

/**
 * The person key the server gave this tab (in its Welcome), kept while offline. Put into our own
 * presence it lets this tab group itself with its other tabs; the server stamps the same key.
 */
export function useSelfPerson(conn: WorkshopConnection): string | null {
  const last = useRef<string | null>(null)
  const now = useSyncExternalStore(
    (fn) => {
      conn.on('change', fn)
      return () => conn.off('change', fn)
    },
    () => conn.welcome?.person ?? null,
  )
  if (now) last.current = now
  return last.current
}

export function setPresenceUser(awareness: Awareness, user: PresenceUser | null): void {
  if (!user) {
    awareness.setLocalState(null)
    return
  }
  awareness.setLocalStateField('user', user)
}

/**
 * Our pointer on the board, in world px. The same point is not set again: awareness sends the
 * whole state on every set, equal or not, and while someone pans the point under their pointer
 * stays where it is (the board moves with it), which was 20 messages a second to everyone for
 * nothing. (Awareness renews an unchanged state by itself.)
 */
export function setPointer(awareness: Awareness, pointer: { x: number; y: number } | null): void {
  const state = awareness.getLocalState()
  if (state === null) return
  const next: Peer['pointer'] = pointer && { x: Math.round(pointer.x), y: Math.round(pointer.y) }
  // our own state, as this function last set it
  const now = (state as Partial<Pick<Peer, 'pointer'>>).pointer
  if (now === next || (now && next && now.x === next.x && now.y === next.y)) return
  awareness.setLocalStateField('pointer', next)
}

export function setEditing(awareness: Awareness, cardId: string | null): void {
  if (awareness.getLocalState() === null) return
  awareness.setLocalStateField('editing', cardId)
}

/** Publishes the view follow-me tracks (null: none); the server keeps it for facilitators only. */
export function setFollowView(awareness: Awareness, view: Viewport | null): void {
  const state = awareness.getLocalState()
  if (state === null || (view === null && (state.view ?? null) === null)) return
  awareness.setLocalStateField('view', view)
}

/** A facilitator's published view in one client's state, parsed on receipt; null if none. */
const parsedViews = new WeakMap<object, Viewport | null>()
function followViewOf(raw: unknown): Viewport | null {
  if (typeof raw !== 'object' || raw === null) return null
  const known = parsedViews.get(raw)
  if (known !== undefined) return known
  const parsed = PresenceStateSchema.safeParse(raw)
  const view =
    parsed.success && parsed.data.user.role === PresenceRole.Facilitator
      ? (parsed.data.view ?? null)
      : null
  parsedViews.set(raw, view)
  return view
}

const sameView = (a: Viewport | null, b: Viewport | null) =>
  a === b || (!!a && !!b && a.x === b.x && a.y === b.y && a.zoom === b.zoom)

/**
 * The view follow-me tracks, from the facilitators' awareness: of those that publish one, the one
 * whose view changed last (two facilitator tabs may both be following). Null while none does or
 * while `active` is off.
 */
export function useFollowedView(awareness: Awareness, active: boolean): Viewport | null {
  const [view, setView] = useState<Viewport | null>(null)
  useEffect(() => {
    if (!active) return
    const seen = new Map<number, Viewport>()
    let leader: number | null = null
    const show = () => {
      const next = leader === null ? null : (seen.get(leader) ?? null)
      setView((prev) => (sameView(prev, next) ? prev : next))
    }
    const read = (clientId: number) => {
      const next = followViewOf(awareness.getStates().get(clientId))
      const prev = seen.get(clientId) ?? null
      if (next === null) {
        seen.delete(clientId)
        if (leader === clientId) leader = seen.keys().next().value ?? null
      } else if (!sameView(prev, next)) {
        seen.set(clientId, next)
        leader = clientId
      }
    }
    for (const clientId of awareness.getStates().keys()) read(clientId)
    show()
    const onChange = (c: { added: number[]; updated: number[]; removed: number[] }) => {
      for (const id of [...c.added, ...c.updated, ...c.removed]) read(id)
      show()
    }
    awareness.on('change', onChange)
    return () => {
      awareness.off('change', onChange)
      // a view from before follow went off is stale when it comes on again
      setView(null)
    }
  }, [awareness, active])
  return active ? view : null
}
