/**
 * Snapshots: named points of a workshop (manual, on phase change, every few minutes of activity,
 * before a restore), each the committed state of both docs plus their log positions.
 */
import * as Y from 'yjs'
import { ObservableV2 } from 'lib0/observable'
import { DocName } from '../../shared/protocol.ts'
import { markRestored, readPhaseId, readPhases } from '../../shared/control.ts'
import { restoreBoard } from '../../shared/restore.ts'
import { mirrorSettings } from '../settings-mirror.ts'
import type { Clock, Logger } from '../deps.ts'
import { newId, type Random } from '../identity.ts'
import type { RoomRegistry } from '../relay/rooms.ts'
import { SnapshotKind, type SnapshotMeta } from '../store/store.ts'
import type { AsyncStore } from '../store/async-store.ts'

/** An automatic snapshot at most this often, taken on the first commit after the interval. */
export const AUTO_SNAPSHOT_EVERY_MS = 5 * 60_000

export interface SnapshotDeps {
  store: AsyncStore
  rooms: RoomRegistry
  clock: Clock
  random: Random
  log: Logger
  autoEveryMs?: number
}

export class Snapshots extends ObservableV2<{ taken: (meta: SnapshotMeta) => void }> {
  private readonly lastAuto = new Map<string, number>()
  private readonly lastPhase = new Map<string, string | null>()

  constructor(private readonly deps: SnapshotDeps) {
    super()
    deps.rooms.on('commit', (room) => {
      if (room.name !== DocName.Board) return
      const now = deps.clock.now()
      const last = this.lastAuto.get(room.workshopId)
      if (last === undefined) {
        this.lastAuto.set(room.workshopId, now)
        return
      }
      if (now - last < (deps.autoEveryMs ?? AUTO_SNAPSHOT_EVERY_MS)) return
      this.lastAuto.set(room.workshopId, now)
      // outside the commit callback: taking a snapshot commits rooms itself
      setImmediate(() => void this.tryTake(room.workshopId, SnapshotKind.Auto, ''))
    })
    // a control room loads with what the log holds: the phase any change is compared with
    deps.rooms.on('loaded', (room) => {
      if (room.name === DocName.Control && !this.lastPhase.has(room.workshopId))
        this.lastPhase.set(room.workshopId, readPhaseId(room.doc))
    })
    deps.rooms.on('control', (workshopId, doc) => {
      const phase = readPhaseId(doc)
      const before = this.lastPhase.get(workshopId) ?? null
      this.lastPhase.set(workshopId, phase)
      if (phase === null || before === phase) return
      const label = readPhases(doc).find((p) => p.id === phase)?.name ?? phase
      setImmediate(() => void this.tryTake(workshopId, SnapshotKind.Phase, label))
    })
  }

  private async tryTake(workshopId: string, kind: SnapshotKind, label: string): Promise<void> {
    try {
      if (await this.deps.store.workshop(workshopId)) await this.take(workshopId, kind, label)
    } catch (err) {
      this.deps.log.warn('snapshot.failed', {
        workshop: workshopId,
        kind,
        message: (err as Error).message,
      })
    }
  }

  /** Commits both docs and records their state. Throws while storage is failing. */
  async take(workshopId: string, kind: SnapshotKind, label: string): Promise<SnapshotMeta> {
    const [board, control] = await Promise.all([
      this.deps.rooms.committedState(workshopId, DocName.Board),
      this.deps.rooms.committedState(workshopId, DocName.Control),
    ])
    const row = {
      id: newId(this.deps.random),
      workshopId,
      label,
      kind,
      createdAt: this.deps.clock.now(),
      boardSeq: board.seq,
      controlSeq: control.seq,
      board: board.state,
      control: control.state,
    }
    await this.deps.store.putSnapshot(row)
    this.deps.log.info('snapshot.taken', { workshop: workshopId, kind })
    const { board: _b, control: _c, ...meta } = row
    this.emit('taken', [meta])
    return meta
  }

  /** Brings the board back to a snapshot by new edits; a 'restore' snapshot marks the moment. */
  async restore(workshopId: string, snapshotId: string): Promise<boolean> {
    const snap = await this.deps.store.snapshot(workshopId, snapshotId)
    if (!snap) return false
    await this.take(workshopId, SnapshotKind.Restore, snap.label || snap.id)
    const row = await this.deps.store.workshop(workshopId)
    const source = new Y.Doc()
    try {
      Y.applyUpdate(source, snap.board)
      await this.deps.rooms.write(workshopId, DocName.Board, (doc) => {
        restoreBoard(doc, source)
        // the snapshot's meta is older than the row, which owns the settings: mirror the row again
        if (row) mirrorSettings(doc, row)
      })
    } finally {
      source.destroy()
    }
    // every screen says the board went back (participants with every panel closed too)
    const at = this.deps.clock.now()
    await this.deps.rooms.write(workshopId, DocName.Control, (doc) =>
      markRestored(doc, at, snap.label || snap.id),
    )
    return true
  }
}
