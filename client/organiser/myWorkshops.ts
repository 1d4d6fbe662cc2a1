/**
 * "Mijn workshops" (issue #11 point 2): the workshops this device takes part in, read from what
 * the app already keeps per workshop (client/lib/session.ts: the facilitator key, the participant
 * session), plus a small cache of title and date so the list shows at once and offline. Clearing
 * the browser's storage empties the list; opening the facilitator link stores the key again and
 * the workshop is back.
 */
import { z } from 'zod/mini'
import { loadFacilitatorKey, loadParticipant } from '../lib/session.ts'
import { metaKey } from './workshopKeys.ts'

/** The key names of client/lib/session.ts, which this module lists but does not write. */
const FACILITATOR_PREFIX = 'stip:fac:'
const PARTICIPANT_PREFIX = 'stip:p:'

export type MyRole = 'facilitator' | 'participant'

const WorkshopMeta = z.object({ title: z.string(), createdAt: z.number() })
export type WorkshopMeta = z.infer<typeof WorkshopMeta>

export interface MyWorkshop {
  id: string
  role: MyRole
  /** The secret the API wants for this workshop: the facilitator key or the participant token. */
  secret: string
  meta: WorkshopMeta | null
}

function storageKeys(): string[] {
  try {
    return Array.from({ length: localStorage.length }, (_, i) => localStorage.key(i) ?? '')
  } catch {
    return []
  }
}

export function loadWorkshopMeta(workshopId: string): WorkshopMeta | null {
  try {
    const raw = localStorage.getItem(metaKey(workshopId))
    const parsed = raw ? WorkshopMeta.safeParse(JSON.parse(raw)) : null
    return parsed?.success ? parsed.data : null
  } catch {
    return null
  }
}

export function saveWorkshopMeta(workshopId: string, meta: WorkshopMeta): void {
  try {
    localStorage.setItem(metaKey(workshopId), JSON.stringify(meta))
  } catch {
    // storage full or disabled: the list asks the server again next time
  }
}

/** Newest first; workshops whose date is not known yet come last. */
export function listMyWorkshops(): MyWorkshop[] {
  const byId = new Map<string, MyWorkshop>()
  for (const key of storageKeys()) {
    if (key.startsWith(FACILITATOR_PREFIX)) {
      const id = key.slice(FACILITATOR_PREFIX.length)
      const secret = loadFacilitatorKey(id)
      if (secret) byId.set(id, { id, role: 'facilitator', secret, meta: loadWorkshopMeta(id) })
    }
  }
  for (const key of storageKeys()) {
    if (!key.startsWith(PARTICIPANT_PREFIX)) continue
    const id = key.slice(PARTICIPANT_PREFIX.length)
    const session = loadParticipant(id)
    // the facilitator's role wins where this device holds both
    if (session && !byId.has(id))
      byId.set(id, { id, role: 'participant', secret: session.token, meta: loadWorkshopMeta(id) })
  }
  return [...byId.values()].sort(
    (a, b) => (b.meta?.createdAt ?? -Infinity) - (a.meta?.createdAt ?? -Infinity),
  )
}
