/** What this device remembers per workshop (localStorage): participant sessions, facilitator keys. */
import { z } from 'zod/mini'

const ParticipantSession = z.object({
  token: z.string(),
  participantId: z.string(),
  name: z.string(),
  tableId: z.string(),
})
export type ParticipantSession = z.infer<typeof ParticipantSession>

const participantKey = (workshopId: string) => `stip:p:${workshopId}`
const facilitatorKey = (workshopId: string) => `stip:fac:${workshopId}`
const joinCodeKey = (workshopId: string) => `stip:code:${workshopId}`

function read(key: string): string | null {
  try {
    return localStorage.getItem(key)
  } catch {
    return null
  }
}
function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value)
  } catch {
    // storage full or disabled: the session lasts for this page only
  }
}

export function loadParticipant(workshopId: string): ParticipantSession | null {
  const raw = read(participantKey(workshopId))
  if (!raw) return null
  try {
    const parsed = ParticipantSession.safeParse(JSON.parse(raw))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

export function saveParticipant(workshopId: string, s: ParticipantSession): void {
  write(participantKey(workshopId), JSON.stringify(s))
}

export function loadFacilitatorKey(workshopId: string): string | null {
  return read(facilitatorKey(workshopId))
}
export function saveFacilitatorKey(workshopId: string, key: string): void {
  write(facilitatorKey(workshopId), key)
}
export function loadJoinCode(workshopId: string): string | null {
  return read(joinCodeKey(workshopId))
}
export function saveJoinCode(workshopId: string, code: string): void {
  write(joinCodeKey(workshopId), code)
}
