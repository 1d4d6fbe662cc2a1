/**
 * The board's history as plain values, for seeking in a replay without decoding Yjs state.
 *
 * Decoding a checkpoint of a long meeting costs tens of milliseconds however few cards are left:
 * every overwritten map value (each drag step) stays in the Yjs state as a tombstone. So the log is
 * replayed once, and after each entry the root-level entries it touched (a card, a task, the
 * statement) are read into plain values: their versions by log index. A seek looks up each
 * entry's version at that index and writes the result into a fresh, small doc, which the
 * replay's views read like any board doc.
 */
import * as Y from 'yjs'
import { type Block, readBlocks, writeBlocks } from './richtext.ts'
import { type HistoryEntry, LogIndex, applyBase, lastAtOrBefore } from './history.ts'

type Field = { value: unknown } | { blocks: Block[] }
interface Version<T> {
  index: number
  /** null: the entry (or field) was deleted at this index. */
  value: T | null
}

/**
 * One key of a root map through the log: whether it holds a plain value or a map, and each of the
 * map's fields by itself. A drag step adds a version of two fields, not a copy of the whole card.
 */
interface KeyHistory {
  shape: Version<{ value: unknown } | 'map'>[]
  fields: Map<string, Version<Field>[]>
}

/** Which fields of an entry to read again; the others (rich text above all) keep their last value. */
type Reread = Set<string> | 'all'

const plain = (v: unknown): unknown => (v instanceof Y.AbstractType ? v.toJSON() : v)

const fieldOf = (v: unknown): Field =>
  v instanceof Y.XmlFragment ? { blocks: readBlocks(v) } : { value: plain(v) }

const last = <T>(list: Version<T>[]): T | null | undefined => list[list.length - 1]?.value

function push<T>(list: Version<T>[], index: number, value: T | null): void {
  // an absent value stays absent: no version for a delete of what was not there
  if (value === null && (list.length === 0 || last(list) === null)) return
  list.push({ index, value })
}

/** Records entry `key` of `map` as entry `index` left it. */
function recordKey(h: KeyHistory, map: Y.Map<unknown>, key: string, index: number, reread: Reread) {
  if (!map.has(key)) {
    push(h.shape, index, null)
    return
  }
  const v = map.get(key)
  if (!(v instanceof Y.Map)) {
    h.shape.push({ index, value: { value: plain(v) } })
    return
  }
  const fieldList = (k: string) => {
    let list = h.fields.get(k)
    if (!list) h.fields.set(k, (list = []))
    return list
  }
  if (reread === 'all' || last(h.shape) !== 'map') {
    // a new map (or one replacing a value): every field anew, those it lacks end here
    h.shape.push({ index, value: 'map' })
    for (const [k, f] of v.entries()) fieldList(k).push({ index, value: fieldOf(f) })
    for (const [k, list] of h.fields) if (!v.has(k)) push(list, index, null)
    return
  }
  for (const k of reread) push(fieldList(k), index, v.has(k) ? fieldOf(v.get(k)) : null)
}

/** The value a version list holds after entry `index`. */
function valueAt<T>(list: Version<T>[], index: number): T | null {
  const at = lastAtOrBefore(list, (v) => v.index, index)
  return at < 0 ? null : list[at]!.value
}

function writeEntry(target: Y.Map<unknown>, key: string, h: KeyHistory, index: number): void {
  const shape = valueAt(h.shape, index)
  if (shape === null) return
  if (shape !== 'map') {
    target.set(key, shape.value)
    return
  }
  const map = new Y.Map<unknown>()
  for (const [k, list] of h.fields) {
    const f = valueAt(list, index)
    if (f === null) continue
    if ('blocks' in f) {
      const fragment = new Y.XmlFragment()
      map.set(k, fragment)
      if (f.blocks.length) writeBlocks(fragment, f.blocks)
    } else map.set(k, f.value)
  }
  target.set(key, map)
}

