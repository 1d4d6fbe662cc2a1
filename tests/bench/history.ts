/**
 * History workloads.
 *
 * Replay seek in a 3-hour meeting: a seeded simulation writes the update log a real meeting would
 * leave (cards added, typed letter by letter, dragged, deleted; 30 participants), then four ways
 * of seeking in it are timed on the same log and the same random seek times:
 *   ours          shared/board-timeline.ts BoardTimeline (what the replay screen runs): plain
 *                 versions of each card/task/... by log index, seek = write them into a fresh doc
 *   yjs-checkpoints  shared/history.ts DocReplay (ours before): encoded Yjs checkpoints every 300
 *                 entries, seek = decode the nearest + at most 300 updates
 *   yjs-snapshots Yjs's own history: one doc with gc off holding everything, a Y.snapshot per
 *                 second of meeting time, seek = Y.createDocFromSnapshot
 *   from-start    apply the log from the first entry up to the seek point into a fresh doc
 *
 * Snapshot save/load (ours only; neither peer server keeps snapshots): POST a snapshot of a
 * 1,000-card board through the real server (both docs committed, stored with synchronous=FULL),
 * and GET it back, decoded into a doc that shows all cards.
 */
import { performance } from 'node:perf_hooks'
import * as Y from 'yjs'
import { HISTORY_API } from '../../shared/api.ts'
import { BoardTimeline } from '../../shared/board-timeline.ts'
import { DocReplay, type HistoryEntry, lastAtOrBefore } from '../../shared/history.ts'
import {
  BOARD_LAYOUT,
  CARD_SIZE,
  addCard,
  boardRoot,
  cardBody,
  deleteCard,
  listCards,
  moveCard,
} from '../../shared/schema.ts'
import { mulberry32, type Rng } from '../fault/rng.ts'
import { quantile, sortNum } from './env.ts'
import type { Target } from './targets.ts'
import { connectSynced, fullSync, sendUpdate } from './wire.ts'

export const MEETING_HOURS = 3
const PARTICIPANTS = 30
/** One keystroke, one drag step or one card action per entry, ~7 per second over the meeting. */
const MEETING_ENTRIES = 75_000
const SEEKS = 200
const PEER_SNAPSHOT_EVERY_MS = 1000

export interface MeetingLog {
  entries: HistoryEntry[]
  cardsAtEnd: number
  bytes: number
}

/**
 * The log of a simulated meeting. Each participant is its own Yjs client id; the mix is what a
 * board sees: mostly typing (one update per key), drags at ~20 Hz, some adds and deletes.
 */
export function simulateMeeting(seed: number, entries = MEETING_ENTRIES): MeetingLog {
  const rng = mulberry32(seed)
  const doc = new Y.Doc()
  const start = Date.UTC(2026, 10, 23, 18, 0)
  const step = (MEETING_HOURS * 3600_000) / entries
  const log: HistoryEntry[] = []
  let pending: Uint8Array | null = null
  doc.on('update', (u: Uint8Array) => (pending = pending ? Y.mergeUpdates([pending, u]) : u))
  const commit = () => {
    if (!pending) return
    log.push({
      seq: log.length + 1,
      time: Math.round(start + log.length * step + rng.next() * step),
      data: pending,
    })
    pending = null
  }
  const live: string[] = []
  let nextCard = 0
  const act = (who: number, fn: () => void) => {
    doc.clientID = 1000 + who
    fn()
    commit()
  }
  while (log.length < entries) {
    const who = rng.int(PARTICIPANTS)
    const roll = rng.next()
    if (live.length < 20 || roll < 0.02) {
      const id = `c${nextCard++}`
      act(who, () =>
        addCard(doc, {
          id,
          kind: rng.bool() ? 'vision' : 'need',
          table: `t${who % 3}`,
          x: rng.int(3000),
          y: rng.int(1200),
          w: CARD_SIZE.w,
          h: CARD_SIZE.h,
          author: `p${who}`,
          created: log.length,
        }),
      )
      live.push(id)
    } else if (roll < 0.025) {
      const id = live.splice(rng.int(live.length), 1)[0]!
      act(who, () => deleteCard(doc, id))
    } else if (roll < 0.45) {
      dragBurst(rng, doc, live, who, act, entries - log.length)
    } else {
      typeBurst(rng, doc, live, who, act, entries - log.length)
    }
  }
  const bytes = log.reduce((n, e) => n + e.data.length, 0)
  const cardsAtEnd = boardRoot(doc).cards.size
  doc.destroy()
  return { entries: log, cardsAtEnd, bytes }
}

