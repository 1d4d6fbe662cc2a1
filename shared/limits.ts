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
 * Liveness (half-open connections: a Wi-Fi drop, a captive portal). The server pings every socket
 * this often and cuts one that answered nothing for SERVER_DEAD_AFTER_MS, so a dead peer's presence
 * is gone within 4 + 10 = 14 s, under the 15 s promised.
 */
export const SERVER_PING_EVERY_MS = 4_000
export const SERVER_DEAD_AFTER_MS = 10_000
/**
 * The client pings (a Stip message: browsers cannot send ping frames) once nothing came in for
 * CLIENT_PING_AFTER_MS, and drops the socket when that ping got no answer (nor anything else) by
 * CLIENT_DEAD_AFTER_MS. Checked every CLIENT_HEARTBEAT_TICK_MS, so each step may start one tick
 * late: "offline" shows at most 4 + 2 x 0.25 = 4.5 s after the link went silent, under 5 s.
 */
export const CLIENT_PING_AFTER_MS = 2_000
export const CLIENT_DEAD_AFTER_MS = 4_000
export const CLIENT_HEARTBEAT_TICK_MS = 250