/** Any shared type: Yjs types are invariant in their event type, so `unknown` would not fit them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
type AnyType = Y.AbstractType<any>

/** The root a type sits in, and the map keys leading down to it (entry key, field key, ...). */
function locate(type: AnyType): { root: AnyType; path: (string | null)[] } {
  let t = type
  const path: (string | null)[] = []
  while (t._item) {
    path.unshift(t._item.parentSub)
    t = t._item.parent as AnyType
  }
  return { root: t, path }
}

/** The Yjs client id a frame's doc writes under. */
const FRAME_CLIENT = 1

/** Entries applied in one transaction: its clean-up (GC, merges) then runs on a bounded slice. */
const ENTRIES_PER_TRANSACTION = 1000

/** Per root: the entries (or, for a fragment root, the root itself) one log entry touched. */
type Touched = Map<string, Map<string, Reread>>

function touchIn(touched: Touched) {
  return (root: string, key: string, fields: Reread) => {
    const byKey = touched.get(root) ?? new Map<string, Reread>()
    touched.set(root, byKey)
    const seen = byKey.get(key)
    if (seen === 'all' || fields === 'all') byKey.set(key, 'all')
    else if (seen) for (const f of fields) seen.add(f)
    else byKey.set(key, new Set(fields))
  }
}

/** The one pass over the log, while it runs: the doc the entries go into and what each touched. */
interface Pass {
  doc: Y.Doc
  touched: Touched
}

export class BoardTimeline extends LogIndex {
  /** Per root map, per key: its history by log index. */
  private readonly maps = new Map<string, Map<string, KeyHistory>>()
  /** Per root fragment: its blocks by log index. */
  private readonly fragments = new Map<string, Version<Block[]>[]>()
  private current: { doc: Y.Doc; index: number } | null = null
  private pass: Pass | null
  private builtCount = 0
  /** The base not read in yet. */
  private base: Uint8Array | null
  /** The pass doc's root types, by the root name they stand for. */
  private readonly roots: Map<AnyType, string>

  constructor(
    entries: HistoryEntry[],
    /** Names of the doc's root maps and root fragments (the board layout). */
    layout: { readonly maps: readonly string[]; readonly fragments: readonly string[] },
    /**
     * lazy: build nothing yet (the caller runs the pass in slices, {@link buildTo}, e.g. to show
     * progress); base: the board's state before the first entry (a replay segment's start), index -1.
     */
    opts: { lazy?: boolean; base?: Uint8Array | null } = {},
  ) {
    super(entries)
    const doc = new Y.Doc()
    const roots = new Map<AnyType, string>()
    for (const name of layout.maps) roots.set(doc.getMap(name), name)
    for (const name of layout.fragments) roots.set(doc.getXmlFragment(name), name)
    for (const name of layout.maps) this.maps.set(name, new Map())
    for (const name of layout.fragments) this.fragments.set(name, [])
    this.pass = { doc, touched: new Map() }
    this.roots = roots
    // a base is read in with the first build: a long meeting's state takes a while to decode
    this.base = opts.base ?? null
    if (!opts.lazy) this.buildTo(entries.length)
  }

  /** The base state as index -1: every entry of every root, read anew. */
  private recordBase(pass: Pass): void {
    const base = this.base
    if (!base) return
    this.base = null
    applyBase(pass.doc, base)
    const touched: Touched = new Map()
    const touch = touchIn(touched)
    for (const [type, root] of this.roots) {
      if (!(type instanceof Y.Map)) touch(root, '', 'all')
      else for (const key of type.keys()) touch(root, key, 'all')
    }
    pass.touched = touched
    this.record(pass, -1)
  }

  /** How many entries the pass has taken in; seeks beyond them build up to there first. */
  get built(): number {
    return this.builtCount
  }

