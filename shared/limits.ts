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
/**
 * A busy room starts a commit at most this often: peers get edits before their commit, so
 * commits only bound the durable ack, and fewer, larger ones cost the server less (each is one
 * transaction and one fsync). A room that was quiet for this long commits at once.
 */
export const COMMIT_SPACING_MS = 10
/**
 * A room broadcasts presence (pointers, who edits what) at most this often, with every change
 * since the last time in one frame; a quiet room's first change goes at once. 30 Hz is above the
 * drag write rate, so a moving pointer loses no position, and a projector watching 30 people
 * drag gets 30 presence frames a second instead of one per server turn.
 */
export const AWARENESS_SPACING_MS = 33
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
 * Yjs client ids one writer may take in one doc: a browser makes a new one per page load, so
 * this is hundreds of reloads; it bounds the ownership table a single token can grow.
 */
export const MAX_CLIENT_IDS_PER_WRITER = 1_000
/**
 * An update that builds on content the server has not received waits this long for it (the
 * stock provider sends live edits before its sync step 2 after a reconnect), then is refused.
 */
export const HELD_UPDATE_DEADLINE_MS = 10_000
/** Bytes of such waiting updates one socket may have; past it the oldest wait ends in a refusal. */
export const MAX_HELD_BYTES = 1024 * 1024
/**
 * Full-state sync requests (sync step 1) per socket: the stock provider sends one per connection,
 * so a small burst and one per 10 s after it cut a re-request loop that would make the server
 * send the whole board over and over.
 */
export const SYNC_REQUEST_BURST = 4
export const SYNC_REQUESTS_PER_SECOND = 0.1
/**
 * Update-log bytes one workshop may hold. The bench's 3-hour meeting of 30 people logs 1.5 MB;
 * the default leaves room for a hundred such meetings, and stops one workshop from filling the
 * disk for all the others. Env WORKSHOP_QUOTA_MB.
 */
export const WORKSHOP_QUOTA_BYTES = 256 * 1024 * 1024

/**
 * Join-code attempts (lookup, link, QR, join, viewer hello) are token buckets: `burst` at once,
 * refilled at `perSecond`. A NAT'd room of 60 sharing one address joins at once (lookup + join
 * each); a guesser is held to the sustained rate.
 */
export const JOIN_LIMIT_PER_ADDRESS = { burst: 120, perSecond: 2 }
/** Over all addresses: a 300-person event joins within a minute or two. */
export const JOIN_LIMIT_OVERALL = { burst: 600, perSecond: 20 }
/**
 * Tokens a wrong code costs (a right one costs 1): a guesser is wrong nearly always, so the
 * overall limit lets at most 20 / 5 = 4 wrong codes per second through. See JOIN_CODE_LENGTH.
 */
export const JOIN_FAILURE_COST = 5
/** Workshop creation (and follow-ups): a few per minute per address, one per second overall. */
export const CREATE_LIMIT_PER_ADDRESS = { burst: 60, perSecond: 1 / 60 }
export const CREATE_LIMIT_OVERALL = { burst: 300, perSecond: 1 }
/** Addresses a limiter remembers; the least recently seen is forgotten first (~100 bytes each). */
export const RATE_LIMIT_MAX_ADDRESSES = 10_000
/** Retry-After sent while storage fails: the room retries a commit every STORAGE_RETRY_MS. */
export const STORAGE_RETRY_AFTER_S = 5
/** Longest request target the server reads; longer ones are refused (400), never looked up. */
export const MAX_URL_CHARS = 1024
/** An organiser key (CREATE_KEY) shorter than this is refused at start: it could be guessed. */
export const MIN_CREATE_KEY_CHARS = 16
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
/**
 * Characters of text on one card. A card is one thought at a table: the seeds' longest point is
 * about 100 characters, so this leaves room for a short paragraph with reasons; the layout shows
 * a card up to CARD_MAX_H (shared/layout.ts) and the rest behind "more". Enforced in the editor.
 */
export const MAX_CARD_TEXT_CHARS = 1_000
