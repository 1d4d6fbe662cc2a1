/**
 * A read model of the board doc for React: tables, cards, meta, and a per-card body version so a
 * card re-reads its rich text only when its own body changed. Framework-free; `useBoard` wraps it.
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

export interface BoardSnapshot {
  tables: Table[]
  cards: Card[]
  meta: Meta | null
  /** Bumped per card id whenever that card's body changes. */
  bodyVersion: ReadonlyMap<string, number>
}

export class BoardModel {
  private snapshot: BoardSnapshot
  private readonly listeners = new Set<() => void>()
  private readonly cardCache = new Map<string, Card | null>()
  private readonly bodyVersion = new Map<string, number>()
  private readonly dispose: () => void

  constructor(readonly doc: Y.Doc) {
    const root = boardRoot(doc)
    this.snapshot = this.read(true)
    const onCards = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
      for (const ev of events) {
        if (ev.target === root.cards) {
          for (const key of ev.changes.keys.keys()) this.cardCache.delete(key)
          continue
        }
        const id = ev.path[0]
        if (typeof id !== 'string') continue
        if (ev.path[1] === CARD_BODY || ev.target instanceof Y.XmlFragment) {
          this.bodyVersion.set(id, (this.bodyVersion.get(id) ?? 0) + 1)
        } else {
          this.cardCache.delete(id)
        }
      }
      this.update(false)
    }
    const onOther = () => this.update(true)
    root.cards.observeDeep(onCards)
    root.tables.observeDeep(onOther)
    root.meta.observe(onOther)
    this.dispose = () => {
      root.cards.unobserveDeep(onCards)
      root.tables.unobserveDeep(onOther)
      root.meta.unobserve(onOther)
    }
  }

  private read(all: boolean): BoardSnapshot {
    const root = boardRoot(this.doc)
    const cards: Card[] = []
    for (const [id, map] of root.cards.entries()) {
      let card = this.cardCache.get(id)
      if (card === undefined) {
        card = map instanceof Y.Map ? readCard(map) : null
        this.cardCache.set(id, card)
      }
      if (card) cards.push(card)
    }
    cards.sort((a, b) => a.created - b.created || (a.id < b.id ? -1 : 1))
    const prev = this.snapshot as BoardSnapshot | undefined
    return {
      tables: all || !prev ? listTables(this.doc) : prev.tables,
      meta: all || !prev ? readMeta(this.doc) : prev.meta,
      cards,
      bodyVersion: new Map(this.bodyVersion),
    }
  }

  private update(all: boolean): void {
    this.snapshot = this.read(all)
    for (const fn of this.listeners) fn()
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  getSnapshot = (): BoardSnapshot => this.snapshot

  destroy(): void {
    this.dispose()
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
