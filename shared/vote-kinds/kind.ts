/**
 * The kinds of voting round. Each registry (shared/vote-kinds/index.ts, server/voting/kinds/,
 * client/voting/kinds/) is a mapped type over {@link VoteKind}, so a kind added here fails to
 * compile until each of them has its module. A leaf: the report's wording imports it too.
 */

export const VoteKind = { Dots: 'dots', Scores: 'scores' } as const
export type VoteKind = (typeof VoteKind)[keyof typeof VoteKind]

/** A task's result as the kinds read it: a live tally's task and a report's result both fit. */
export interface Tallied {
  dots: number
  /** Mean score per criterion id, null when nobody scored it. */
  scores: Readonly<Record<string, number | null>>
}

/** A criterion as a report names it (the report translates default labels). */
export interface NamedCriterion {
  id: string
  label: string
}
