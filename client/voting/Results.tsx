/** The newest revealed round's results: bars for dots, the matrix for scores. */
import type { Round, Tally } from '../../shared/control.ts'
import type { Table } from '../../shared/schema.ts'
import { ResultsChart } from './ResultsChart.tsx'
import { ResultsMatrix } from './ResultsMatrix.tsx'

interface Props {
  revealed: { round: Round; tally: Tally }
  titles: ReadonlyMap<string, string>
  tables: Table[]
}

export function Results({ revealed, titles, tables }: Props) {
  const { round, tally } = revealed
  return round.kind === 'dots' ? (
    <ResultsChart round={round} tally={tally} titles={titles} tables={tables} />
  ) : (
    <ResultsMatrix round={round} tally={tally} titles={titles} />
  )
}
