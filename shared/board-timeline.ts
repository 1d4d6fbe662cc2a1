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
import { type HistoryEntry, LogIndex, lastAtOrBefore } from './history.ts'

type Field = { value: unknown } | { blocks: Block[] }
/** A root map's entry: a primitive, or a map of primitives and rich-text fragments. */
type EntryValue = { value: unknown } | { fields: Record<string, Field> }
interface Version<T> {
  index: number
  /** null: the entry was deleted at this index. */
  value: T | null
}

/** Which fields of an entry to read again; the others (rich text above all) keep their last value. */
type Reread = Set<string> | 'all'

function fieldOf(key: string, v: unknown, previous: Field | undefined, reread: Reread): Field {
  if (v instanceof Y.XmlFragment) {
    const same = reread !== 'all' && !reread.has(key) && previous && 'blocks' in previous
    return same ? previous : { blocks: readBlocks(v) }
  }
  return { value: v instanceof Y.AbstractType ? v.toJSON() : v }
}

function entryOf(v: unknown, previous: EntryValue | null, reread: Reread): EntryValue {
  if (!(v instanceof Y.Map)) return { value: v instanceof Y.AbstractType ? v.toJSON() : v }
  const before = previous && 'fields' in previous ? previous.fields : {}
  const fields: Record<string, Field> = {}
  for (const [k, f] of v.entries()) fields[k] = fieldOf(k, f, before[k], reread)
  return { fields }
}

function writeEntry(target: Y.Map<unknown>, key: string, entry: EntryValue): void {
  if ('value' in entry) {
    target.set(key, entry.value)
    return
  }
  const map = new Y.Map<unknown>()
  for (const [k, f] of Object.entries(entry.fields)) {
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

/** The one pass over the log, while it runs: the doc the entries go into and what each touched. */
interface Pass {
  doc: Y.Doc
  touched: Map<string, Map<string, Reread>>
}

export class BoardTimeline extends LogIndex {
  /** Per root map, per key: versions by log index. */
  private readonly maps = new Map<string, Map<string, Version<EntryValue>[]>>()
  /** Per root fragment: its blocks by log index. */
  private readonly fragments = new Map<string, Version<Block[]>[]>()
  private current: { doc: Y.Doc; index: number } | null = null
  private pass: Pass | null
  private builtCount = 0

  constructor(
    entries: HistoryEntry[],
    /** Names of the doc's root maps and root fragments (the board layout). */
    layout: { readonly maps: readonly string[]; readonly fragments: readonly string[] },
    /** Build nothing yet: the caller runs the pass in slices ({@link buildTo}), e.g. to show progress. */
    opts: { lazy?: boolean } = {},
  ) {
    super(entries)
    const doc = new Y.Doc()
    const roots = new Map<AnyType, string>()
    for (const name of layout.maps) roots.set(doc.getMap(name), name)
    for (const name of layout.fragments) roots.set(doc.getXmlFragment(name), name)
    for (const name of layout.maps) this.maps.set(name, new Map())
    for (const name of layout.fragments) this.fragments.set(name, [])
    const pass: Pass = { doc, touched: new Map() }
    this.pass = pass

    /** Per root: the entries (or, for a fragment root, the root itself) touched by one entry. */
    const touch = (root: string, key: string, fields: Reread) => {
      const byKey = pass.touched.get(root) ?? new Map<string, Reread>()
      pass.touched.set(root, byKey)
      const seen = byKey.get(key)
      if (seen === 'all' || fields === 'all') byKey.set(key, 'all')
      else byKey.set(key, new Set([...(seen ?? []), ...fields]))
    }
    doc.on('afterTransaction', (tr: Y.Transaction) => {
      for (const [type, keys] of tr.changed) {
        const { root: rootType, path } = locate(type)
        const root = roots.get(rootType)
        if (root === undefined) continue
        if (!this.maps.has(root)) touch(root, '', 'all')
        else if (path.length === 0) {
          for (const k of keys) if (k !== null) touch(root, k, 'all')
        } else if (path.length === 1)
          touch(root, path[0]!, new Set([...keys].filter((k): k is string => k !== null)))
        else touch(root, path[0]!, new Set(path[1] === null ? [] : [path[1]!]))
      }
    })
    if (!opts.lazy) this.buildTo(entries.length)
  }

  /** How many entries the pass has taken in; seeks beyond them build up to there first. */
  get built(): number {
    return this.builtCount
  }

  /** Runs the pass up to entry `end` (exclusive); once at the end its doc is let go. */
  buildTo(end: number): void {
    const pass = this.pass
    if (!pass) return
    const last = Math.min(end, this.entries.length)
    for (let index = this.builtCount; index < last; index++) {
      pass.touched = new Map()
      Y.applyUpdate(pass.doc, this.entries[index]!.data)
      this.record(pass, index)
    }
    this.builtCount = Math.max(this.builtCount, last)
    if (this.builtCount === this.entries.length) {
      pass.doc.destroy()
      this.pass = null
    }
  }

  /** The versions entry `index` made: what it touched, read into plain values. */
  private record(pass: Pass, index: number): void {
    for (const [root, byKey] of pass.touched) {
      const fragmentVersions = this.fragments.get(root)
      if (fragmentVersions) {
        fragmentVersions.push({ index, value: readBlocks(pass.doc.getXmlFragment(root)) })
        continue
      }
      const versions = this.maps.get(root)!
      const map = pass.doc.getMap<unknown>(root)
      for (const [key, reread] of byKey) {
        const list = versions.get(key) ?? []
        const previous = list.length ? list[list.length - 1]!.value : null
        list.push({ index, value: map.has(key) ? entryOf(map.get(key), previous, reread) : null })
        versions.set(key, list)
      }
    }
  }

  /** A doc with the board as it was after entry `index` (owned by the timeline; do not destroy). */
  docAtIndex(index: number): Y.Doc {
    if (index >= this.builtCount) this.buildTo(index + 1)
    if (this.current?.index === index) return this.current.doc
    this.current?.doc.destroy()
    const doc = new Y.Doc()
    doc.transact(() => {
      for (const [name, byKey] of this.maps) {
        const target = doc.getMap<unknown>(name)
        for (const [key, versions] of byKey) {
          const at = lastAtOrBefore(versions, (v) => v.index, index)
          const entry = at < 0 ? null : versions[at]!.value
          if (entry) writeEntry(target, key, entry)
        }
      }
      for (const [name, versions] of this.fragments) {
        const at = lastAtOrBefore(versions, (v) => v.index, index)
        const blocks = at < 0 ? null : versions[at]!.value
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
