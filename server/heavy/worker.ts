/**
 * The heavy-job worker thread: its own read-only connection to the store's file, one job at a
 * time, each answer posted back with its body moved, not copied.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { z } from 'zod'
import { openSqliteReader } from '../store/sqlite-read.ts'
import { lowerThreadPriority } from '../thread-priority.ts'
import { runJob } from './jobs.ts'
import { JobRequest, type JobReply, WorkerData } from './messages.ts'

const port = parentPort
if (!port) throw new Error('server/heavy/worker.ts runs as a worker thread only')
/**
 * Nice 10 weighs about a tenth of the relay's thread (nice 0) when both want a core, so a report
 * storm on a busy machine delays the reports, not the sockets' acks.
 */
const HEAVY_THREAD_NICE = 10
lowerThreadPriority(HEAVY_THREAD_NICE)
const reader = openSqliteReader(WorkerData.parse(workerData).file)

const ownsBuffer = (u: Uint8Array) => u.byteOffset === 0 && u.byteLength === u.buffer.byteLength

port.on('message', async (message: unknown) => {
  const request = JobRequest.safeParse(message)
  if (!request.success) {
    const id = z.object({ id: z.number().int() }).safeParse(message)
    port.postMessage({
      id: id.success ? id.data.id : -1,
      failed: 'malformed job request',
    } satisfies JobReply)
    return
  }
  const { id, job } = request.data
  try {
    const outcome = await runJob(reader, job)
    const move = outcome.ok && ownsBuffer(outcome.body) ? [outcome.body.buffer as ArrayBuffer] : []
    port.postMessage({ id, outcome } satisfies JobReply, move)
  } catch (err) {
    port.postMessage({
      id,
      failed: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
    } satisfies JobReply)
  }
})
