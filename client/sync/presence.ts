/**
 * Presence over the board provider's awareness. Fields:
 *   user    {name, color, table}  (CollaborationCaret reads and writes the same `user` field)
 *   pointer {x, y} | null         world coordinates of the mouse on the canvas
 *   editing cardId | null
 * The world pointer is NOT called `cursor`: y-tiptap's caret plugin owns `cursor` ({anchor, head})
 * and would crash reading a {x, y} there.
 */
import { useEffect, useState } from 'react'
import type { Awareness } from 'y-protocols/awareness'
import { z } from 'zod'

export const PresenceUser = z.object({
  name: z.string().max(80),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
  table: z.string().nullable().optional(),
})
export type PresenceUser = z.infer<typeof PresenceUser>

const PresenceState = z.object({
  user: PresenceUser,
  pointer: z.object({ x: z.number().finite(), y: z.number().finite() }).nullable().optional(),
  editing: z.string().nullable().optional(),
})

export interface Peer {
  clientId: number
  user: PresenceUser
  pointer: { x: number; y: number } | null
  editing: string | null
  self: boolean
}

/** Dark enough for white label text at ≥ 4.5:1 contrast. */
const PALETTE = ['#b3261e', '#7b3fa0', '#1d5fa8', '#00695c', '#8a4b00', '#ad1457', '#37474f', '#4a6b00']

export function colorFor(seed: string): string {
  let h = 0
  for (let i = 0; i < seed.length; i++) h = (h * 31 + seed.charCodeAt(i)) >>> 0
  return PALETTE[h % PALETTE.length] ?? '#37474f'
}

export function peersOf(awareness: Awareness): Peer[] {
  const out: Peer[] = []
  for (const [clientId, raw] of awareness.getStates()) {
    const parsed = PresenceState.safeParse(raw)
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