type Act = (who: number, fn: () => void) => void

function dragBurst(rng: Rng, doc: Y.Doc, live: string[], who: number, act: Act, room: number) {
  const id = rng.pick(live)
  let x = rng.int(3000)
  let y = rng.int(1200)
  for (let i = Math.min(room, rng.range(5, 40)); i > 0; i--) {
    x += rng.range(-15, 15)
    y += rng.range(-15, 15)
    act(who, () => moveCard(doc, id, { x, y }))
  }
}

function typeBurst(rng: Rng, doc: Y.Doc, live: string[], who: number, act: Act, room: number) {
  const body = cardBody(doc, rng.pick(live))
  if (!body) return
  let text = body.get(0)
  if (!(text instanceof Y.XmlElement)) {
    act(who, () => {
      const p = new Y.XmlElement('paragraph')
      p.insert(0, [new Y.XmlText('')])
      body.insert(0, [p])
    })
    text = body.get(0)
  }
  const t = (text as Y.XmlElement).get(0) as Y.XmlText
  const words = 'over vijf jaar kunnen inwoners bij een loket terecht en werken gemeenten samen '
  for (let i = Math.min(room, rng.range(5, 60)); i > 0; i--) {
    if (t.length > 0 && rng.bool(0.08)) act(who, () => t.delete(t.length - 1, 1))
    else act(who, () => t.insert(t.length, words[(t.length + i) % words.length]!))
  }
}

export interface SeekResult {
  /** Time to get ready to seek (decode nothing; build checkpoints or snapshots). */
  loadMs: number
  p50: number
  p95: number
  /** Every seek's card count, to check the ways agree. */
  cardCounts: number[]
}

interface SeekWay {
  load(entries: HistoryEntry[]): void
  /** The board after entry `index` (-1: before the first). */
  seek(index: number): Y.Doc
  release(doc: Y.Doc): void
  destroy(): void
}

function oursWay(): SeekWay {
  let timeline: BoardTimeline | null = null
  return {
    load: (entries) => (timeline = new BoardTimeline(entries, BOARD_LAYOUT)),
    seek: (index) => timeline!.docAtIndex(index),
    release: () => {}, // the timeline owns its current doc
    destroy: () => timeline?.destroy(),
  }
}

function checkpointsWay(): SeekWay {
  let replay: DocReplay | null = null
  return {
    load: (entries) => (replay = new DocReplay(entries)),
    seek: (index) => replay!.docAtIndex(index),
    release: () => {}, // the replay owns its current doc
    destroy: () => replay?.destroy(),
  }
}

function yjsSnapshotsWay(): SeekWay {
  const full = new Y.Doc({ gc: false })
  const snaps: { index: number; snap: Y.Snapshot }[] = []
  return {
    load(entries) {
      let nextAt = entries[0]?.time ?? 0
      entries.forEach((e, i) => {
        Y.applyUpdate(full, e.data)
        if (e.time >= nextAt || i === entries.length - 1) {
          snaps.push({ index: i, snap: Y.snapshot(full) })
          nextAt = e.time + PEER_SNAPSHOT_EVERY_MS
        }
      })
    },
    seek(index) {
      // the nearest snapshot at or before the entry: what a scrubber with 1 s resolution shows
      const best = lastAtOrBefore(snaps, (x) => x.index, index)
      return best < 0 ? new Y.Doc() : Y.createDocFromSnapshot(full, snaps[best]!.snap)
    },
    release: (doc) => doc.destroy(),
    destroy: () => full.destroy(),
  }
}

