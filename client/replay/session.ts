/**
 * One meeting's replay: the board's log behind a BoardTimeline (plain values by log position, so a
 * seek decodes no Yjs state), the control log behind DocReplay (small: phases, rounds, timer), and
 * the frame at a given time. Nothing goes over the network on a seek. Both logs are replayed once,
 * in slices the caller runs ({@link ReplaySession.buildSome}) so the screen can show progress; the
 * markers are read in the same pass over the control log.
 */
import type * as Y from 'yjs'
import { BoardTimeline } from '../../shared/board-timeline.ts'
import { BOARD_LAYOUT } from '../../shared/schema.ts'
import {
  DocReplay,
  type History,
  type LogPosition,
  type Marker,
  type SnapshotInfo,
  watchMarkers,
} from '../../shared/history.ts'

export interface ReplayFrame {
  time: number
  board: Y.Doc
  control: Y.Doc
  /** Bumped whenever either doc moved, so views know to re-read (the doc may be the same object). */
  version: number
  /** Set when the frame is a snapshot opened by its log positions rather than a moment in time. */
  snapshot: SnapshotInfo | null
}

export class ReplaySession {
  readonly start: number
  readonly end: number
  /** Complete once the control log is built (see {@link buildSome}). */
  readonly markers: Marker[] = []
  private readonly board: BoardTimeline
  private readonly control: DocReplay
  private boardIndex: number | null = null
  private controlIndex: number | null = null
  private boardDoc: Y.Doc | null = null
  private controlDoc: Y.Doc | null = null
  private version = 0

  /** lazy: nothing is built yet; call {@link buildSome} until it says done (seeks work meanwhile, slowly). */
  constructor(history: History, opts: { lazy?: boolean } = {}) {
    const lazy = opts.lazy ?? false
    this.board = new BoardTimeline(history.board, BOARD_LAYOUT, { lazy })
    this.control = new DocReplay(history.control, undefined, {
      lazy,
      watch: watchMarkers(this.markers),
    })
    // each log is in commit order, so its ends are its extremes (no spread: logs can be huge)
    const ends = [history.board, history.control].flatMap((log) =>
      log.length ? [log[0]!.time, log[log.length - 1]!.time] : [],
    )
    this.start = ends.length ? Math.min(...ends) : 0
    this.end = ends.length ? Math.max(...ends) : 0
  }

  /** Share of both logs built, 0..1. */
  get progress(): number {
    const total = this.board.entries.length + this.control.entries.length
    return total === 0 ? 1 : (this.board.built + this.control.built) / total
  }

  /** Builds up to `entries` more log entries (control log first: it holds the markers); true when all are. */
  buildSome(entries: number): boolean {
    const c = this.control
    const fromControl = Math.min(entries, c.entries.length - c.built)
    c.buildTo(c.built + fromControl)
    const b = this.board
    b.buildTo(b.built + entries - fromControl)
    return b.built === b.entries.length && c.built === c.entries.length
  }

  frameAt(time: number): ReplayFrame {
    const t = this.clamp(time)
    return this.frame(t, this.board.indexAt(t), this.control.indexAt(t), null)
  }

  /**
   * The state a snapshot recorded, found by its log positions. Its time is not enough: a restore
   * takes its snapshot and writes the restored board in the same millisecond.
   */
  frameAtSnapshot(snapshot: SnapshotInfo): ReplayFrame {
    return this.frameAtPosition(snapshot.createdAt, snapshot, snapshot)
  }

  frameAtPosition(
    time: number,
    at: LogPosition,
    snapshot: SnapshotInfo | null = null,
  ): ReplayFrame {
    return this.frame(
      this.clamp(time),
      this.board.indexOfSeq(at.boardSeq),
      this.control.indexOfSeq(at.controlSeq),
      snapshot,
    )
  }

  private clamp(time: number): number {
    return Math.min(this.end, Math.max(this.start, time))
  }

  private frame(time: number, bi: number, ci: number, snapshot: SnapshotInfo | null): ReplayFrame {
    if (bi !== this.boardIndex || !this.boardDoc) {
      this.boardDoc = this.board.docAtIndex(bi)
      this.boardIndex = bi
      this.version++
    }
    if (ci !== this.controlIndex || !this.controlDoc) {
      this.controlDoc = this.control.docAtIndex(ci)
      this.controlIndex = ci
      this.version++
    }
    return { time, board: this.boardDoc, control: this.controlDoc, version: this.version, snapshot }
  }

  destroy(): void {
    this.board.destroy()
    this.control.destroy()
    this.boardDoc = null
    this.controlDoc = null
  }
}
