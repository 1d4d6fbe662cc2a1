/**
 * Persistence boundary, as the embedded SQLite store implements it (synchronously, in whichever
 * thread opened it). The relay and the routes see it through AsyncStore (async-store.ts): on its
 * own thread (sqlite-worker.ts), wrapped in-thread (asAsyncStore) or on PostgreSQL.
 */
import * as Y from 'yjs'
import type { DocName } from '../../shared/protocol.ts'
import type { Anonymity, CardEditScope } from '../../shared/schema.ts'

export interface WorkshopRow {
  id: string
  joinCode: string
  facilitatorKeyHash: string
  title: string
  language: 'nl' | 'en'
  anonymity: Anonymity
  /** Who may change cards (shared/permissions.ts); the write guard reads it from here. */
  cardScope: CardEditScope
  /** Statement and principles open to participants (closed: facilitator-only). */
  sharedTextOpen: boolean
  /** In the anonymous modes a table's own tally needs this many voters (shared/tally-privacy.ts). */
  minTableVoters: number
  createdAt: number
}

/** The settings a workshop row owns; absent fields stay as they are. */
export type WorkshopSettingsPatch = Partial<
  Pick<
    WorkshopRow,
    'title' | 'language' | 'anonymity' | 'cardScope' | 'sharedTextOpen' | 'minTableVoters'
  >
>

export interface ParticipantRow {
  id: string
  workshopId: string
  tokenHash: string
  name: string
  tableId: string
  createdAt: number
}

/**
 * A co-facilitator link (issue #11 point 2): a second secret for the same workshop, kept as a hash
 * with its own row so the facilitator can revoke it without changing their own key. A revoked row
 * stays, so the server can tell a revoked link (403) from an unknown one (401).
 */
export interface CoFacilitatorRow {
  id: string
  workshopId: string
  keyHash: string
  label: string
  createdAt: number
  revokedAt: number | null
}

export interface LoggedUpdate {
  workshopId: string
  doc: DocName
  time: number
  /** null for the server's own writes (template, restore) and facilitators'. */
  participantId: string | null
  data: Uint8Array
}

/**
 * Owner of the client ids facilitators and the server write under. Never a participant id
 * (ids match ID_PATTERN, which has no '~').
 */
export const STAFF = '~staff'
export const ownerOf = (participantId: string | null): string => participantId ?? STAFF

export interface StoredDoc {
  checkpoint: Uint8Array | null
  checkpointSeq: number
  /** Updates after the checkpoint, in log order. */
  updates: Uint8Array[]
  lastSeq: number
}

export interface BallotRow {
  workshopId: string
  roundId: string
  participantId: string
  tableId: string
  /** JSON of the checked ballot. */
  ballot: string
  castAt: number
}

export const SnapshotKind = {
  Manual: 'manual',
  Phase: 'phase',
  Auto: 'auto',
  Restore: 'restore',
} as const
export type SnapshotKind = (typeof SnapshotKind)[keyof typeof SnapshotKind]

export interface SnapshotMeta {
  id: string
  workshopId: string
  label: string
  kind: SnapshotKind
  createdAt: number
  /** Log positions the states correspond to. */
  boardSeq: number
  controlSeq: number
}

export interface SnapshotRow extends SnapshotMeta {
  board: Uint8Array
  control: Uint8Array
}

export interface LogEntry {
  seq: number
  time: number
  data: Uint8Array
}

export interface Store {
  putSnapshot(row: SnapshotRow): void
  snapshots(workshopId: string): SnapshotMeta[]
  snapshot(workshopId: string, id: string): SnapshotRow | null
  /** The whole update log of one doc, in order (replay). */
  log(workshopId: string, doc: DocName): LogEntry[]
  /** Workshops created before the given time (retention sweep). */
  workshopsCreatedBefore(time: number): string[]
  participants(workshopId: string): ParticipantRow[]
  /** Inserts or replaces the participant's ballot in the round; returns the number of voters. */
  putBallot(row: BallotRow): number
  ballots(workshopId: string, roundId: string): BallotRow[]
  /** Drops a deleted round's ballots. */
  deleteBallots(workshopId: string, roundId: string): void
  /**
   * Inserts the row and the first log entries of its docs (as {@link appendUpdates} would), in one
   * transaction: a failure anywhere leaves no trace of the workshop.
   */
  createWorkshop(row: WorkshopRow, firstUpdates?: LoggedUpdate[]): void
  workshop(id: string): WorkshopRow | null
  workshopByCode(joinCode: string): WorkshopRow | null
  /** Changes the settings the row owns; returns the updated row, null if there is none. */
  updateWorkshopSettings(id: string, settings: WorkshopSettingsPatch): WorkshopRow | null
  addCoFacilitator(row: CoFacilitatorRow): void
  /** The row whose key hashes to `keyHash`, revoked or not. */
  coFacilitatorByKey(workshopId: string, keyHash: string): CoFacilitatorRow | null
  /** Every co-facilitator link of the workshop, oldest first, revoked ones included. */
  coFacilitators(workshopId: string): CoFacilitatorRow[]
  /** Marks the link revoked; false when there is no such live link. */
  revokeCoFacilitator(workshopId: string, id: string, time: number): boolean
  addParticipant(row: ParticipantRow): void
  participantByToken(workshopId: string, tokenHash: string): ParticipantRow | null
  participantCountByTable(workshopId: string): Map<string, number>
  /**
   * Appends in one transaction; returns the last seq per (workshop, doc). Throws on failure.
   * Each Yjs client id an update is the first to write under becomes its writer's
   * ({@link ownerOf} its participantId), in the same transaction.
   */
  appendUpdates(batch: LoggedUpdate[]): Map<string, number>
  loadDoc(workshopId: string, doc: DocName): StoredDoc
  /** Who owns each Yjs client id written in this doc (participant id or {@link STAFF}). */
  clientOwners(workshopId: string, doc: DocName): Map<number, string>
  /** Bytes of the workshop's update log, both docs (the storage quota counts these). */
  logBytes(workshopId: string): number
  writeCheckpoint(
    workshopId: string,
    doc: DocName,
    seq: number,
    time: number,
    state: Uint8Array,
  ): void
  deleteWorkshop(id: string): void
  /** Rows per table for a workshop; deletion tests read this to prove nothing is left. */
  rowsForWorkshop(id: string): Record<string, number>
  /** The database file, which other threads may open read-only; null for an in-memory store. */
  readonly file: string | null
  close(): void
}

/**
 * Applies a stored checkpoint and the updates after it, as one transaction. Returns whether the
 * checkpoint held pending content, which is dropped before the log is applied: a checkpoint
 * written before the write path judged deletions may carry a pending delete set, which would
 * erase the logged edits under those clocks. (Logged updates are what Yjs integrated, so they
 * never leave anything pending.)
 */
export function applyStored(doc: Y.Doc, stored: StoredDoc, origin: unknown): boolean {
  let dropped = false
  doc.transact(() => {
    if (stored.checkpoint) Y.applyUpdate(doc, stored.checkpoint, origin)
    dropped = doc.store.pendingDs !== null || doc.store.pendingStructs !== null
    doc.store.pendingDs = null
    doc.store.pendingStructs = null
    for (const u of stored.updates) Y.applyUpdate(doc, u, origin)
  }, origin)
  return dropped
}

export const logKey = (workshopId: string, doc: DocName) => `${workshopId}/${doc}`
