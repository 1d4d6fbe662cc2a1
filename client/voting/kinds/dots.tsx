/** Dot voting in the client: the dots form, and the results as bars. */
import { DotsBallot } from '../DotsBallot.tsx'
import { ResultsChart } from '../ResultsChart.tsx'
import type { ClientVoteKind } from './kind.ts'
import { dotsSettings } from './dotsSettings.tsx'

export const dotsClient: ClientVoteKind<'dots'> = {
  settings: dotsSettings,
  heading: 'vote.headingDots',
  Form: ({ round, titles, ballot, onChange }) => (
    <DotsBallot
      round={round}
      titles={titles}
      dots={ballot.dots}
      onChange={(dots) => onChange({ ...ballot, dots })}
    />
  ),
  // the limits are the form's to keep; any dots spread make a ballot to send
  missing: () => [],
  request: (ballot) => ({ dots: ballot.dots }),
  Result: (p) => <ResultsChart {...p} />,
}
