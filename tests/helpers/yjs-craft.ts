/**
 * Hand-built Yjs updates for attacks on the write path: what a malicious client can put on the
 * wire that no honest Y.Doc would produce.
 */
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'

export interface DeleteRange {
  client: number
  clock: number
  len: number
}

/**
 * A V1 update with no structs and only a delete set. Ranges over clocks the receiver has not seen
 * yet are what Yjs keeps as a pending delete set and applies when that content arrives.
 */
export function deleteSetOnly(ranges: DeleteRange[]): Uint8Array {
  const byClient = new Map<number, DeleteRange[]>()
  for (const r of ranges) byClient.set(r.client, [...(byClient.get(r.client) ?? []), r])
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 0) // struct clients
  encoding.writeVarUint(e, byClient.size)
  for (const [client, list] of byClient) {
    encoding.writeVarUint(e, client)
    encoding.writeVarUint(e, list.length)
    for (const r of list) {
      encoding.writeVarUint(e, r.clock)
      encoding.writeVarUint(e, r.len)
    }
  }
  return encoding.toUint8Array(e)
}

/** Every client's next clock as `base` sees it: the start of a delete over its future edits. */
export function futureDeletes(base: Y.Doc, clients: Iterable<number>, len: number): DeleteRange[] {
  return [...new Set(clients)].map((client) => ({
    client,
    clock: Y.getState(base.store, client),
    len,
  }))
}

/**
 * An edit made under someone else's client id, at that client's next clock as `base` knows it:
 * `base` is copied, the copy takes the victim's id, `fn` edits the copy.
 */
export function forgedEdit(
  base: Y.Doc,
  victimClientId: number,
  fn: (doc: Y.Doc) => void,
): Uint8Array {
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(base))
  copy.clientID = victimClientId
  const parts: Uint8Array[] = []
  copy.on('update', (u: Uint8Array) => parts.push(u))
  copy.transact(() => fn(copy))
  copy.destroy()
  return parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts)
}

/** Ids of the Yjs clients whose structs an update carries. */
export function structClients(update: Uint8Array): Set<number> {
  return new Set(Y.decodeUpdate(update).structs.map((s) => s.id.client))
}
