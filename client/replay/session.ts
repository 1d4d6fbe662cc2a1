/**
 * One meeting's replay: the board's log behind BoardTimelines (plain values by log position, so a
 * seek decodes no Yjs state), the control log behind DocReplays (small: phases, rounds, timer), and
 * the frame at a given time. Each log comes in segments (the server's outline says where they lie)
 * that are fetched and built on their own from the state before them, so a moment can be shown as
 * soon as its segments are in; the rest is built in slices the caller runs ({@link buildSome}).
 * Nothing goes over the network on a seek; a moment whose segment is not in yet is `pending`.
 * The markers come with the outline (the server read them from the control log).
 */
import * as Y from 'yjs'
import { BoardTimeline } from '../../shared/board-timeline.ts'
import { BOARD_LAYOUT } from '../../shared/schema.ts'
import {
  DocReplay,
  applyBase,
  type LogPosition,
  type Marker,
  type SnapshotInfo,
} from '../../shared/history.ts'
import type { ReplayOutline, Segment, SegmentInfo } from '../../shared/replay-segments.ts'
import { DocName } from '../../shared/protocol.ts'
import { type Lookup, SegmentedLog, type SegmentReplay } from './segments.ts'

export interface ReplayFrame {
  time: number
  board: Y.Doc
  control: Y.Doc
  /** Bumped whenever either doc moved, so views know to re-read (the doc may be the same object). */
  version: number
  /** Set when the frame is a snapshot opened by its log positions rather than a moment in time. */
  snapshot: SnapshotInfo | null
  /** The moment's segments are not in yet: the docs are the last ones shown, not this moment's. */
  pending: boolean
}

/** A segment the session still needs: which doc's log, which of its parts, where it lies. */
export interface SegmentRef {
  doc: DocName
  part: number
  info: SegmentInfo
}

/** A moment: a time, or (a snapshot's) log positions, which a time cannot tell apart. */
export interface ReplayWhere {
  time: number
  position?: LogPosition
}

export class ReplaySession {
  readonly start: number
  readonly end: number
  readonly markers: Marker[]
  private readonly board: SegmentedLog<BoardTimeline>
  private readonly control: SegmentedLog<DocReplay>
  private boardIndex: number | null = null
  private controlIndex: number | null = null
  private boardDoc: Y.Doc | null = null
  private controlDoc: Y.Doc | null = null
  private blank: Y.Doc | null = null
  private version = 0
  /** Where the last frame asked for was, so fetching goes there first. */
  private wanted: ReplayWhere | null = null

  constructor(outline: ReplayOutline) {
    this.board = new SegmentedLog(
      outline.board,
      (entries, base) => new BoardTimeline(entries, BOARD_LAYOUT, { lazy: true, base }),
    )
    this.control = new SegmentedLog(
      outline.control,
      (entries, base) => new DocReplay(entries, undefined, { lazy: true, base }),
    )
    this.markers = outline.markers.map((m) => ({ ...m }))
    const ends = [outline.board, outline.control].flatMap((parts) =>
      parts.length ? [parts[0]!.firstTime, parts[parts.length - 1]!.lastTime] : [],
    )
    this.start = ends.length ? Math.min(...ends) : 0
    this.end = ends.length ? Math.max(...ends) : 0
  }

  private log(doc: DocName): SegmentedLog<BoardTimeline> | SegmentedLog<DocReplay> {
    return doc === DocName.Board ? this.board : this.control
  }

  /** Share of both logs fetched, 0..1. */
  get loaded(): number {
    const total = this.board.total + this.control.total
    return total === 0 ? 1 : (this.board.loaded + this.control.loaded) / total
  }

  /** Share of both logs built, 0..1. */
  get progress(): number {
    const total = this.board.total + this.control.total
    return total === 0 ? 1 : (this.board.built + this.control.built) / total
  }

  get complete(): boolean {
    return this.progress === 1
  }

  add(ref: SegmentRef, segment: Segment): void {
    this.log(ref.doc).add(ref.part, segment)
  }

