/**
 * The open sockets of each co-facilitator link, so revoking the link closes them at once: a
 * revoked key must not keep the facilitator's powers on a socket it opened before.
 */

export interface ClosableSocket {
  close(code: number, reason: string): void
}

const keyOf = (workshopId: string, linkId: string) => `${workshopId}/${linkId}`

export class LinkSockets {
  private readonly byLink = new Map<string, Set<ClosableSocket>>()

  /** Registers a socket admitted with the link; the returned function forgets it again. */
  add(workshopId: string, linkId: string, socket: ClosableSocket): () => void {
    const key = keyOf(workshopId, linkId)
    const set = this.byLink.get(key) ?? new Set<ClosableSocket>()
    this.byLink.set(key, set)
    set.add(socket)
    return () => {
      set.delete(socket)
      if (set.size === 0 && this.byLink.get(key) === set) this.byLink.delete(key)
    }
  }

  /** Closes every socket of the link; returns how many there were. */
  closeAll(workshopId: string, linkId: string, code: number, reason: string): number {
    const set = this.byLink.get(keyOf(workshopId, linkId))
    if (!set) return 0
    this.byLink.delete(keyOf(workshopId, linkId))
    for (const s of set) s.close(code, reason)
    return set.size
  }
}
