/** `/w/:id/list`: matched here so the list view stays out of the shared router's route list. */
import { ROUTES } from '../../shared/api.ts'
import type { BoardMode } from './identity.ts'
import { hashParams } from '../lib/router.ts'
import { loadFacilitatorKey, loadJoinCode, loadParticipant } from '../lib/session.ts'

export function matchListRoute(path: string): { id: string } | null {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent)
  return parts.length === 3 && parts[0] === 'w' && parts[1] && parts[2] === 'list'
    ? { id: parts[1] }
    : null
}

/**
 * The list view uses whatever credential this device has for the workshop. A credential in the
 * hash wins; then the role the board link came from (`#as=`); then participant, facilitator, viewer.
 */
export function listMode(workshopId: string, hash: string): BoardMode {
  const params = hashParams(hash)
  if (params.get('key')) return 'facilitator'
  if (params.get('code')) return 'viewer'
  const as = params.get('as')
  if (as === 'facilitator' && loadFacilitatorKey(workshopId)) return 'facilitator'
  if (as === 'viewer' && loadJoinCode(workshopId)) return 'viewer'
  if (loadParticipant(workshopId)) return 'participant'
  if (loadFacilitatorKey(workshopId)) return 'facilitator'
  if (loadJoinCode(workshopId)) return 'viewer'
  // no credential: the participant route explains how to join
  return 'participant'
}

/** Link from the board to the list, remembering which role the board was opened in. */
export function listPath(workshopId: string, mode: BoardMode): string {
  return `${ROUTES.list(workshopId)}#as=${mode}`
}

/** Back from the list to the board of the same role; secrets stay on this device, not in the link. */
export function boardPath(workshopId: string, mode: BoardMode, joinCode: string | null): string {
  if (mode === 'facilitator') return ROUTES.facilitate(workshopId, '').replace(/#.*$/, '')
  if (mode === 'viewer' && joinCode) return ROUTES.present(workshopId, joinCode)
  return `${ROUTES.board(workshopId)}#${VIEW_PARAM}=board`
}

/**
 * Up to this width (CSS px) the canvas is no place to work: a phone, or a laptop screen at 200 %
 * zoom (1280 / 2 = 640). Participants get the list view there unless they chose the board.
 */
export const SMALL_SCREEN_MAX_PX = 800
/** `#view=board`: the board was chosen on purpose (the list's link back says so). */
const VIEW_PARAM = 'view'

export function listByDefault(mode: BoardMode, hash: string): boolean {
  return (
    mode === 'participant' &&
    !hashParams(hash).has(VIEW_PARAM) &&
    window.matchMedia(`(max-width: ${SMALL_SCREEN_MAX_PX}px)`).matches
  )
}