  /**
   * Both docs at the end of their logs, as the server sent them with the outline: the first frame
   * (the meeting's end) needs no segment (see SegmentedLog.provide).
   */
  provideEnds(board: Uint8Array | null, control: Uint8Array | null): void {
    const provide = (log: SegmentedLog<SegmentReplay>, state: Uint8Array | null) => {
      if (!state || log.total === 0) return
      const doc = new Y.Doc()
      applyBase(doc, state)
      log.provide(log.total - 1, doc)
    }
    provide(this.board, board)
    provide(this.control, control)
  }

  /** Builds up to `entries` more log entries of the segments in; false once nothing is left to build. */
  buildSome(entries: number): boolean {
    const n = this.control.buildSome(entries)
    return n + this.board.buildSome(entries - n) > 0
  }

  private lookup(doc: DocName, where: ReplayWhere): Lookup {
    const log = this.log(doc)
    if (!where.position) return log.indexAt(this.clamp(where.time))
    const { boardSeq, controlSeq } = where.position
    return log.indexOfSeq(doc === DocName.Board ? boardSeq : controlSeq)
  }

  /** The segments a moment needs that are not in yet. */
  missingAt(where: ReplayWhere): SegmentRef[] {
    return [DocName.Board, DocName.Control].flatMap((doc) => {
      const log = this.log(doc)
      const at = this.lookup(doc, where)
      const part = 'missing' in at ? at.missing : log.missingFor(at.index)
      return part === null ? [] : [{ doc, part, info: log.parts[part]!.info }]
    })
  }

  /** What to fetch next: what the last frame asked for, then the segments in log order. */
  nextMissing(): SegmentRef | null {
    const wanted = this.wanted ? this.missingAt(this.wanted) : []
    if (wanted[0]) return wanted[0]
    for (const doc of [DocName.Control, DocName.Board]) {
      const log = this.log(doc)
      const part = log.parts.findIndex((p) => !p.replay)
      if (part >= 0) return { doc, part, info: log.parts[part]!.info }
    }
    return null
  }

  frameAt(time: number): ReplayFrame {
    return this.frameWhere({ time })
  }

  /**
   * The state a snapshot recorded, found by its log positions. Its time is not enough: a restore
   * takes its snapshot and writes the restored board in the same millisecond.
   */
  frameAtSnapshot(snapshot: SnapshotInfo): ReplayFrame {
    return this.frameWhere(ReplaySession.atSnapshot(snapshot), snapshot)
  }

  static atSnapshot(snapshot: SnapshotInfo): ReplayWhere {
    const { boardSeq, controlSeq } = snapshot
    return { time: snapshot.createdAt, position: { boardSeq, controlSeq } }
  }

  private clamp(time: number): number {
    return Math.min(this.end, Math.max(this.start, time))
  }

  frameWhere(where: ReplayWhere, snapshot: SnapshotInfo | null = null): ReplayFrame {
    this.wanted = where
    const docAt = (doc: DocName) => {
      const at = this.lookup(doc, where)
      return 'missing' in at ? null : { index: at.index, doc: this.log(doc).docAtIndex(at.index) }
    }
    const board = docAt(DocName.Board)
    const control = docAt(DocName.Control)
    if (board?.doc && (board.index !== this.boardIndex || board.doc !== this.boardDoc)) {
      this.boardDoc = board.doc
      this.boardIndex = board.index
      this.version++
    }
    if (control?.doc && (control.index !== this.controlIndex || control.doc !== this.controlDoc)) {
      this.controlDoc = control.doc
      this.controlIndex = control.index
      this.version++
    }
    const blank = () => (this.blank ??= new Y.Doc())
    return {
      time: this.clamp(where.time),
      board: this.boardDoc ?? blank(),
      control: this.controlDoc ?? blank(),
      version: this.version,
      snapshot,
      pending: !board?.doc || !control?.doc,
    }
  }

  destroy(): void {
    this.board.destroy()
    this.control.destroy()
    this.blank?.destroy()
    this.boardDoc = null
    this.controlDoc = null
  }
}
