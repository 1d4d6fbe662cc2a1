/**
 * Polite screen-reader announcements: a queue flushed into an aria-live region, and an observer
 * that turns remote card changes (not our own, not the initial sync) into short messages.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import * as Y from 'yjs'
import type { WebsocketProvider } from 'y-websocket'
import { type Card, type Table, boardRoot, readCard } from '../../shared/schema.ts'
import type { Translate } from '../i18n/index.ts'

/** Messages within this window are joined into one announcement, so bursts do not flood. */
const ANNOUNCE_BATCH_MS = 800

export interface Announcement {
  text: string
  /** Bumped per flush: the live region re-inserts its text even when it repeats the last one. */
  seq: number
}

export function useAnnouncer(): { announcement: Announcement; announce: (m: string) => void } {
  const [announcement, setAnnouncement] = useState<Announcement>({ text: '', seq: 0 })
  const queue = useRef<string[]>([])
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current)
    },
    [],
  )
  const announce = useCallback((m: string) => {
    queue.current.push(m)
    if (timer.current) return
    timer.current = setTimeout(() => {
      timer.current = null
      const unique = [...new Set(queue.current.splice(0))]
      setAnnouncement((a) => ({ text: unique.join('. '), seq: a.seq + 1 }))
    }, ANNOUNCE_BATCH_MS)
  }, [])
  return { announcement, announce }
}

const CARD_TABLE = 'table' satisfies keyof Card

/**
 * Where a change to one card's map moved it: the new table id (null: off every table), or
 * undefined when its table stayed the same (a position write repeats the table it already had).
 */
export function movedToTable(ev: Y.YMapEvent<unknown>): string | null | undefined {
  const change = ev.changes.keys.get(CARD_TABLE)
  const card = change ? readCard(ev.target as Y.Map<unknown>) : null
  if (!change || !card) return undefined
  return change.action === 'update' && change.oldValue === card.table ? undefined : card.table
}

export function useRemoteAnnouncements(
  doc: Y.Doc,
  provider: WebsocketProvider,
  tables: () => Table[],
  t: Translate,
  announce: (m: string) => void,
  /** While live updates are paused, remote changes are not announced either. */
  paused = false,
): void {
  useEffect(() => {
    if (paused) return
    const cards = boardRoot(doc).cards
    const tableName = (id: string | null) => tables().find((tb) => tb.id === id)?.name ?? null
    const onChange = (events: Y.YEvent<Y.AbstractType<unknown>>[], tr: Y.Transaction) => {
      // only live remote edits: skip our own, the offline cache, and the catch-up sync
      if (tr.origin !== provider || !provider.synced) return
      for (const ev of events) {
        if (ev.target === cards) {
          for (const [id, change] of ev.changes.keys) {
            if (change.action === 'add') {
              const map = cards.get(id)
              const card = map instanceof Y.Map ? readCard(map) : null
              const name = tableName(card?.table ?? null)
              announce(
                name ? t('announce.cardAdded', { table: name }) : t('announce.cardAddedNoTable'),
              )
            } else if (change.action === 'delete') {
              announce(t('announce.cardDeleted'))
            }
          }
        } else if (ev.path.length === 1 && ev instanceof Y.YMapEvent) {
          // a position write repeats the table; only a real change of table is news
          const to = movedToTable(ev)
          const name = to === undefined ? null : tableName(to)
          if (name) announce(t('announce.cardMoved', { table: name }))
        }
      }
    }
    cards.observeDeep(onChange)
    return () => cards.unobserveDeep(onChange)
  }, [doc, provider, tables, t, announce, paused])
}
