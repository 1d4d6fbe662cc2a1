/**
 * Checks a participant's board update against {@link participantAccess} before it is applied.
 *
 * A Yjs update does not name the root each insertion lands in: an item carries its parent only
 * when it has no neighbour, otherwise the parent is the neighbour's. So each item is placed by
 * following parent or neighbour ids, first inside the update itself (content created in the same
 * transaction), then in the room's doc. Deletions are placed by the doc's items they cover.
 */
import * as Y from 'yjs'
import { lastAtOrBefore } from '../../shared/history.ts'
import { ParticipantAccess, participantAccess } from '../../shared/permissions.ts'

export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>

/** Where an item lands: the root it belongs to, and whether it changes something that exists. */
interface Placement {
  root: string
  touchesExisting: boolean
}
/** An item whose neighbour was garbage-collected: Yjs drops it on integration, so it changes nothing. */
const DROPPED = 'dropped' as const
/** Refers to content neither the update nor the doc holds: refused, since we cannot place it. */
const UNPLACEABLE = 'unplaceable' as const
type Place = Placement | typeof DROPPED | typeof UNPLACEABLE

function rootKeyOf(type: Y.AbstractType<unknown>): string | null {
  let t = type
  while (t._item) {
    const parent = t._item.parent
    if (!(parent instanceof Y.AbstractType)) return null
    t = parent
  }
  try {
    return Y.findRootTypeKey(t)
  } catch {
    return null
  }
}

function docStruct(doc: Y.Doc, id: Y.ID): Y.Item | Y.GC | null {
  if (id.clock >= Y.getState(doc.store, id.client)) return null
  const structs = doc.store.clients.get(id.client)
  if (!structs) return null
  const s = structs[Y.findIndexSS(structs, id.clock)]
  return s instanceof Y.Item || s instanceof Y.GC ? s : null
}

/** The container an existing item sits in, seen as a placement for new items beside it. */
function placeBeside(existing: Y.Item): Place {
  const parent = existing.parent
  if (!(parent instanceof Y.AbstractType)) return UNPLACEABLE
  const root = rootKeyOf(parent)
  if (root === null) return UNPLACEABLE
  // Beside an existing entry: inside an existing container, or replacing a root map's key.
  return { root, touchesExisting: true }
}

/** The place of content inside an existing shared type (a map's field, a text's character). */
function placeInside(existing: Y.Item): Place {
  if (!(existing.content instanceof Y.ContentType)) return UNPLACEABLE
  const root = rootKeyOf(existing.content.type)
  return root === null ? UNPLACEABLE : { root, touchesExisting: true }
}

class UpdatePlacer {
  private readonly local = new Map<number, Y.Item[]>()
  private readonly memo = new Map<Y.Item, Place>()

  constructor(
    private readonly doc: Y.Doc,
    items: Y.Item[],
  ) {
    for (const item of items) {
      const list = this.local.get(item.id.client) ?? []
      list.push(item)
      this.local.set(item.id.client, list)
    }
  }

  private localItem(id: Y.ID): Y.Item | null {
    const list = this.local.get(id.client)
    if (!list) return null
    // a client's structs come in clock order: an offline step 2 may hold thousands of them
    const item = list[lastAtOrBefore(list, (i) => i.id.clock, id.clock)]
    return item && id.clock < item.id.clock + item.length ? item : null
  }

  place(item: Y.Item): Place {
    const known = this.memo.get(item)
    if (known) return known
    // Guards against crafted cycles among the update's own items.
    this.memo.set(item, UNPLACEABLE)
    const place = this.compute(item)
    this.memo.set(item, place)
    return place
  }

  private compute(item: Y.Item): Place {
    const parent: unknown = item.parent
    if (typeof parent === 'string') {
      const existing = item.parentSub === null ? null : this.doc.share.get(parent)?._map.get(item.parentSub)
      return { root: parent, touchesExisting: existing !== undefined && existing !== null && !existing.deleted }
    }
    if (parent instanceof Y.ID) {
      const localParent = this.localItem(parent)
      // Content inside a container made by this same update is judged with that container.
      if (localParent) return this.place(localParent)
      const existing = docStruct(this.doc, parent)
      if (existing instanceof Y.GC) return DROPPED
      return existing ? placeInside(existing) : UNPLACEABLE
    }
    const neighbour = item.origin ?? item.rightOrigin
    if (!neighbour) return UNPLACEABLE
    const localNeighbour = this.localItem(neighbour)
    if (localNeighbour) return this.place(localNeighbour)
    const existing = docStruct(this.doc, neighbour)
    if (existing instanceof Y.GC) return DROPPED
    return existing ? placeBeside(existing) : UNPLACEABLE
  }
}

function allowed(place: Placement): boolean {
  const access = participantAccess(place.root)
  if (access === ParticipantAccess.Write) return true
  if (access === ParticipantAccess.AddOnly) return !place.touchesExisting
  return false
}

/**
 * The first root a participant's update may not change, or null when the whole update is
 * allowed. Unplaceable content is refused as `'?'`.
 */
export function refusedParticipantRoot(doc: Y.Doc, decoded: DecodedUpdate): string | null {
  const items = decoded.structs.filter((s): s is Y.Item => s instanceof Y.Item)
  const placer = new UpdatePlacer(doc, items)
  for (const item of items) {
    const place = placer.place(item)
    if (place === DROPPED) continue
    if (place === UNPLACEABLE) return '?'
    if (!allowed(place)) return place.root
  }
  for (const [client, ranges] of decoded.ds.clients) {
    const structs = doc.store.clients.get(client)
    const known = Y.getState(doc.store, client)
    for (const range of ranges) {
      const end = Math.min(range.clock + range.len, known)
      let clock = range.clock
      // Only what the doc holds can be deleted; the rest is the update's own content or history
      // the doc already garbage-collected (a full sync step 2 repeats every deletion ever made).
      while (structs && clock < end) {
        const s = structs[Y.findIndexSS(structs, clock)]
        if (!s) break
        if (s instanceof Y.Item && !s.deleted) {
          const place = placeBeside(s)
          if (place === UNPLACEABLE || place === DROPPED) return '?'
          if (participantAccess(place.root) !== ParticipantAccess.Write) return place.root
        }
        clock = s.id.clock + s.length
      }
    }
  }
  return null
}
