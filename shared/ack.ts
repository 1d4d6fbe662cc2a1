/**
 * Client-side bookkeeping for durable acks. Every local edit bumps a counter; the client sends the
 * counter as a save barrier after the edit, and the server echoes the highest barrier whose
 * preceding writes are committed. Saved means the server has echoed the latest barrier.
 */
export class SaveTracker {
  private edits = 0
  private acked = 0

  /** Records a local edit and returns the barrier number to send after it. */
  edit(): number {
    return ++this.edits
  }

  /** The barrier to send after a reconnect: covers edits made offline. */
  get latest(): number {
    return this.edits
  }

  ack(barrier: number): void {
    if (barrier > this.acked) this.acked = Math.min(barrier, this.edits)
  }

  /** Highest barrier the server has confirmed on disk. */
  get acknowledged(): number {
    return this.acked
  }

  get saved(): boolean {
    return this.acked >= this.edits
  }
}
