/**
 * CPU priority of the calling thread. On Linux each thread is scheduled on its own and has its own
 * nice value, so a worker thread can yield the cores to the relay's event loop whenever both want
 * them, without slowing the heavy job when the cores are free.
 */
import fs from 'node:fs'
import os from 'node:os'

/** The thread's kernel id, from /proc/thread-self (Linux only; null elsewhere). */
function threadId(): number | null {
  try {
    const id = Number(fs.readlinkSync('/proc/thread-self').split('/').pop())
    return Number.isInteger(id) && id > 0 ? id : null
  } catch {
    return null
  }
}

/**
 * Raises the calling thread's nice value to `nice` (lower priority). Returns the nice value now in
 * force, or null where threads cannot be told apart (not Linux); the thread then runs as before.
 */
export function lowerThreadPriority(nice: number): number | null {
  const id = threadId()
  if (id === null) return null
  try {
    if (os.getPriority(id) < nice) os.setPriority(id, nice)
    return os.getPriority(id)
  } catch {
    return null
  }
}

/** The calling thread's nice value (tests), or null where unknown. */
export function threadPriority(): number | null {
  const id = threadId()
  return id === null ? null : os.getPriority(id)
}
