/** `/w/:id/replay`: matched here so the replay stays out of the shared router's route list. */
export function matchReplayRoute(path: string): { id: string } | null {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent)
  return parts.length === 3 && parts[0] === 'w' && parts[1] && parts[2] === 'replay' ? { id: parts[1] } : null
}
