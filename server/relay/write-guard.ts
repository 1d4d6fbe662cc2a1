/**
 * Judges a writer's Yjs update by what it would do to the room's doc, before anything is applied
 * (DESIGN.md, "Trust model of the write path"). An update is a program: it may carry content
 * under other writers' client ids, deletions of content that does not exist yet (Yjs would keep
 * them pending and apply them to future edits), content that builds on edits the server has not
 * received, or changes to roots the writer's role may not touch. The judge returns what may be
 * applied, what must wait for its dependencies, or what is refused and why.
 *
 * A Yjs update does not name the root each insertion lands in: an item carries its parent only
 * when it has no neighbour, otherwise the parent is the neighbour's. So each item is placed by
 * following parent or neighbour ids, first inside the update itself (content created in the same
 * transaction), then in the room's doc. Deletions are placed by the doc's items they cover.
 */
import * as Y from 'yjs'
import { lastAtOrBefore } from '../../shared/history.ts'
import {
  AUTHOR_FIELD,
  AUTHORED_ROOTS,
  type BoardPolicy,
  CARD_TABLE_FIELD,
  type CardWriter,
  mayChangeCard,
  mayWriteSharedText,
  ParticipantAccess,
  participantAccess,
  SHARED_TEXT_ROOTS,
} from '../../shared/permissions.ts'
import { BOARD_ROOT } from '../../shared/schema.ts'
import type { ClientOwners } from './client-owners.ts'
import { type DecodedUpdate, type DeleteRange, encodeCut, subtractRanges } from './update-cut.ts'

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

/** Name used in a refusal when the root cannot be told (content that references nothing known). */
export const UNKNOWN_ROOT = '?'

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

/**
 * What an item is a field of: a root map (`root`), a container created by this same update
 * (`local`, its item), or a container the doc already holds (`existing`); with the map key.
 */
type Container =
  | { kind: 'root'; root: string; key: string | null }
  | { kind: 'local'; item: Y.Item; key: string | null }
  | { kind: 'existing'; map: Y.AbstractType<unknown>; key: string | null }
  | { kind: 'unknown' }

/**
 * The entry of a root map an item belongs to (a card, a principle): one the doc holds, or one this
 * update creates (its root-level item). Rich text inside an entry belongs to it too.
 */
type Entry =
  | { kind: 'existing'; key: string; map: Y.AbstractType<unknown> }
  | { kind: 'new'; key: string; item: Y.Item }

/** The entry an existing shared type sits in; null for a root itself. */
function entryOfType(type: Y.AbstractType<unknown>): Entry | null {
  let t = type
  while (t._item) {
    const parent = t._item.parent
    if (!(parent instanceof Y.AbstractType)) return null
    if (parent._item === null)
      return t._item.parentSub === null
        ? null
        : { kind: 'existing', key: t._item.parentSub, map: t }
    t = parent
  }
  return null
}

/** The entry an existing item belongs to: itself when it is a root map's value. */
function entryOfExisting(item: Y.Item): Entry | null {
  const parent = item.parent
  if (!(parent instanceof Y.AbstractType)) return null
  if (parent._item === null) {
    return item.parentSub !== null && item.content instanceof Y.ContentType
      ? { kind: 'existing', key: item.parentSub, map: item.content.type }
      : null
  }
  return entryOfType(parent)
}

class UpdatePlacer {
  private readonly local = new Map<number, Y.Item[]>()
  private readonly memo = new Map<Y.Item, Place>()
  private readonly containers = new Map<Y.Item, Container>()
  private readonly entries = new Map<Y.Item, Entry | null>()

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

