/**
 * Re-encodes a decoded Yjs update with some of its items turned into GC structs and some of its
 * deletions left out: how a refusal stays precise. A GC struct keeps the writer's clocks without
 * a gap, so everything else it sent still integrates; Yjs turns whatever builds on a GC struct
 * (a field of a refused card, text typed after it) into GC as well when it integrates.
 */
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'

export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>

export interface DeleteRange {
  clock: number
  len: number
}

/** `decoded` as a V1 update, `cut` items as GC, with `deletes` as its whole delete set. */
export function encodeCut(
  decoded: DecodedUpdate,
  cut: ReadonlySet<Y.Item>,
  deletes: ReadonlyMap<number, DeleteRange[]>,
): Uint8Array {
  const encoder = new Y.UpdateEncoderV1()
  const byClient = new Map<number, (Y.Item | Y.GC | Y.Skip)[]>()
  for (const s of decoded.structs) {
    const list = byClient.get(s.id.client) ?? []
    list.push(s as Y.Item | Y.GC | Y.Skip)
    byClient.set(s.id.client, list)
  }
  encoding.writeVarUint(encoder.restEncoder, byClient.size)
  for (const [client, structs] of byClient) {
    encoding.writeVarUint(encoder.restEncoder, structs.length)
    encoder.writeClient(client)
    encoding.writeVarUint(encoder.restEncoder, structs[0]!.id.clock)
    for (const s of structs) {
      if (s instanceof Y.Item && cut.has(s)) new Y.GC(s.id, s.length).write(encoder, 0)
      else s.write(encoder, 0)
    }
  }
  const clients = [...deletes].filter(([, ranges]) => ranges.length > 0)
  encoding.writeVarUint(encoder.restEncoder, clients.length)
  for (const [client, ranges] of clients) {
    encoder.resetDsCurVal()
    encoding.writeVarUint(encoder.restEncoder, client)
    encoding.writeVarUint(encoder.restEncoder, ranges.length)
    for (const r of ranges) {
      encoder.writeDsClock(r.clock)
      encoder.writeDsLen(r.len)
    }
  }
  return encoder.toUint8Array()
}

/** `range` without the parts in `refused` (sorted or not); what is left, in order. */
export function subtractRanges(range: DeleteRange, refused: DeleteRange[]): DeleteRange[] {
  let left: DeleteRange[] = [range]
  for (const r of refused) {
    const next: DeleteRange[] = []
    for (const l of left) {
      const lEnd = l.clock + l.len
      const rEnd = r.clock + r.len
      if (rEnd <= l.clock || r.clock >= lEnd) {
        next.push(l)
        continue
      }
      if (r.clock > l.clock) next.push({ clock: l.clock, len: r.clock - l.clock })
      if (rEnd < lEnd) next.push({ clock: rEnd, len: lEnd - rEnd })
    }
    left = next
  }
  return left
}
