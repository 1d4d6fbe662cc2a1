/** Scoring in the client: the score form with skipping, and the results as the matrix. */
import { unscoredTasks } from '../../../shared/vote-kinds/scores.ts'
import { ResultsMatrix } from '../ResultsMatrix.tsx'
import { ScoresBallot } from '../ScoresBallot.tsx'
import type { BallotState, ClientVoteKind } from './kind.ts'
import { scoresSettings } from './scoresSettings.tsx'

/** Scores of skipped tasks stay in the draft (unskipping brings them back) but are not sent. */
function withoutSkipped(ballot: BallotState) {
  const skipped = new Set(ballot.skip)
  return Object.fromEntries(
    Object.entries(ballot.scores).filter(([taskId]) => !skipped.has(taskId)),
  )
}

export const scoresClient: ClientVoteKind<'scores'> = {
  settings: scoresSettings,
  heading: 'vote.headingScores',
  Form: ({ round, titles, ballot, missing, onChange }) => (
    <ScoresBallot
      round={round}
      titles={titles}
      scores={ballot.scores}
      skipped={new Set(ballot.skip)}
      missing={missing}
      onChange={(scores) => onChange({ ...ballot, scores })}
      onSkip={(taskId, on) => {
        const others = ballot.skip.filter((id) => id !== taskId)
        onChange({ ...ballot, skip: on ? [...others, taskId] : others })
      }}
    />
  ),
  missing: (round, ballot) =>
    unscoredTasks(round, (task, c) => ballot.scores[task]?.[c] !== undefined, new Set(ballot.skip)),
  request: (ballot) => ({
    scores: withoutSkipped(ballot),
    ...(ballot.skip.length && { skip: ballot.skip }),
  }),
  Result: ({ round, tally, titles }) => (
    <ResultsMatrix round={round} tally={tally} titles={titles} />
  ),
}
