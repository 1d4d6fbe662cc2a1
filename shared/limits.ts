/** Limits with units and the reason for each value. Server enforces; client only mirrors. */

/** Largest single WebSocket message: a pasted card with images stays far below this. */
export const MAX_MESSAGE_BYTES = 2 * 1024 * 1024
/** A socket that has not sent a valid Hello by then is closed: it holds a slot for nothing. */
export const AUTH_DEADLINE_MS = 10_000
/** Unsent bytes we hold for one socket before it counts as a slow consumer and is cut off. */
export const MAX_BUFFERED_BYTES = 8 * 1024 * 1024
/** Awareness state per connection; a cursor + name + colour is ~200 bytes. */
export const MAX_AWARENESS_BYTES = 8 * 1024
/** Awareness updates per second per connection: cursors at ~20 Hz fit, floods are dropped. */
export const MAX_AWARENESS_PER_SECOND = 40
/** Checkpoint after this many logged updates so load and seek replay at most this many. */
export const CHECKPOINT_EVERY_UPDATES = 500
/** ... or after this much time with at least one update since the last checkpoint. */
export const CHECKPOINT_EVERY_MS = 60_000
/** Retry a failed commit (disk full, locked) after this delay; updates stay queued meanwhile. */
export const STORAGE_RETRY_MS = 1_000
/** Rich-text and name bounds enforced by the REST schemas. */
export const MAX_NAME_CHARS = 60
export const MAX_TITLE_CHARS = 120
export const MAX_JSON_BODY_BYTES = 64 * 1024
/** Drag writes positions at most this often (~20 Hz) so peers are not flooded. */
export const DRAG_WRITE_INTERVAL_MS = 50
/** A participant token is 128 random bits. */
export const TOKEN_BYTES = 16
/**
 * Heavy organiser routes (report, compare, export, history) in flight per workshop, queued or
 * running. One organiser needs one or two at a time; more is a script, and each job holds a worker
 * for up to seconds on a large board, so a third is refused (429) instead of queued.
 */
export const HEAVY_JOBS_PER_WORKSHOP = 2
/** Heavy jobs waiting for a worker, all workshops together: beyond this the server is too busy (429). */
export const HEAVY_QUEUE_MAX = 16
/** Retry-After on a refused heavy job: a report of a 10,000-card board takes about 2 s in the worker. */
export const HEAVY_RETRY_AFTER_S = 2
/**
 * A heavy job running longer than this is stuck (a 10,000-card export takes about 3 s): its worker
 * is stopped and replaced so it cannot hold the pool, and the request answers 503.
 */
export const HEAVY_JOB_DEADLINE_MS = 60_000
