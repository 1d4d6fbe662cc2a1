import { ROUTES } from '../../shared/api.ts'

/** `/w/:id/replay`: matched here so the replay stays out of the shared router's route list. */
export function matchReplayRoute(path: string): { id: string } | null {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent)
  return parts.length === 3 && parts[0] === 'w' && parts[1] && parts[2] === 'replay'
    ? { id: parts[1] }
    : null
}

/** The replay page's link without the key, which stays on this device; optionally at a time. */
export function replayPath(workshopId: string, time?: number): string {
  const path = ROUTES.replay(workshopId, '').replace(/#.*$/, '')
  return time === undefined ? path : `${path}#t=${Math.round(time)}`
}

/** The replay page opened on a snapshot, shown as it was stored rather than at its time. */
export function replaySnapshotPath(workshopId: string, snapshotId: string): string {
  return `${replayPath(workshopId)}#snapshot=${encodeURIComponent(snapshotId)}`
}
