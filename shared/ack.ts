/**
 * Tracks which local edits the server has committed to disk. The server's durable ack carries
 * the state vector it has saved; an edit is saved once that vector covers the edit's clock.
 * Only edits this client must vouch for are tracked (its own, and ones restored from the offline
 * cache), so edits that merely passed through from peers never leave us "unsaved".
 */
import * as Y from 'yjs'

export class AckTracker {
  private readonly pending = new Map<number, number>()
  private acked = new Map<number, number>()

  /** Require that the server saves everything in `stateVector` (e.g. after a local edit). */
  require(stateVector: Map<number, number>): void {
    for (const [client, clock] of stateVector) {
      if ((this.acked.get(client) ?? 0) >= clock) continue
      if ((this.pending.get(client) ?? 0) < clock) this.pending.set(client, clock)
    }
  }

  requireLocal(doc: Y.Doc): void {
    const clock = Y.getState(doc.store, doc.clientID)
    this.require(new Map([[doc.clientID, clock]]))
  }

  ack(stateVector: Map<number, number>): void {
    for (const [client, clock] of stateVector) {
      if ((this.acked.get(client) ?? 0) < clock) this.acked.set(client, clock)
    }
    for (const [client, clock] of this.pending) {
      if ((this.acked.get(client) ?? 0) >= clock) this.pending.delete(client)
    }
  }

  get saved(): boolean {
    return this.pending.size === 0
  }
}
