/**
 * Who may write under each Yjs client id of one doc (DESIGN.md: "Client ids are identities").
 * A client id belongs to the first principal that writes under it, persisted with the log. A
 * client id a socket announces in its presence is reserved for that socket's principal before it
 * writes anything, so someone who sees the id in awareness cannot take it first.
 */
import { MAX_CLIENT_IDS_PER_WRITER } from '../../shared/limits.ts'

export class ClientOwners {
  private readonly reserved = new Map<number, string>()
  private readonly claimedBy = new Map<string, number>()

  constructor(private readonly owners: Map<number, string>) {
    for (const principal of owners.values())
      this.claimedBy.set(principal, (this.claimedBy.get(principal) ?? 0) + 1)
  }

  owner(client: number): string | undefined {
    return this.owners.get(client)
  }

  /**
   * Whether `principal` may add content under `client`, which the doc holds up to `held`. Content
   * the doc holds under an id nobody owns came from before ownership was recorded: nobody
   * extends it.
   */
  mayWrite(client: number, principal: string, held: number): boolean {
    const owner = this.owners.get(client)
    if (owner !== undefined) return owner === principal
    const reservedFor = this.reserved.get(client)
    if (reservedFor !== undefined && reservedFor !== principal) return false
    return held === 0 && (this.claimedBy.get(principal) ?? 0) < MAX_CLIENT_IDS_PER_WRITER
  }

  claim(clients: Iterable<number>, principal: string): void {
    for (const client of clients) {
      if (this.owners.has(client)) continue
      this.owners.set(client, principal)
      this.reserved.delete(client)
      this.claimedBy.set(principal, (this.claimedBy.get(principal) ?? 0) + 1)
    }
  }

  /** Reserves an id a socket announced; false when it is someone else's. */
  reserve(client: number, principal: string): boolean {
    const owner = this.owners.get(client) ?? this.reserved.get(client)
    if (owner !== undefined) return owner === principal
    this.reserved.set(client, principal)
    return true
  }
}
