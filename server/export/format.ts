/** Wording shared by the Markdown and HTML reports; each passes its own escaping for user text. */
import type { Report } from '../../shared/report.ts'
import {
  REPORT_STRINGS,
  countOf,
  formatDuration,
  type ReportLang,
  scoreText,
} from '../../shared/report-strings.ts'
import { VOTE_KINDS } from '../../shared/vote-kinds/index.ts'
import type { Tallied } from '../../shared/vote-kinds/kind.ts'

type Round = Report['rounds'][number]

export const reportTime = (ms: number, lang: ReportLang) =>
  new Date(ms).toLocaleString(lang === 'nl' ? 'nl-NL' : 'en-GB', { timeZone: 'Europe/Amsterdam' })

/**
 * One task's result in a round (overall or at one table): its dots, or its mean score per
 * criterion by the criterion's label. Decided by the round's kind, so zero dots reads "0 stippen".
 */
export function resultText(
  lang: ReportLang,
  round: Round | undefined,
  v: Tallied,
  esc: (s: string) => string,
): string {
  if (!round) return countOf(lang, v.dots, 'dot')
  return VOTE_KINDS[round.kind].resultText(lang, round.criteria, v, esc)
}

export { scoreText }

/** "18:00–18:12 Welkom (12 min)"; the phase still running at the report's moment says so. */
export function phaseParts(lang: ReportLang, p: Report['phases'][number]) {
  const t = REPORT_STRINGS[lang]
  return {
    when:
      p.end === null
        ? reportTime(p.start, lang)
        : `${reportTime(p.start, lang)} – ${reportTime(p.end, lang)}`,
    duration: p.durationMs === null ? t.running : formatDuration(lang, p.durationMs),
  }
}

/** "Tafel Inwoner · 3 deelnemers", naming the perspective too when the table's name differs from it. */
export function tableHeading(
  lang: ReportLang,
  table: { name: string; perspectiveLabel: string; participants: number },
  esc: (s: string) => string,
): string {
  const t = REPORT_STRINGS[lang]
  const parts = [`${t.table} ${esc(table.name)}`]
  if (table.perspectiveLabel !== table.name)
    parts.push(`${t.perspective} ${esc(table.perspectiveLabel)}`)
  parts.push(countOf(lang, table.participants, 'participant'))
  return parts.join(' · ')
}

/** A table in a tally: its name, with its perspective when the name does not already say it. */
export const tableLabel = (
  b: { table: string; perspectiveLabel: string },
  esc: (s: string) => string,
) =>
  b.table === b.perspectiveLabel ? esc(b.table) : `${esc(b.table)} (${esc(b.perspectiveLabel)})`

type Result = Report['tasks'][number]['results'][number]

/** What a task is ranked by in a round, as its kind ranks it; unranked ones count as 0. */
export const rankValue = (round: Round, res: Pick<Result, 'dots' | 'scores'>): number =>
  VOTE_KINDS[round.kind].standing(res) ?? 0

/** The round's results, highest first; equal values keep the tasks' order. */
export function rankedResults(
  r: Report,
  round: Round,
  value: (res: Result) => number = (res) => rankValue(round, res),
) {
  return r.tasks
    .flatMap((task, i) => {
      const res = task.results.find((x) => x.roundId === round.id)
      return res ? [{ task, res, i }] : []
    })
    .sort((a, b) => value(b.res) - value(a.res) || a.i - b.i)
}

/** "Overige tafels: Management, Openbaar bestuur (tafels met minder dan 3 stemmers ...)", or null. */
export function pooledNote(
  lang: ReportLang,
  round: Round,
  esc: (s: string) => string,
): string | null {
  if (!round.otherTables.length || round.pooledBelow === null) return null
  const t = REPORT_STRINGS[lang]
  return `${t.otherTables}: ${round.otherTables.map(esc).join(', ')} (${t.otherTablesNote.replace('{k}', String(round.pooledBelow))})`
}
