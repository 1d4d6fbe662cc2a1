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
