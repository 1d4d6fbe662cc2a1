/**
 * Voting scene: the round's options and how many voted, "N of M" in all and per table (M: who
 * joined, written by the server on each join; N per table: written with each ballot). Only counts,
 * never what anyone voted.
 */
import type * as Y from 'yjs'
import { readRoundVoted } from '../../shared/control.ts'
import type { Table } from '../../shared/schema.ts'
import { useI18n } from '../i18n/index.ts'
import type { ControlState } from '../model/useControl.ts'
import { roundName } from '../voting/roundName.ts'

interface Props {
  control: ControlState
  /** The control doc: the per-table counts are read from it. */
  doc: Y.Doc
  titles: ReadonlyMap<string, string>
  tables: Table[]
}

export function VotingScene({ control, doc, titles, tables }: Props) {
  const { t } = useI18n()
  const round = control.latestRound
  if (!round || round.status === 'revealed')
    return (
      <section className="scene scene-voting" data-testid="scene-voting">
        <p className="scene-empty">{t('present.noRound')}</p>
      </section>
    )
  const number = control.rounds.findIndex((r) => r.id === round.id) + 1
  const votedBy = readRoundVoted(doc, round.id)
  const total = control.joined.total
  return (
    <section className="scene scene-voting" data-testid="scene-voting" data-round-id={round.id}>
      <div className="voting-main">
        <h3 className="scene-heading">{roundName(t, round, number)}</h3>
        <p className="voting-call">
          {t(round.status === 'open' ? 'present.voteNow' : 'present.voteClosed')}
        </p>
        <p className="voting-how">
          {round.kind === 'dots'
            ? t('present.voteDots', { count: round.dotsPerPerson })
            : t('present.voteScores', { criteria: round.criteria.map((c) => c.label).join(', ') })}
        </p>
        <ol className="voting-options" data-testid="voting-options">
          {round.taskIds.map((id) => (
            <li key={id} data-testid="voting-option">
              {titles.get(id) ?? t('task.unknown')}
            </li>
          ))}
        </ol>
      </div>
      <aside className="voting-count" aria-live="polite">
        <p className="voting-total" data-testid="voted-total">
          {total > 0
            ? t('vote.votedOf', { count: round.voterCount, total })
            : t('vote.voterCount', { count: round.voterCount })}
        </p>
        {tables.length > 0 && (
          <>
            <h3 className="voting-per-table">{t('present.votedPerTable')}</h3>
            <ul className="voting-tables">
              {tables.map((tb) => (
                <li
                  key={tb.id}
                  data-testid="voted-table"
                  data-table-id={tb.id}
                  style={{ ['--zone' as string]: tb.color }}
                >
                  <span className="voting-table-name">{tb.name}</span>{' '}
                  <span className="voting-table-count">
                    {t('present.votedAt', {
                      count: votedBy[tb.id] ?? 0,
                      total: control.joined.byTable[tb.id] ?? 0,
                    })}
                  </span>
                </li>
              ))}
            </ul>
          </>
        )}
      </aside>
    </section>
  )
}