  localItem(id: Y.ID): Y.Item | null {
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
      const existing =
        item.parentSub === null ? null : this.doc.share.get(parent)?._map.get(item.parentSub)
      return {
        root: parent,
        touchesExisting: existing !== undefined && existing !== null && !existing.deleted,
      }
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

  /** The container and key of an item, following neighbours the way Yjs does on integration. */
  container(item: Y.Item): Container {
    const known = this.containers.get(item)
    if (known) return known
    this.containers.set(item, { kind: 'unknown' })
    const found = this.findContainer(item)
    this.containers.set(item, found)
    return found
  }

  /** The root-map entry an item writes to, following its container up. */
  entryOf(item: Y.Item): Entry | null {
    if (this.entries.has(item)) return this.entries.get(item)!
    this.entries.set(item, null)
    const c = this.container(item)
    let entry: Entry | null = null
    if (c.kind === 'root') entry = c.key === null ? null : { kind: 'new', key: c.key, item }
    else if (c.kind === 'local') entry = this.entryOf(c.item)
    else if (c.kind === 'existing') entry = entryOfType(c.map)
    this.entries.set(item, entry)
    return entry
  }

  private findContainer(item: Y.Item): Container {
    const parent: unknown = item.parent
    if (typeof parent === 'string') return { kind: 'root', root: parent, key: item.parentSub }
    if (parent instanceof Y.ID) {
      const localParent = this.localItem(parent)
      if (localParent) return { kind: 'local', item: localParent, key: item.parentSub }
      const existing = docStruct(this.doc, parent)
      return existing instanceof Y.Item && existing.content instanceof Y.ContentType
        ? { kind: 'existing', map: existing.content.type, key: item.parentSub }
        : { kind: 'unknown' }
    }
    const neighbour = item.origin ?? item.rightOrigin
    if (!neighbour) return { kind: 'unknown' }
    const localNeighbour = this.localItem(neighbour)
    if (localNeighbour) return this.container(localNeighbour)
    const existing = docStruct(this.doc, neighbour)
    if (!(existing instanceof Y.Item)) return { kind: 'unknown' }
    const key = existing.parentSub
    const type = existing.parent
    if (!(type instanceof Y.AbstractType)) return { kind: 'unknown' }
    if (type._item === null) {
      const root = rootKeyOf(type)
      return root === null ? { kind: 'unknown' } : { kind: 'root', root, key }
    }
    return { kind: 'existing', map: type, key }
  }
}

/** What a writer may do inside a root. */
export type AccessOf = (root: string) => ParticipantAccess

function allowed(place: Placement, access: AccessOf): boolean {
  const a = access(place.root)
  if (a === ParticipantAccess.Write) return true
  if (a === ParticipantAccess.AddOnly) return !place.touchesExisting
  return false
}

const items = (decoded: DecodedUpdate): Y.Item[] =>
  decoded.structs.filter((s): s is Y.Item => s instanceof Y.Item)

/**
 * Calls `fn` for every live item of the doc the update's delete set covers, with the covered
 * clocks: only what the doc holds can be deleted; the rest is the update's own content or
 * history the doc already garbage-collected (a full sync step 2 repeats every deletion ever made).
 * `fn` returning false stops the walk.
 */
function forEachDeleted(
  doc: Y.Doc,
  decoded: DecodedUpdate,
  fn: (s: Y.Item, client: number, range: DeleteRange) => boolean | void,
): void {
  for (const [client, ranges] of decoded.ds.clients) {
    const structs = doc.store.clients.get(client)
    const known = Y.getState(doc.store, client)
    for (const range of ranges) {
      const end = Math.min(range.clock + range.len, known)
      let clock = range.clock
      while (structs && clock < end) {
        const s = structs[Y.findIndexSS(structs, clock)]
        if (!s) break
        if (s instanceof Y.Item && !s.deleted) {
          const from = Math.max(range.clock, s.id.clock)
          const to = Math.min(end, s.id.clock + s.length)
          if (fn(s, client, { clock: from, len: to - from }) === false) return
        }
        clock = s.id.clock + s.length
      }
    }
  }
}

/**
 * The first root the update may not change under `access`, or null when the whole update is
 * allowed. Unplaceable content is refused as {@link UNKNOWN_ROOT}.
 */
export function refusedRoot(
  doc: Y.Doc,
  decoded: DecodedUpdate,
  access: AccessOf,
  placer = new UpdatePlacer(doc, items(decoded)),
): string | null {
  for (const item of items(decoded)) {
    const place = placer.place(item)
    if (place === DROPPED) continue
    if (place === UNPLACEABLE) return UNKNOWN_ROOT
    if (!allowed(place, access)) return place.root
  }
  const rewritten = rewrittenFields(decoded, placer)
  let refused: string | null = null
  forEachDeleted(doc, decoded, (s) => {
    refused = deletionRefusedAt(s, decoded, access, rewritten)
    return refused === null
  })
  return refused
}

/** Fields of existing entries an update writes a new value for. */
function rewrittenFields(
  decoded: DecodedUpdate,
  placer: UpdatePlacer,
): Map<Y.AbstractType<unknown>, Set<string>> {
  const rewritten = new Map<Y.AbstractType<unknown>, Set<string>>()
  for (const item of items(decoded)) {
    if (placer.place(item) === DROPPED) continue
    const c = placer.container(item)
    if (c.kind === 'existing' && c.key !== null)
      rewritten.set(c.map, (rewritten.get(c.map) ?? new Set()).add(c.key))
  }
  return rewritten
}

/** The root where deleting `s` is refused under `access`, or null when it is allowed. */
function deletionRefusedAt(
  s: Y.Item,
  decoded: DecodedUpdate,
  access: AccessOf,
  rewritten: Map<Y.AbstractType<unknown>, Set<string>>,
): string | null {
  const place = placeBeside(s)
  if (place === UNPLACEABLE || place === DROPPED) return UNKNOWN_ROOT
  if (access(place.root) !== ParticipantAccess.Write) return place.root
  // A card's or task's field is only ever replaced (map.set), never removed: a bare removal is
  // what is left of someone else's edit with its new value cut out, and it would make the entry
  // unreadable. Deleting the entry deletes its fields with it.
  if (
    isEntryField(s) &&
    !rewritten.get(s.parent as Y.AbstractType<unknown>)?.has(s.parentSub!) &&
    !Y.isDeleted(decoded.ds, (s.parent as Y.Map<unknown>)._item!.id)
  ) {
    return place.root
  }
  return null
}

/**
 * The deletions of a re-send (a sync step 2: all its sender holds) that the writer may not make.
 * Its sender holds them because the server relayed them and then lost the update that made them
 * (a crash between broadcast and commit), with their other half (a new value, someone else's
 * content) cut as foreign: only their writer may send them again.
 */
function relayedDeletions(
  doc: Y.Doc,
  decoded: DecodedUpdate,
  writer: Writer,
): Map<number, DeleteRange[]> {
  const placer = new UpdatePlacer(doc, items(decoded))
  const rewritten = rewrittenFields(decoded, placer)
  const policy = writer.board?.policy()
  const who = writer.board?.who
  const out = new Map<number, DeleteRange[]>()
  forEachDeleted(doc, decoded, (s, client, range) => {
    let refused = deletionRefusedAt(s, decoded, writer.access, rewritten) !== null
    if (!refused && policy && who) {
      const place = placeBeside(s)
      const root = place === UNPLACEABLE || place === DROPPED ? null : place.root
      if (root !== null && SHARED_TEXT_ROOTS.includes(root))
        refused = !mayWriteSharedText(policy, who.role)
      else if (root === BOARD_ROOT.cards) {
        const entry = entryOfExisting(s)
        const map = entry?.kind === 'existing' ? entry.map : null
        refused = map !== null && !mayChangeCard(policy, who, ownership(map))
      }
    }
    if (refused) out.set(client, [...(out.get(client) ?? []), range])
  })
  return out
}

/** `decoded`'s delete set without `out`. */
function deletesWithout(
  decoded: DecodedUpdate,
  out: Map<number, DeleteRange[]>,
): Map<number, DeleteRange[]> {
  const deletes = new Map<number, DeleteRange[]>()
  for (const [client, ranges] of decoded.ds.clients) {
    const cut = out.get(client)
    deletes.set(
      client,
      cut
        ? ranges.flatMap((r) => subtractRanges({ clock: r.clock, len: r.len }, cut))
        : ranges.map((r) => ({ clock: r.clock, len: r.len })),
    )
  }
  return deletes
}

/** A field of an entry of a root map (a card's `x`, a task's `title`), not rich text inside it. */
function isEntryField(item: Y.Item): boolean {
  if (item.parentSub === null || !(item.parent instanceof Y.Map)) return false
  const entry = item.parent._item
  return entry !== null && entry.parent instanceof Y.AbstractType && entry.parent._item === null
}

/** The participant rules alone (kept for the guard's seeded fault test). */
export const refusedParticipantRoot = (doc: Y.Doc, decoded: DecodedUpdate): string | null =>
  refusedRoot(doc, decoded, participantAccess)

/** A struct clock beyond any real client: used to cut a client out of an update entirely. */
const BEYOND_ANY_CLOCK = 2 ** 52

export interface Writer {
  /** Who owns the client ids this writer uses: a participant id, or {@link STAFF}. */
  principal: string
  access: AccessOf
  /** The `author` its new cards and tasks must carry. */
  author: string
  /**
   * The workshop's board policy as it stands now, and who the writer is to it (from its token's
   * row). Absent: no per-card rules (facilitators, the control doc).
   */
  board?: { who: CardWriter; policy(): BoardPolicy }
}

export type Verdict =
  /**
   * Apply `update` (the part of the original the writer may send), then stamp the entries'
   * author. `refused` names the roots of parts cut from it (a card the writer may not change):
   * the writer is told, the rest is applied. `deletedCards` are the keys of cards this update
   * deletes (the room keeps a copy in the trash first), `addedCards` those it (re)creates.
   */
  | {
      kind: 'apply'
      update: Uint8Array
      claims: number[]
      foreign: number
      stampAuthor: Y.ID[]
      refused: string[]
      deletedCards: string[]
      addedCards: string[]
    }
  /** Nothing new for the doc (all held already, or others' content we do not take from this writer). */
  | { kind: 'nothing'; foreign: number }
  /** Builds on content that has not arrived yet (it follows in the writer's sync step 2). */
  | { kind: 'wait' }
  | { kind: 'refuse'; root: string }

/**
 * Where each client's structs begin and end, read as Y.parseUpdateMeta reads them (a client listed
 * twice keeps its last list; `integrates` refuses that update anyway).
 */
function clockRanges(structs: DecodedUpdate['structs']): {
  from: Map<number, number>
  to: Map<number, number>
} {
  const from = new Map<number, number>()
  const to = new Map<number, number>()
  let client: number | null = null
  let end = 0
  for (const s of structs) {
    if (s.id.client !== client) {
      if (client !== null) to.set(client, end)
      client = s.id.client
      from.set(client, s.id.clock)
    }
    end = s.id.clock + s.length
  }
  if (client !== null) to.set(client, end)
  return { from, to }
}

/**
 * Judges `raw` from `writer` against `doc`:
 * - structs the doc already holds are cut (an honest client re-sends them in its sync step 2);
 * - structs under a client id another principal owns are cut: only the owner may write there, and
 *   whatever an honest client merely relays for someone else is theirs to send;
 * - what is left must integrate completely (no gap in a client's clocks, every neighbour and
 *   parent present), else the update waits;
 * - then the writer's role must allow every change, and an `author` field may only be set by
 *   creating an entry (the server stamps its value).
 * Deletions of clocks the doc does not hold are not judged here: the room discards the pending
 * delete set Yjs would keep, so they can never apply to future content.
 */
export function judgeUpdate(
  doc: Y.Doc,
  owners: ClientOwners,
  writer: Writer,
  raw: Uint8Array,
  { resend = false }: { resend?: boolean } = {},
): Verdict {
  // decoded once: the same structs give the clock range per client, and most updates (a writer's
  // own edits) need no cut, so they are not parsed a second time
  const first = Y.decodeUpdate(raw)
  const meta = clockRanges(first.structs)
  const cut = new Map<number, number>()
  const claims: number[] = []
  let foreign = 0
  let needsCut = false
  for (const [client, end] of meta.to) {
    const held = Y.getState(doc.store, client)
    const start = meta.from.get(client) ?? 0
    if (!owners.mayWrite(client, writer.principal, held)) {
      if (end > held) foreign++
      cut.set(client, BEYOND_ANY_CLOCK)
      needsCut = true
      continue
    }
    cut.set(client, held)
    if (start < held) needsCut = true
    if (end > held && !owners.owner(client)) claims.push(client)
  }
  let update = needsCut ? Y.diffUpdate(raw, Y.encodeStateVector(cut)) : raw
  let decoded = needsCut ? Y.decodeUpdate(update) : first
  const integration = integrates(doc, decoded)
  if (integration === 'malformed') return { kind: 'refuse', root: UNKNOWN_ROOT }
  if (integration === 'missing') return { kind: 'wait' }
  if (resend) {
    const relayed = relayedDeletions(doc, decoded, writer)
    if (relayed.size) {
      foreign++
      update = encodeCut(decoded, new Set(), deletesWithout(decoded, relayed))
      decoded = Y.decodeUpdate(update)
    }
  }
  if (!decoded.structs.length && !deletesHeld(doc, decoded)) return { kind: 'nothing', foreign }

  const placer = new UpdatePlacer(doc, items(decoded))
  const refused = refusedRoot(doc, decoded, writer.access, placer)
  if (refused !== null) return { kind: 'refuse', root: refused }
  const policy = writer.board ? judgePolicy(doc, decoded, placer, writer.board) : null
  const cutItems = policy?.cut ?? new Set<Y.Item>()
  const stampAuthor: Y.ID[] = []
  for (const item of items(decoded)) {
    if (cutItems.has(item)) continue
    const c = placer.container(item)
    // a new (or replaced) card or task: its author is stamped by the room once it is applied
    if (
      c.kind === 'root' &&
      AUTHORED_ROOTS.includes(c.root) &&
      item.content instanceof Y.ContentType
    ) {
      stampAuthor.push(item.id)
    }
    // an entry's author is set when it is created and never changes after
    if (c.kind === 'existing' && c.key === AUTHOR_FIELD) {
      const place = placer.place(item)
      return {
        kind: 'refuse',
        root: place === DROPPED || place === UNPLACEABLE ? UNKNOWN_ROOT : place.root,
      }
    }
  }
  const cards = cardChanges(doc, decoded, placer, cutItems, policy?.refusedDeletes ?? null)
  if (!policy?.refused.length)
    return { kind: 'apply', update, claims, foreign, stampAuthor, refused: [], ...cards }
  const kept =
    items(decoded).length > cutItems.size || [...policy.deletes.values()].some((r) => r.length > 0)
  if (!kept) return { kind: 'refuse', root: policy.refused[0]! }
  return {
    kind: 'apply',
    update: encodeCut(decoded, cutItems, policy.deletes),
    claims,
    foreign,
    stampAuthor,
    refused: policy.refused,
    ...cards,
  }
}

/** What of an update the board policy refuses: items to cut and deletions to leave out. */
interface PolicyCut {
  cut: Set<Y.Item>
  /** The update's delete set without the refused parts, per client. */
  deletes: Map<number, DeleteRange[]>
  /** Whether a deleted item's deletion was refused. */
  refusedDeletes: Set<Y.Item>
  /** Roots something was cut from, in the order met. */
  refused: string[]
}

const entryIdentity = (e: Entry): object => (e.kind === 'existing' ? e.map : e.item)

function ownership(map: Y.AbstractType<unknown>) {
  return map instanceof Y.Map
    ? { author: map.get(AUTHOR_FIELD), table: map.get(CARD_TABLE_FIELD) }
    : { author: undefined, table: undefined }
}

/**
 * The board policy, card by card: a card the writer may not change is refused whole, everything
 * this update does to it (fields, text, move, deletion), and nothing else; statement and
 * principles while they are closed to the writer's role.
 */
function judgePolicy(
  doc: Y.Doc,
  decoded: DecodedUpdate,
  placer: UpdatePlacer,
  board: NonNullable<Writer['board']>,
): PolicyCut {
  const policy = board.policy()
  const who = board.who
  const sharedText = mayWriteSharedText(policy, who.role)
  const all = items(decoded)
  const refusedEntries = new Set<object>()
  const cutRoots = new Set<string>()
  const rootOf = (item: Y.Item): string | null => {
    const place = placer.place(item)
    return place === DROPPED || place === UNPLACEABLE ? null : place.root
  }
  const cards = doc.share.get(BOARD_ROOT.cards)
  // A new card is the writer's own: only cards the doc holds are judged. But a new value under
  // the key of a live card replaces it (Yjs deletes the old value when the new one integrates,
  // whatever the delete set says): that is changing the old card.
  const judgeEntry = (entry: Entry) => {
    if (refusedEntries.has(entryIdentity(entry))) return
    if (entry.kind === 'existing') {
      if (!mayChangeCard(policy, who, ownership(entry.map))) refusedEntries.add(entry.map)
      return
    }
    const live = cards?._map.get(entry.key)
    if (
      live &&
      !live.deleted &&
      live.content instanceof Y.ContentType &&
      !mayChangeCard(policy, who, ownership(live.content.type))
    ) {
      refusedEntries.add(entry.item)
    }
  }
  for (const item of all) {
    const root = rootOf(item)
    if (root !== null && SHARED_TEXT_ROOTS.includes(root) && !sharedText) cutRoots.add(root)
    if (root !== BOARD_ROOT.cards) continue
    const entry = placer.entryOf(item)
    if (entry) judgeEntry(entry)
  }
  const deletedRoot = (s: Y.Item): string | null => {
    const place = placeBeside(s)
    return place === DROPPED || place === UNPLACEABLE ? null : place.root
  }
  forEachDeleted(doc, decoded, (s) => {
    const root = deletedRoot(s)
    if (root !== null && SHARED_TEXT_ROOTS.includes(root) && !sharedText) cutRoots.add(root)
    if (root !== BOARD_ROOT.cards) return
    const entry = entryOfExisting(s)
    if (entry) judgeEntry(entry)
  })

  const refused: string[] = []
  const note = (root: string) => {
    if (!refused.includes(root)) refused.push(root)
  }
  const cut = new Set<Y.Item>()
  for (const item of all) {
    const root = rootOf(item)
    if (root === null) continue
    const entry = root === BOARD_ROOT.cards ? placer.entryOf(item) : null
    if (cutRoots.has(root) || (entry && refusedEntries.has(entryIdentity(entry)))) {
      cut.add(item)
      note(root)
    }
  }
  const refusedRanges = new Map<number, DeleteRange[]>()
  const refusedDeletes = new Set<Y.Item>()
  forEachDeleted(doc, decoded, (s, client, range) => {
    const root = deletedRoot(s)
    if (root === null) return
    const entry = root === BOARD_ROOT.cards ? entryOfExisting(s) : null
    if (!cutRoots.has(root) && !(entry && refusedEntries.has(entryIdentity(entry)))) return
    refusedRanges.set(client, [...(refusedRanges.get(client) ?? []), range])
    refusedDeletes.add(s)
    note(root)
  })
  return { cut, deletes: deletesWithout(decoded, refusedRanges), refusedDeletes, refused }
}

/** The cards an update deletes (held by the doc, deletion not refused) and those it creates. */
function cardChanges(
  doc: Y.Doc,
  decoded: DecodedUpdate,
  placer: UpdatePlacer,
  cut: ReadonlySet<Y.Item>,
  refusedDeletes: ReadonlySet<Y.Item> | null,
): { deletedCards: string[]; addedCards: string[] } {
  const deletedCards: string[] = []
  forEachDeleted(doc, decoded, (s) => {
    if (refusedDeletes?.has(s) || s.parentSub === null || !(s.content instanceof Y.ContentType))
      return
    const parent = s.parent
    if (
      parent instanceof Y.AbstractType &&
      parent._item === null &&
      rootKeyOf(parent) === BOARD_ROOT.cards
    )
      deletedCards.push(s.parentSub)
  })
  const addedCards: string[] = []
  for (const item of items(decoded)) {
    if (cut.has(item)) continue
    const c = placer.container(item)
    if (
      c.kind === 'root' &&
      c.root === BOARD_ROOT.cards &&
      c.key !== null &&
      item.content instanceof Y.ContentType
    )
      addedCards.push(c.key)
  }
  return { deletedCards, addedCards }
}

/**
 * Whether every struct can be integrated now: each client's structs continue where the doc (or
 * the update itself) ends, and every neighbour and parent they name is present; `missing` when
 * something has not arrived, `malformed` for a client listed twice (Yjs would read only its last
 * list).
 */
function integrates(doc: Y.Doc, decoded: DecodedUpdate): 'complete' | 'missing' | 'malformed' {
  const end = new Map<number, number>()
  const finished = new Set<number>()
  let current: number | null = null
  for (const s of decoded.structs) {
    const client = s.id.client
    if (client !== current) {
      if (finished.has(client)) return 'malformed'
      if (current !== null) finished.add(current)
      current = client
    }
    if (s instanceof Y.Skip) continue
    const at = end.get(client) ?? Y.getState(doc.store, client)
    if (s.id.clock > at) return 'missing'
    end.set(client, Math.max(at, s.id.clock + s.length))
  }
  for (const s of decoded.structs) {
    if (!(s instanceof Y.Item)) continue
    if (s.origin && !present(doc, end, s.origin)) return 'missing'
    if (s.rightOrigin && !present(doc, end, s.rightOrigin)) return 'missing'
    if (s.parent instanceof Y.ID && !present(doc, end, s.parent)) return 'missing'
  }
  return 'complete'
}

/** Whether `id` is held by the doc or comes earlier in the update (`end`: its clients' ends). */
const present = (doc: Y.Doc, end: ReadonlyMap<number, number>, id: Y.ID): boolean =>
  id.clock < (end.get(id.client) ?? Y.getState(doc.store, id.client))

/**
 * What a read-only peer's sync step 2 holds beyond the doc: `own` when it has structs under a
 * client id nobody writes under here (content it made itself: a write attempt), `others` when
 * all it has beyond are structs under others' client ids or deletions of items the doc still
 * has (a step 2 carries its sender's whole delete set; what the doc deleted too is not news),
 * `nothing` otherwise.
 */
export function beyondDoc(
  doc: Y.Doc,
  owners: ClientOwners,
  decoded: DecodedUpdate,
): 'own' | 'others' | 'nothing' {
  let others = false
  for (const s of decoded.structs) {
    if (s.id.clock + s.length <= Y.getState(doc.store, s.id.client)) continue
    if (owners.owner(s.id.client) === undefined) return 'own'
    others = true
  }
  return others || deletesNew(doc, decoded) ? 'others' : 'nothing'
}

/** Whether the delete set covers an item the doc holds and has not deleted. */
function deletesNew(doc: Y.Doc, decoded: DecodedUpdate): boolean {
  for (const [client, ranges] of decoded.ds.clients) {
    const structs = doc.store.clients.get(client)
    if (!structs) continue
    const known = Y.getState(doc.store, client)
    for (const r of ranges) {
      const end = Math.min(r.clock + r.len, known)
      if (r.clock >= end) continue
      for (let i = Y.findIndexSS(structs, r.clock); i < structs.length; i++) {
        const s = structs[i]!
        if (s.id.clock >= end) break
        if (!s.deleted) return true
      }
    }
  }
  return false
}

/** Whether a structless update's delete set covers anything the doc holds. */
function deletesHeld(doc: Y.Doc, decoded: DecodedUpdate): boolean {
  for (const [client, ranges] of decoded.ds.clients) {
    const known = Y.getState(doc.store, client)
    for (const r of ranges) if (r.clock < known) return true
  }
  return false
}
