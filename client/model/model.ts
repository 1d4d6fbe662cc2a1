/**
 * A read model of the board doc for React: tables, cards, meta, and a per-card body version so a
 * card re-reads its rich text only when its own body changed. Framework-free; `useBoard` wraps it.
 *
 * Incremental: a write to one card re-reads that card only and puts it in its place in the sorted
 * list; every other card keeps its object, so memoised card views skip it. Doc events are folded
 * into one snapshot; listeners hear of others' changes on the shared remote tick (remoteTick.ts: 30
 * people dragging send hundreds of writes a second) and of this client's own at once. Reading the
 * snapshot is always up to date.
 */
import * as Y from 'yjs'
import { useEffect, useState, useSyncExternalStore } from 'react'
import {
  type Card,
  CARD_BODY,
  type Meta,
  type Table,
  boardRoot,
  listTables,
  readCard,
  readMeta,
} from '../../shared/schema.ts'
import { REMOTE_TICK_MS, onRemoteTick } from '../sync/remoteTick.ts'

export interface BoardSnapshot {
  tables: Table[]
  cards: Card[]
  meta: Meta | null
  /** Bumped per card id whenever that card's body changes. */
  bodyVersion: ReadonlyMap<string, number>
}

/**
 * Others' changes reach listeners at most this often: the rate at which one person's drag is
 * written anyway, so no card moves less smoothly, while 30 dragging people cost 20 renders a
 * second instead of 600.
 */
export const REMOTE_NOTIFY_MS = REMOTE_TICK_MS

/** Runs `fn` after `ms`; returns a cancel. Injected so tests drive time. */
export type Schedule = (fn: () => void, ms: number) => () => void

/** In the app others' changes wait for the shared remote tick, with their pointers. */
const tickSchedule: Schedule = (fn) => onRemoteTick(fn)

/** Board order: by creation time, then id. */
export function cardOrder(a: Card, b: Card): number {
  return a.created - b.created || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

/** Index of the first card in `sorted` that does not come before `card`. */
function lowerBound(sorted: readonly Card[], card: Card): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (cardOrder(sorted[mid]!, card) < 0) lo = mid + 1
    else hi = mid
  }
  return lo
}

export interface BoardModelOptions {
  schedule?: Schedule
  now?: () => number
}

export class BoardModel {
  private snapshot: BoardSnapshot
  private readonly listeners = new Set<() => void>()
  /** The last read of each card in the list (absent: not on the board or unreadable). */
  private readonly byId = new Map<string, Card>()
  private readonly dirtyCards = new Set<string>()
  private dirtyBodies = false
  private dirtyRest = false
  private bodyVersion = new Map<string, number>()
  private cancelNotify: (() => void) | null = null
  private lastNotify = -Infinity
  private readonly schedule: Schedule
  private readonly now: () => number
  private readonly dispose: () => void

  constructor(
    readonly doc: Y.Doc,
    opts: BoardModelOptions = {},
  ) {
    this.schedule = opts.schedule ?? tickSchedule
    this.now = opts.now ?? (() => performance.now())
    const root = boardRoot(doc)
    const cards: Card[] = []
    for (const [id, map] of root.cards.entries()) {
      const card = map instanceof Y.Map ? readCard(map) : null
      if (card) {
        cards.push(card)
        this.byId.set(id, card)
      }
    }
    cards.sort(cardOrder)
    this.snapshot = { tables: listTables(doc), meta: readMeta(doc), cards, bodyVersion: new Map() }

    const onCards = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
      for (const ev of events) {
        if (ev.target === root.cards) {
          for (const key of ev.changes.keys.keys()) this.dirtyCards.add(key)
          continue
        }
        const id = ev.path[0]
        if (typeof id !== 'string') continue
        if (ev.path[1] === CARD_BODY || ev.target instanceof Y.XmlFragment) {
          this.bodyVersion.set(id, (this.bodyVersion.get(id) ?? 0) + 1)
          this.dirtyBodies = true
        } else {
          this.dirtyCards.add(id)
        }
      }
      this.changed(events[0]?.transaction.local ?? false)
    }
    const onOther = (_: unknown, tr: Y.Transaction) => {
      this.dirtyRest = true
      this.changed(tr.local)
    }
    root.cards.observeDeep(onCards)
    root.tables.observeDeep(onOther)
    root.meta.observe(onOther)
    this.dispose = () => {
      root.cards.unobserveDeep(onCards)
      root.tables.unobserveDeep(onOther)
      root.meta.unobserve(onOther)
    }
  }

  private get dirty(): boolean {
    return this.dirtyCards.size > 0 || this.dirtyBodies || this.dirtyRest
  }

  /** Folds pending doc changes into a new snapshot; unchanged parts keep their identity. */
  private flush(): void {
    if (!this.dirty) return
    const prev = this.snapshot
    let cards = prev.cards
    if (this.dirtyCards.size > 0) {
      const root = boardRoot(this.doc)
      cards = cards.slice()
      for (const id of this.dirtyCards) {
        const old = this.byId.get(id)
        const map = root.cards.get(id)
        const next = map instanceof Y.Map ? readCard(map) : null
        if (old) {
          const at = lowerBound(cards, old)
          if (cards[at] === old) cards.splice(at, 1)
        }
        if (next) {
          cards.splice(lowerBound(cards, next), 0, next)
          this.byId.set(id, next)
        } else {
          this.byId.delete(id)
          this.bodyVersion.delete(id)
        }
      }
      this.dirtyCards.clear()
    }
    this.snapshot = {
      tables: this.dirtyRest ? listTables(this.doc) : prev.tables,
      meta: this.dirtyRest ? readMeta(this.doc) : prev.meta,
      cards,
      // copy on write: the map a render saw never changes under it
      bodyVersion: this.dirtyBodies ? new Map(this.bodyVersion) : prev.bodyVersion,
    }
    this.dirtyBodies = false
    this.dirtyRest = false
  }

  /**
   * `local`: made on this client. Our own edit is told at once, inside the event that made it, so
   * the next key press (a nudge, a second nudge) already sees the moved card; others' are batched.
   */
  private changed(local: boolean): void {
    if (local) {
      this.cancelNotify?.()
      this.cancelNotify = null
      this.notify()
      return
    }
    if (this.cancelNotify) return
    const wait = Math.max(0, REMOTE_NOTIFY_MS - (this.now() - this.lastNotify))
    this.cancelNotify = this.schedule(() => {
      this.cancelNotify = null
      this.notify()
    }, wait)
  }

  private notify(): void {
    this.lastNotify = this.now()
    if (!this.dirty) return
    this.flush()
    for (const fn of this.listeners) fn()
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  getSnapshot = (): BoardSnapshot => {
    this.flush()
    return this.snapshot
  }

  destroy(): void {
    this.dispose()
    this.cancelNotify?.()
    this.cancelNotify = null
    this.listeners.clear()
  }
}

const EMPTY: BoardSnapshot = { tables: [], cards: [], meta: null, bodyVersion: new Map() }
const noSubscribe = () => () => {}
const emptySnapshot = () => EMPTY

/** Created in an effect and kept in state, so StrictMode's double mount gets a live model. */
export function useBoard(doc: Y.Doc): BoardSnapshot {
  const [model, setModel] = useState<BoardModel | null>(null)
  useEffect(() => {
    const m = new BoardModel(doc)
    setModel(m)
    return () => m.destroy()
  }, [doc])
  return useSyncExternalStore(model?.subscribe ?? noSubscribe, model?.getSnapshot ?? emptySnapshot)
}
