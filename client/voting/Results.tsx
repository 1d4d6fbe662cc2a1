/**
 * Results of every revealed round. One round is shown at a time, picked with tabs: the projector
 * shows the facilitator's pick (newest by default); a participant may look at another round until
 * the facilitator's pick or a new reveal brings them back. Each kind draws its own result
 * (client/voting/kinds/): bars for dots, the matrix for scores.
 */
import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react'
import type { Round, Tally } from '../../shared/control.ts'
import type { Table } from '../../shared/schema.ts'
import type { RevealedRound } from '../model/useControl.ts'
import { useI18n } from '../i18n/index.ts'
import { clientKind } from './kinds/index.ts'
import { roundName } from './roundName.ts'
import './results.css'

interface Props {
  rounds: RevealedRound[]
  /** The shared pick (facilitator's choice, else the newest). */
  sharedId: string | null
  titles: ReadonlyMap<string, string>
  tables: Table[]
  /** Projector: no tabs, always the shared pick. */
  readOnly?: boolean
  /** Facilitator: a pick is shared (written to the control doc); otherwise it stays on this screen. */
  onPick?: (roundId: string) => void
  /** Facilitator: the per-table toggle is shared (the projector mirrors it); else it is this screen's. */
  perTable?: boolean
  onPerTable?: (on: boolean) => void
  /** Move focus to the heading once this round is shown (after the facilitator reveals it). */
  focusRoundId?: string | null
  onFocused?: () => void
}

export function Results(p: Props) {
  const { t } = useI18n()
  const headingId = useId()
  const tabsId = useId()
  const headingRef = useRef<HTMLHeadingElement>(null)
  const tabRefs = useRef(new Map<string, HTMLButtonElement>())
  // a local pick holds only while the shared pick it overrode is still the shared pick
  const [local, setLocal] = useState<{ id: string; over: string | null } | null>(null)
  const localId = !p.readOnly && !p.onPick && local && local.over === p.sharedId ? local.id : null
  const selected =
    p.rounds.find((r) => r.round.id === (localId ?? p.sharedId)) ?? p.rounds.at(-1) ?? null

  const { focusRoundId, onFocused } = p
  useEffect(() => {
    if (!focusRoundId || selected?.round.id !== focusRoundId) return
    headingRef.current?.focus()
    onFocused?.()
  }, [focusRoundId, selected, onFocused])

  if (!selected) return null

  const pick = (id: string) => {
    if (p.onPick) p.onPick(id)
    else setLocal({ id, over: p.sharedId })
  }
  const ids = p.rounds.map((r) => r.round.id)
  function onTabKey(e: KeyboardEvent<HTMLButtonElement>, index: number) {
    const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: ids.length - 1 }[
      e.key
    ]
    if (next === undefined) return
    e.preventDefault()
    const id = ids[(next + ids.length) % ids.length]!
    pick(id)
    tabRefs.current.get(id)?.focus()
  }

  const tabId = (id: string) => `${tabsId}-tab-${id}`
  const panelId = `${tabsId}-panel`
  const showTabs = !p.readOnly && p.rounds.length > 1
  const name = roundName(t, selected.round, selected.number)
  return (
    <section
      className="side-section results"
      aria-labelledby={headingId}
      data-testid="results"
      data-round-id={selected.round.id}
    >
      <h3 id={headingId} ref={headingRef} tabIndex={-1} data-testid="results-heading">
        {t('vote.resultsHeading', { title: name })}
      </h3>
      {showTabs && (
        <div
          className="round-tabs"
          role="tablist"
          aria-label={t('vote.roundPicker')}
          data-testid="results-tabs"
        >
          {p.rounds.map((r, i) => {
            const active = r.round.id === selected.round.id
            return (
              <button
                key={r.round.id}
                ref={(el) => {
                  if (el) tabRefs.current.set(r.round.id, el)
                  else tabRefs.current.delete(r.round.id)
                }}
                type="button"
                role="tab"
                id={tabId(r.round.id)}
                className="round-tab"
                aria-selected={active}
                aria-controls={panelId}
                tabIndex={active ? 0 : -1}
                data-testid="results-tab"
                data-round-id={r.round.id}
                onClick={() => pick(r.round.id)}
                onKeyDown={(e) => onTabKey(e, i)}
              >
                {roundName(t, r.round, r.number)}
              </button>
            )
          })}
        </div>
      )}
      <div
        id={panelId}
        {...(showTabs && { role: 'tabpanel', 'aria-labelledby': tabId(selected.round.id) })}
      >
        <RoundResult
          round={selected.round}
          tally={selected.tally}
          titles={p.titles}
          tables={p.tables}
          {...(p.onPerTable && { perTable: p.perTable ?? false, onPerTable: p.onPerTable })}
        />
      </div>
    </section>
  )
}

function RoundResult({
  round,
  tally,
  titles,
  tables,
  perTable,
  onPerTable,
}: {
  round: Round
  tally: Tally
  titles: ReadonlyMap<string, string>
  tables: Table[]
  perTable?: boolean
  onPerTable?: (on: boolean) => void
}) {
  const { Result } = clientKind(round)
  return (
    <Result
      key={round.id}
      round={round}
      tally={tally}
      titles={titles}
      tables={tables}
      {...(onPerTable && { perTable: perTable ?? false, onPerTable })}
    />
  )
}
