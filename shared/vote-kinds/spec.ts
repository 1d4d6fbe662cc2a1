/** What every vote kind must say about itself on both sides: see shared/vote-kinds/index.ts. */
import type { z } from 'zod/mini'
import type { ReportLang } from '../report-strings.ts'
import type { NamedCriterion, Tallied } from './kind.ts'

export interface SharedVoteKind<Config extends z.ZodMiniObject, Request extends z.ZodMiniObject> {
  /** The round's own settings, stored on the round beside the common fields. */
  config: Config
  /** What a facilitator may send to open such a round, with today's defaults. */
  request: Request
  /** The criteria a round of this kind scores on (none for a kind without them). */
  criteria(config: z.output<Config>): readonly NamedCriterion[]
  /** What ranks a task: higher is better; null when there is nothing to rank it by. */
  standing(t: Tallied): number | null
  /** One task's result in the report's words ("3 stippen", "Energie 4, Impact 2,5"). */
  resultText(
    lang: ReportLang,
    criteria: readonly NamedCriterion[],
    v: Tallied,
    esc: (s: string) => string,
  ): string
}
