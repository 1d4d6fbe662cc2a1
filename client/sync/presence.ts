/**
 * Presence over the board provider's awareness; the fields are defined in shared/presence.ts. The
 * server rewrites what others see: names and tables by the workshop's anonymity, a facilitator as
 * the role, and a projector not at all.
 */
import { useEffect, useState } from 'react'
import type { Awareness } from 'y-protocols/awareness'
import type { Translate } from '../i18n/index.ts'
import { PRESENCE_PALETTE, PresenceRole, type PresenceUser, PresenceStateSchema } from '../../shared/presence.ts'

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

export function peersOf(awareness: Awareness): Peer[] {
  const out: Peer[] = []
  for (const [clientId, raw] of awareness.getStates()) {
    const parsed = PresenceStateSchema.safeParse(raw)
    if (!parsed.success) continue
    out.push({
      clientId,
      user: parsed.data.user,
      pointer: parsed.data.pointer ?? null,
      editing: parsed.data.editing ?? null,
      self: clientId === awareness.clientID,
    })
  }
  return out.sort((a, b) => a.user.name.localeCompare(b.user.name) || a.clientId - b.clientId)
}

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
export function presenceName(user: { name?: unknown; role?: unknown }, labels: PresenceLabels): string {
  if (user.role === PresenceRole.Facilitator) return labels.facilitator
  return typeof user.name === 'string' && user.name ? user.name : labels.anonymous
}

export function usePeers(awareness: Awareness): Peer[] {
  const [peers, setPeers] = useState<Peer[]>(() => peersOf(awareness))
  useEffect(() => {
    const onChange = () => setPeers(peersOf(awareness))
    onChange()
    awareness.on('change', onChange)
    return () => awareness.off('change', onChange)
  }, [awareness])
  return peers
}

export function setPresenceUser(awareness: Awareness, user: PresenceUser | null): void {
  if (!user) {
    awareness.setLocalState(null)
    return
  }
  awareness.setLocalStateField('user', user)
}

export function setPointer(awareness: Awareness, pointer: { x: number; y: number } | null): void {
  if (awareness.getLocalState() === null) return
  awareness.setLocalStateField('pointer', pointer && { x: Math.round(pointer.x), y: Math.round(pointer.y) })
}

export function setEditing(awareness: Awareness, cardId: string | null): void {
  if (awareness.getLocalState() === null) return
  awareness.setLocalStateField('editing', cardId)
}
