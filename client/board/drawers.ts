/**
 * Which side drawer is open beside the canvas: the workshop panel, the presence list, or none (one
 * at a time, so the canvas keeps at least 75 % of a 1280 px window). Kept per device and role in
 * localStorage. Until someone chooses, participants on a screen up to 1440 px wide start with
 * every drawer closed (the board is what they came for); wider screens and facilitators start
 * with the workshop panel open.
 */
import { useCallback, useState } from 'react'

export const Drawer = { Side: 'side', Presence: 'presence' } as const
export type Drawer = (typeof Drawer)[keyof typeof Drawer]
export type DrawerState = Drawer | null

/** Up to this window width participants start with every drawer closed. */
export const COLLAPSED_UP_TO_PX = 1440
const STORAGE_PREFIX = 'stip:drawer:'
const CLOSED = 'none'

export const DRAWER_IDS = {
  side: 'drawer-side',
  presence: 'drawer-presence',
} as const satisfies Record<Drawer, string>

function initial(mode: string): DrawerState {
  try {
    const stored = localStorage.getItem(STORAGE_PREFIX + mode)
    if (stored === CLOSED) return null
    if (stored === Drawer.Side || stored === Drawer.Presence) return stored
  } catch {
    // storage refused (private mode): fall back to the default
  }
  return mode === 'participant' && window.innerWidth <= COLLAPSED_UP_TO_PX ? null : Drawer.Side
}

export interface DrawerHandle {
  open: DrawerState
  /** Opens `d`, or closes it when it is the open one. */
  toggle(d: Drawer): void
  show(d: DrawerState): void
}

export function useDrawer(mode: string): DrawerHandle {
  const [open, setOpen] = useState<DrawerState>(() => initial(mode))
  const show = useCallback(
    (d: DrawerState) => {
      setOpen(d)
      try {
        localStorage.setItem(STORAGE_PREFIX + mode, d ?? CLOSED)
      } catch {
        // not kept: the choice still holds for this page
      }
    },
    [mode],
  )
  const toggle = useCallback((d: Drawer) => show(open === d ? null : d), [open, show])
  return { open, toggle, show }
}