  /**
   * Runs the pass up to entry `end` (exclusive); once at the end its doc is let go.
   *
   * The entries go in within one transaction: a transaction of its own per entry would cost more
   * than the entry (state vectors, delete-set merges, events, GC). What each entry changed is read
   * from the transaction between entries; so that a type made by an earlier entry of the same
   * slice counts as changed too, the transaction's before-state is moved up to each entry's start
   * (Yjs records a change only to types older than that). The pass doc has no observers, so the
   * events the transaction would raise at its end are dropped.
   */
  buildTo(end: number): void {
    const pass = this.pass
    if (pass) this.recordBase(pass)
    const last = Math.min(end, this.entries.length)
    if (!pass || last <= this.builtCount) return
    const { doc } = pass
    for (let from = this.builtCount; from < last; from += ENTRIES_PER_TRANSACTION) {
      const to = Math.min(last, from + ENTRIES_PER_TRANSACTION)
      doc.transact((tr) => {
        const sliceStart = tr.beforeState
        // one map, refreshed in place: Yjs only reads it while the entry goes in
        const entryStart = new Map(sliceStart)
        tr.beforeState = entryStart
        for (let index = from; index < to; index++) {
          for (const client of doc.store.clients.keys())
            entryStart.set(client, Y.getState(doc.store, client))
          tr.changed.clear()
          Y.applyUpdate(doc, this.entries[index]!.data)
          pass.touched = this.touchedBy(tr.changed)
          this.record(pass, index)
        }
        // the slice's structs are merged from its start, as one transaction's would be
        tr.beforeState = sliceStart
        tr.changed.clear()
      })
      this.builtCount = to
    }
    if (this.builtCount === this.entries.length) {
      pass.doc.destroy()
      this.pass = null
    }
  }

  /** What the changes of one entry touched. */
  private touchedBy(changed: Map<AnyType, Set<string | null>>): Touched {
    const touched: Touched = new Map()
    const touch = touchIn(touched)
    for (const [type, keys] of changed) {
      const { root: rootType, path } = locate(type)
      const root = this.roots.get(rootType)
      if (root === undefined) continue
      if (!this.maps.has(root)) touch(root, '', 'all')
      else if (path.length === 0) {
        for (const k of keys) if (k !== null) touch(root, k, 'all')
      } else if (path.length === 1)
        touch(root, path[0]!, new Set([...keys].filter((k): k is string => k !== null)))
      else touch(root, path[0]!, new Set(path[1] === null ? [] : [path[1]!]))
    }
    return touched
  }

  /** The versions entry `index` made: what it touched, read into plain values. */
  private record(pass: Pass, index: number): void {
    for (const [root, byKey] of pass.touched) {
      const fragmentVersions = this.fragments.get(root)
      if (fragmentVersions) {
        fragmentVersions.push({ index, value: readBlocks(pass.doc.getXmlFragment(root)) })
        continue
      }
      const histories = this.maps.get(root)!
      const map = pass.doc.getMap<unknown>(root)
      for (const [key, reread] of byKey) {
        let h = histories.get(key)
        if (!h) histories.set(key, (h = { shape: [], fields: new Map() }))
        recordKey(h, map, key, index, reread)
      }
    }
  }

  /** A doc with the board as it was after entry `index` (owned by the timeline; do not destroy). */
  docAtIndex(index: number): Y.Doc {
    if (index >= this.builtCount || this.base) this.buildTo(index + 1)
    if (this.current?.index === index) return this.current.doc
    this.current?.doc.destroy()
    const doc = new Y.Doc()
    // a frame is only read, never synced: one fixed writer makes its state the same wherever built
    doc.clientID = FRAME_CLIENT
    doc.transact(() => {
      for (const [name, byKey] of this.maps) {
        const target = doc.getMap<unknown>(name)
        for (const [key, h] of byKey) writeEntry(target, key, h, index)
      }
      for (const [name, versions] of this.fragments) {
        const blocks = valueAt(versions, index)
        if (blocks?.length) writeBlocks(doc.getXmlFragment(name), blocks)
      }
    })
    this.current = { doc, index }
    return doc
  }

  destroy(): void {
    this.current?.doc.destroy()
    this.current = null
  }
}
