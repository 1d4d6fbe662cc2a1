/** What the main thread and a heavy-job worker say to each other; both sides parse it. */
import { z } from 'zod'
import { HeavyJob, JobOutcome } from './jobs.ts'

export const WorkerData = z.object({ file: z.string().min(1) })
export type WorkerData = z.infer<typeof WorkerData>
export const JobRequest = z.object({ id: z.number().int(), job: HeavyJob })
export type JobRequest = z.infer<typeof JobRequest>
/** The job's outcome, or why it failed (an exception in the worker: the route answers 500). */
export const JobReply = z.union([
  z.object({ id: z.number().int(), outcome: JobOutcome }),
  z.object({ id: z.number().int(), failed: z.string() }),
])
export type JobReply = z.infer<typeof JobReply>
