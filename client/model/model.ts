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
import { KeyedListeners } from '../lib/keyedListeners.ts'

/**
 * What the board screen draws from without reading a card: the tables, the meta and which cards
 * exist, in board order. A card's own fields and body are read per card (BoardModel.getCard,
 * bodyVersionOf), so a write to one card re-renders that card, not the screen.
 */
export interface BoardShape {
  tables: Table[]
  meta: Meta | null
  ids: readonly string[]
}

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
  private shape: BoardShape
  /** What changed since listeners last heard: told per card, per body, and to the shape's. */
  private readonly changedCards = new Set<string>()
  private readonly changedBodies = new Set<string>()
  private changedShape = false
  private changedAny = false
  private readonly cardListeners = new KeyedListeners()
  private readonly bodyListeners = new KeyedListeners()
  private readonly shapeListeners = new Set<() => void>()
  private readonly cardsListeners = new Set<(ids: ReadonlySet<string>) => void>()
  private readonly bodiesListeners = new Set<(ids: ReadonlySet<string>) => void>()
  /** Others' changes are held back (the person paused live updates); own ones still come through. */
  private paused = false
  private cancelNotify: (() => void) | null = null
  private lastNotify = -Infinity
  private readonly schedule: Schedule
  private readonly now: () => number
  private readonly dispose: () => void
  private isDestroyed = false

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
    this.shape = {
      tables: this.snapshot.tables,
      meta: this.snapshot.meta,
      ids: cards.map((c) => c.id),
    }

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
          this.changedBodies.add(id)
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
    let added = false
    if (this.dirtyCards.size > 0) {
      const root = boardRoot(this.doc)
      cards = cards.slice()
      for (const id of this.dirtyCards) {
        const old = this.byId.get(id)
        const map = root.cards.get(id)
        const next = map instanceof Y.Map ? readCard(map) : null
        this.changedCards.add(id)
        if (!old !== !next) added = true
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
    if (added || this.dirtyRest) {
      // a card that came or went, or the tables or meta: the screen's own render
      this.shape = {
        tables: this.snapshot.tables,
        meta: this.snapshot.meta,
        ids: added ? cards.map((c) => c.id) : this.shape.ids,
      }
      this.changedShape = true
    }
    this.changedAny = true
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
    if (this.cancelNotify || this.paused) return
    const wait = Math.max(0, REMOTE_NOTIFY_MS - (this.now() - this.lastNotify))
    this.cancelNotify = this.schedule(() => {
      this.cancelNotify = null
      this.notify()
    }, wait)
  }

  private notify(): void {
    this.lastNotify = this.now()
    this.flush()
    if (!this.changedAny) return
    const cards = new Set(this.changedCards)
    const bodies = new Set(this.changedBodies)
    const shape = this.changedShape
    this.changedCards.clear()
    this.changedBodies.clear()
    this.changedShape = false
    this.changedAny = false
    // derived stores (the layout) first, so a card that re-renders reads its new box
    if (cards.size > 0) for (const fn of this.cardsListeners) fn(cards)
    if (shape) for (const fn of this.shapeListeners) fn()
    for (const id of cards) this.cardListeners.call(id)
    if (bodies.size > 0) for (const fn of this.bodiesListeners) fn(bodies)
    for (const id of bodies) this.bodyListeners.call(id)
    for (const fn of this.listeners) fn()
  }

  /** Reads are up to date, but for others' changes while paused. */
  private read(): void {
    if (!this.paused) this.flush()
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  getSnapshot = (): BoardSnapshot => {
    this.read()
    return this.snapshot
  }

  subscribeShape = (fn: () => void): (() => void) => {
    this.shapeListeners.add(fn)
    return () => this.shapeListeners.delete(fn)
  }

  getShape = (): BoardShape => {
    this.read()
    return this.shape
  }

  /** `fn` hears the ids of the cards that changed (came, went, or any field), before each card does. */
  onCards(fn: (ids: ReadonlySet<string>) => void): () => void {
    this.cardsListeners.add(fn)
    return () => this.cardsListeners.delete(fn)
  }

  /** `fn` hears the ids of the cards whose text changed, before each card does. */
  onBodies(fn: (ids: ReadonlySet<string>) => void): () => void {
    this.bodiesListeners.add(fn)
    return () => this.bodiesListeners.delete(fn)
  }

  subscribeCard(id: string, fn: () => void): () => void {
    return this.cardListeners.add(id, fn)
  }

  /** The card as last read (undefined: not on the board). */
  getCard(id: string): Card | undefined {
    this.read()
    return this.byId.get(id)
  }

  subscribeBody(id: string, fn: () => void): () => void {
    return this.bodyListeners.add(id, fn)
  }

  /** Bumped whenever the card's body changes: a card re-reads its text when it does. */
  bodyVersionOf(id: string): number {
    this.read()
    return this.snapshot.bodyVersion.get(id) ?? 0
  }

  /** Holds others' changes back from every reader until resumed (own changes still show them). */
  setPaused(on: boolean): void {
    if (this.paused === on) return
    this.paused = on
    if (on) {
      this.cancelNotify?.()
      this.cancelNotify = null
    } else this.notify()
  }

  get destroyed(): boolean {
    return this.isDestroyed
  }

  destroy(): void {
    this.isDestroyed = true
    this.dispose()
    this.cancelNotify?.()
    this.cancelNotify = null
    this.listeners.clear()
    this.shapeListeners.clear()
    this.cardsListeners.clear()
    this.bodiesListeners.clear()
    this.cardListeners.clear()
    this.bodyListeners.clear()
  }
}

const EMPTY: BoardSnapshot = { tables: [], cards: [], meta: null, bodyVersion: new Map() }
const noSubscribe = () => () => {}
const emptySnapshot = () => EMPTY

/**
 * Created at the first render, so the screen draws the board on its first commit (the canvas is
 * there for the viewport to measure); an effect replaces a model that StrictMode's double mount
 * destroyed, or one made for another doc.
 */
export function useBoardModel(doc: Y.Doc): BoardModel {
  const [model, setModel] = useState(() => new BoardModel(doc))
  useEffect(() => {
    if (model.destroyed || model.doc !== doc) {
      setModel(new BoardModel(doc))
      return
    }
    return () => model.destroy()
  }, [doc, model])
  return model
}

/** The whole board: re-renders on every change (the list view, the projector). */
export function useBoardSnapshot(model: BoardModel | null): BoardSnapshot {
  return useSyncExternalStore(model?.subscribe ?? noSubscribe, model?.getSnapshot ?? emptySnapshot)
}

export function useBoard(doc: Y.Doc): BoardSnapshot {
  return useBoardSnapshot(useBoardModel(doc))
}

const EMPTY_SHAPE: BoardShape = { tables: [], meta: null, ids: [] }
const emptyShape = () => EMPTY_SHAPE

/** Tables, meta and which cards exist: re-renders when a card comes or goes, not when one changes. */
export function useBoardShape(model: BoardModel | null): BoardShape {
  return useSyncExternalStore(model?.subscribeShape ?? noSubscribe, model?.getShape ?? emptyShape)
}
