/**
 * The participant's own ballot, kept on this device per round, so a reload shows what was cast
 * (the server never tells anyone a ballot back). Cleared with the rest of the site's storage.
 */
import { z } from 'zod/mini'

const Draft = z.object({
  dots: z.record(z.string(), z.int().check(z.nonnegative())),
  scores: z.record(z.string(), z.record(z.string(), z.int())),
  /** Score rounds: tasks skipped on purpose (a draft from before skipping has none). */
  skip: z._default(z.array(z.string()), []),
  saved: z.boolean(),
})
export type BallotDraft = z.infer<typeof Draft>

const EMPTY: BallotDraft = { dots: {}, scores: {}, skip: [], saved: false }
const key = (workshopId: string, roundId: string) => `stip:ballot:${workshopId}:${roundId}`

export function loadDraft(workshopId: string, roundId: string): BallotDraft {
  try {
    const raw = localStorage.getItem(key(workshopId, roundId))
    const parsed = raw ? Draft.safeParse(JSON.parse(raw)) : null
    return parsed?.success ? parsed.data : EMPTY
  } catch {
    return EMPTY
  }
}

export function saveDraft(workshopId: string, roundId: string, draft: BallotDraft): void {
  try {
    localStorage.setItem(key(workshopId, roundId), JSON.stringify(draft))
  } catch {
    // storage full or disabled: the draft lasts for this page only
  }
}