function fromStartWay(): SeekWay {
  let log: HistoryEntry[] = []
  return {
    load: (entries) => (log = entries),
    seek(index) {
      const doc = new Y.Doc()
      doc.transact(() => {
        for (let i = 0; i <= index; i++) Y.applyUpdate(doc, log[i]!.data)
      })
      return doc
    },
    release: (doc) => doc.destroy(),
    destroy: () => {},
  }
}

export const SEEK_WAYS = {
  ours: oursWay,
  'yjs-checkpoints': checkpointsWay,
  'yjs-snapshots': yjsSnapshotsWay,
  'from-start': fromStartWay,
} as const
export type SeekWayName = keyof typeof SEEK_WAYS

/** Random jumps (a scrubber, not playback), each timed until the board's cards can be listed. */
export function measureSeek(
  way: SeekWayName,
  log: MeetingLog,
  seed: number,
  seeks = SEEKS,
): SeekResult {
  const w = SEEK_WAYS[way]()
  const t0 = performance.now()
  w.load(log.entries)
  const loadMs = performance.now() - t0
  const rng = mulberry32(seed)
  const first = log.entries[0]!.time
  const last = log.entries[log.entries.length - 1]!.time
  const times: number[] = []
  const cardCounts: number[] = []
  for (let i = 0; i < seeks; i++) {
    const at = first + rng.next() * (last - first)
    const s = performance.now()
    const index = indexAtTime(log.entries, at)
    const doc = w.seek(index)
    const n = listCards(doc).length
    times.push(performance.now() - s)
    cardCounts.push(n)
    w.release(doc)
  }
  w.destroy()
  const sorted = sortNum(times)
  return { loadMs, p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), cardCounts }
}

const indexAtTime = (entries: HistoryEntry[], time: number) =>
  lastAtOrBefore(entries, (e) => e.time, time)

export interface SnapshotResult {
  saveP50: number
  saveP95: number
  loadP50: number
  loadP95: number
  snapshotKiB: number
}

/** Ours only, through the real server: save `n` snapshots of a board one by one, then open each. */
export async function snapshotSaveLoad(
  t: Target,
  board: Uint8Array,
  cards: number,
  n = 30,
): Promise<SnapshotResult> {
  const room = await t.newRoom()
  const w = room.workshop
  if (!w) throw new Error(`${t.name} has no snapshots`)
  const seeder = await connectSynced(room)
  sendUpdate(seeder, board)
  await fullSync(seeder) // answered after the board was applied
  const auth = { authorization: `Bearer ${w.facilitatorKey}`, 'content-type': 'application/json' }
  const saves: number[] = []
  const ids: string[] = []
  for (let i = 0; i < n; i++) {
    const s = performance.now()
    const res = await fetch(w.httpBase + HISTORY_API.snapshots(w.id), {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ label: `bench ${i}` }),
    })
    const meta = (await res.json()) as { id: string }
    saves.push(performance.now() - s)
    if (res.status !== 201) throw new Error(`snapshot save: ${res.status}`)
    ids.push(meta.id)
  }
  const loads: number[] = []
  let bytes = 0
  for (const id of ids) {
    const s = performance.now()
    const res = await fetch(w.httpBase + HISTORY_API.snapshot(w.id, id), { headers: auth })
    const body = (await res.json()) as { board: string }
    const state = Buffer.from(body.board, 'base64')
    const doc = new Y.Doc()
    Y.applyUpdate(doc, state)
    const seen = boardRoot(doc).cards.size
    loads.push(performance.now() - s)
    doc.destroy()
    bytes = state.length
    if (seen < cards) throw new Error(`snapshot shows ${seen} of ${cards} cards`)
  }
  seeder.ws.terminate()
  const s = sortNum(saves)
  const l = sortNum(loads)
  return {
    saveP50: quantile(s, 0.5),
    saveP95: quantile(s, 0.95),
    loadP50: quantile(l, 0.5),
    loadP95: quantile(l, 0.95),
    snapshotKiB: bytes / 1024,
  }
}
