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
