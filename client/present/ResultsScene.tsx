/**
 * Results scene, full screen: the round the facilitator shows (else the newest revealed). Dots as
 * ranked bars, in total or one column per table as the facilitator toggled it; scores as the
 * energie × impact matrix. Tallies are the published ones, already pooled for privacy by the
 * server (shared/tally-privacy.ts): a small table shows only inside "other tables".
 */
import type { Round, Tally, TaskTally } from '../../shared/control.ts'
import { rankedTaskIds } from '../../shared/control-actions.ts'
import type { Table } from '../../shared/schema.ts'
import { OTHER_TABLES } from '../../shared/tally-privacy.ts'
import { useI18n } from '../i18n/index.ts'
import type { ControlState } from '../model/useControl.ts'
import { roundName } from '../voting/roundName.ts'
import { PresentMatrix } from './PresentMatrix.tsx'

interface Props {
  control: ControlState
  titles: ReadonlyMap<string, string>
  tables: Table[]
  perTable: boolean
}

export function ResultsScene({ control, titles, tables, perTable }: Props) {
  const { t } = useI18n()
  const shown =
    control.revealedRounds.find((r) => r.round.id === control.shownRoundId) ?? control.revealed
  if (!shown)
    return (
      <section className="scene scene-results" data-testid="scene-results">
        <p className="scene-empty">{t('present.noResults')}</p>
      </section>
    )
  const { round, tally } = shown
  return (
    <section
      className="scene scene-results"
      data-testid="scene-results"
      data-round-id={round.id}
      data-per-table={perTable}
    >
      <div className="scene-heading-row">
        <h3 className="scene-heading" data-testid="results-heading">
          {t('vote.resultsHeading', { title: roundName(t, round, shown.number) })}
        </h3>
        <p className="scene-sub">{t('vote.voters', { count: tally.voters })}</p>
      </div>
      {round.kind === 'dots' ? (
        <DotResults
          round={round}
          tally={tally}
          titles={titles}
          tables={tables}
          perTable={perTable}
        />
      ) : (
        <PresentMatrix round={round} tally={tally} titles={titles} />
      )}
    </section>
  )
}

function DotResults({
  round,
  tally,
  titles,
  tables,
  perTable,
}: {
  round: Round
  tally: Tally
  titles: ReadonlyMap<string, string>
  tables: Table[]
  perTable: boolean
}) {
  const { t } = useI18n()
  const byId = new Map(tally.tasks.map((x) => [x.taskId, x]))
  const ranked = rankedTaskIds(round, tally)
  const title = (id: string) => titles.get(id) ?? t('task.unknown')
  if (!perTable) {
    const rows = ranked.map((id) => ({ id, value: byId.get(id)?.dots ?? 0 }))
    return (
      <div className="present-bars-wrap" data-testid="results-chart">
        <p className="scene-sub">{t('present.resultsTotal')}</p>
        <Bars rows={rows} title={title} testId="result-bar" />
      </div>
    )
  }
  // the board's order of tables, then the pooled row
  const tableIds = [
    ...tables.map((tb) => tb.id).filter((id) => id in tally.votersByTable),
    ...Object.keys(tally.votersByTable).filter(
      (id) => id !== OTHER_TABLES && !tables.some((tb) => tb.id === id),
    ),
    ...(OTHER_TABLES in tally.votersByTable ? [OTHER_TABLES] : []),
  ]
  const name = (id: string) =>
    id === OTHER_TABLES ? t('vote.otherTables') : (tables.find((tb) => tb.id === id)?.name ?? id)
  const color = (id: string) => tables.find((tb) => tb.id === id)?.color ?? '#4a4a4a'
  const at = (x: TaskTally | undefined, tableId: string) => x?.byTable[tableId]?.dots ?? 0
  const max = Math.max(1, ...ranked.flatMap((id) => tableIds.map((tb) => at(byId.get(id), tb))))
  // one row per task (ranked by its total), one column per table: every task keeps one line
  return (
    <table className="present-table-bars" data-testid="present-results-per-table">
      <caption className="visually-hidden">{t('present.resultsPerTable')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('present.matrixLegend')}</th>
          {tableIds.map((id) => (
            <th
              key={id}
              scope="col"
              data-testid="present-results-table"
              data-table-id={id}
              style={{ ['--zone' as string]: color(id) }}
            >
              {name(id)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {ranked.map((taskId) => (
          <tr key={taskId}>
            <th scope="row" className="present-bar-title">
              {title(taskId)}
            </th>
            {tableIds.map((tableId) => {
              const value = at(byId.get(taskId), tableId)
              return (
                <td
                  key={tableId}
                  data-testid="result-table-bar"
                  data-table-id={tableId}
                  data-value={value}
                  style={{ ['--zone' as string]: color(tableId) }}
                >
                  <span className="present-bar-track" aria-hidden="true">
                    <span
                      className="present-bar-fill"
                      style={{ width: `${(value / max) * 100}%` }}
                    />
                  </span>
                  <span className="present-bar-value">{value}</span>
                </td>
              )
            })}
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function Bars({
  rows,
  title,
  testId,
}: {
  rows: { id: string; value: number }[]
  title: (id: string) => string
  testId: string
}) {
  const { t } = useI18n()
  const max = Math.max(1, ...rows.map((r) => r.value))
  return (
    <ol className="present-bars">
      {rows.map((r) => (
        <li
          key={r.id}
          className="present-bar"
          data-testid={testId}
          data-task-id={r.id}
          data-value={r.value}
        >
          <span className="present-bar-title">{title(r.id)}</span>
          <span className="present-bar-track" aria-hidden="true">
            <span className="present-bar-fill" style={{ width: `${(r.value / max) * 100}%` }} />
          </span>
          <span className="present-bar-value">{t('vote.dotsCount', { count: r.value })}</span>
        </li>
      ))}
    </ol>
  )
}
