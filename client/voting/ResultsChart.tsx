/**
 * Dot results as an HTML bar chart: each bar carries its task title and number in text (colour is
 * never the only cue), optionally split per table so each perspective's choice stays visible. The
 * tables keep the board's order, so a perspective sits in the same place under every bar; tables
 * the server pooled because too few voted there (shared/tally-privacy.ts) come last as one row.
 */
import { useId, useState } from 'react'
import type { Round, Tally } from '../../shared/control.ts'
import type { Table } from '../../shared/schema.ts'
import { OTHER_TABLES } from '../../shared/tally-privacy.ts'
import { useI18n } from '../i18n/index.ts'

interface Props {
  round: Round
  tally: Tally
  titles: ReadonlyMap<string, string>
  tables: Table[]
  /** Shared toggle (the facilitator's, mirrored on the projector); without it the toggle is local. */
  perTable?: boolean
  onPerTable?: (on: boolean) => void
}

const pct = (value: number, max: number) => (max > 0 ? (value / max) * 100 : 0)

export function ResultsChart({ round, tally, titles, tables, ...shared }: Props) {
  const { t } = useI18n()
  const captionId = useId()
  const [localPerTable, setLocalPerTable] = useState(false)
  const perTable = shared.onPerTable ? (shared.perTable ?? false) : localPerTable
  const setPerTable = (on: boolean) =>
    shared.onPerTable ? shared.onPerTable(on) : setLocalPerTable(on)
  const order = new Map(round.taskIds.map((id, i) => [id, i]))
  const rows = [...tally.tasks].sort(
    (a, b) => b.dots - a.dots || (order.get(a.taskId) ?? 0) - (order.get(b.taskId) ?? 0),
  )
  const max = Math.max(1, ...rows.map((r) => r.dots))
  const tableMax = Math.max(1, ...rows.flatMap((r) => Object.values(r.byTable).map((b) => b.dots)))
  const tableName = (id: string) =>
    id === OTHER_TABLES ? t('vote.otherTables') : (tables.find((tb) => tb.id === id)?.name ?? id)
  const tableIndex = (id: string) => {
    if (id === OTHER_TABLES) return tables.length + 1
    const i = tables.findIndex((tb) => tb.id === id)
    // a table removed since the vote goes last, in a stable order
    return i === -1 ? tables.length : i
  }
  const byTable = (row: (typeof rows)[number]) =>
    Object.entries(row.byTable).sort(
      ([a], [b]) => tableIndex(a) - tableIndex(b) || (a < b ? -1 : a > b ? 1 : 0),
    )
  const tableColor = (id: string) => tables.find((tb) => tb.id === id)?.color ?? '#4a4a4a'

  return (
    <figure className="results-chart" data-testid="results-chart" aria-labelledby={captionId}>
      <figcaption id={captionId}>
        {t('vote.chartCaption')}{' '}
        <span className="hint">{t('vote.voters', { count: tally.voters })}</span>
      </figcaption>
      <button
        type="button"
        className="btn btn-small"
        aria-pressed={perTable}
        data-testid="results-per-table"
        onClick={() => setPerTable(!perTable)}
      >
        {t('vote.perTable')}
      </button>
      {perTable && tally.otherTables?.length ? (
        <p className="hint" data-testid="results-pooled-note">
          {t('vote.otherTablesNote', {
            count: tally.pooledBelow ?? 0,
            tables: tally.otherTables.map(tableName).join(', '),
          })}
        </p>
      ) : null}
      <ol className="bars">
        {rows.map((row) => {
          const title = titles.get(row.taskId) ?? t('task.unknown')
          return (
            <li
              key={row.taskId}
              className="bar-row"
              data-testid="result-bar"
              data-task-id={row.taskId}
              data-value={row.dots}
            >
              <span className="bar-label">
                <span className="bar-title">{title}</span>
                <span className="bar-value">{t('vote.dotsCount', { count: row.dots })}</span>
              </span>
              <span className="bar-track" aria-hidden="true">
                <span className="bar-fill" style={{ width: `${pct(row.dots, max)}%` }} />
              </span>
              {perTable && (
                <ul className="bar-tables">
                  {byTable(row).map(([tableId, b]) => (
                    <li
                      key={tableId}
                      className="bar-table"
                      data-testid="result-table-bar"
                      data-table-id={tableId}
                      data-value={b.dots}
                    >
                      <span className="bar-label">
                        <span>{tableName(tableId)}</span>
                        <span className="bar-value">{t('vote.dotsCount', { count: b.dots })}</span>
                      </span>
                      <span className="bar-track" aria-hidden="true">
                        <span
                          className="bar-fill bar-fill-table"
                          style={{
                            width: `${pct(b.dots, tableMax)}%`,
                            ['--zone' as string]: tableColor(tableId),
                          }}
                        />
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          )
        })}
      </ol>
    </figure>
  )
}
