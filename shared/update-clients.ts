/**
 * The Yjs client ids a V1 update writes structs under, as `Y.parseUpdateMeta(u).to.keys()` gives
 * them. An update made by one client (nearly every update a relay logs) names it in its first
 * bytes, so its content is not decoded at all; any other update is parsed in full.
 */
import * as Y from 'yjs'
import * as decoding from 'lib0/decoding'

export function updateClients(update: Uint8Array): number[] {
  const d = decoding.createDecoder(update)
  const clients = decoding.readVarUint(d)
  if (clients === 0) return []
  if (clients === 1) {
    const structs = decoding.readVarUint(d)
    // no structs: parseUpdateMeta ends with no client either
    return structs === 0 ? [] : [decoding.readVarUint(d)]
  }
  return [...Y.parseUpdateMeta(update).to.keys()]
}
