/**
 * Thrown where the server cannot promise that a state is on disk because its commits are failing
 * (a full disk, an I/O error). REST answers it with 503 STORAGE_FAILED and a retry, never 500.
 */
export class StorageFailingError extends Error {
  constructor(what: string) {
    super(`storage is failing; ${what}`)
    this.name = 'StorageFailingError'
  }
}

/**
 * COMMIT was sent and its answer never came (the connection broke): the transaction may or may
 * not be in the database. The store settles it by reading the log back before it answers.
 */
export class CommitOutcomeUnknown extends Error {
  constructor(cause: unknown) {
    super('the connection to PostgreSQL broke during COMMIT', { cause })
    this.name = 'CommitOutcomeUnknown'
  }
}

/**
 * PostgreSQL SQLSTATE classes that mean the database, not the request: 08 connection exception,
 * 53 insufficient resources (53100 disk full), 57P admin / crash shutdown and cannot connect now,
 * 58 system error (I/O).
 */
const POSTGRES_STORAGE_STATES = /^(08|53|57P|58)/
/** Socket errors of a connection to the database (node's `code`). */
const SOCKET_CODES = /^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND)$/

/** A PostgreSQL or connection failure: the database is unreachable or failing, not the request. */
export function isDatabaseFailure(err: unknown): boolean {
  if (err instanceof CommitOutcomeUnknown) return true
  if (!(err instanceof Error)) return false
  const code = (err as { code?: unknown }).code
  if (typeof code === 'string') return POSTGRES_STORAGE_STATES.test(code) || SOCKET_CODES.test(code)
  // pg reports a dropped connection without a code
  return /Connection terminated|connection (is )?closed|Client has encountered a connection error/i.test(
    err.message,
  )
}

/**
 * The workshop was deleted (or is being deleted) while a room of it was loading or wanted: the
 * relay closes the socket with 4410 and REST answers 404, as for a workshop that never existed.
 */
export class WorkshopGoneError extends Error {
  constructor(workshopId: string) {
    super(`workshop ${workshopId} was deleted`)
    this.name = 'WorkshopGoneError'
  }
}

/** The server is shutting down: no room loads any more; sockets get 1012 and reconnect elsewhere. */
export class ServerStoppingError extends Error {
  constructor() {
    super('the server is stopping')
    this.name = 'ServerStoppingError'
  }
}

/** A write by an instance that does not (or no longer) own the workshop (several instances). */
export class NotOwnerError extends Error {
  constructor(workshopId: string, held: number | null, current: number | null) {
    super(
      `not the owner of workshop ${workshopId} (holding epoch ${held ?? 'none'}, current ${current ?? 'none'})`,
    )
    this.name = 'NotOwnerError'
  }
}
