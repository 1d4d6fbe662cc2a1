/** The report as Markdown. Every piece of user text is escaped so it renders as text only. */
import type { Report } from '../../shared/report.ts'
import { REPORT_STRINGS, countOf, type ReportLang } from '../../shared/report-strings.ts'
import { markdownLines } from '../../shared/richtext.ts'
import {
  phaseParts,
  pooledNote,
  rankedResults,
  reportTime,
  resultText,
  tableHeading,
  tableLabel,
} from './format.ts'

const md = (s: string) => s.replace(/[\\`*_{}[\]<>()#+!|~-]/g, (c) => `\\${c}`).replace(/\n/g, ' ')

export function renderMarkdown(r: Report, lang: ReportLang): string {
  const t = REPORT_STRINGS[lang]
  const out: string[] = []
  const cards = (label: string, list: Report['tables'][number]['visions']) => {
    out.push(`**${label}**`, '')
    if (!list.length) out.push(`- _${t.none}_`)
    for (const c of list) {
      const lines = markdownLines(c.rich, md)
      const [first = '', ...rest] = lines.length ? lines : [md(c.text)]
      out.push(
        `- ${first}${c.author ? ` (${md(c.author)})` : ''}`,
        ...rest.map((l) => (l ? `  ${l}` : '')),
      )
    }
    out.push('')
  }
  out.push(`# ${t.report}: ${md(r.title)}`, '')
  out.push(`**${t.question}:** ${md(r.question)}`, '')
  out.push(
    `${t.generated} ${reportTime(r.generatedAt, lang)} · ${t.participants}: ${r.participantsTotal}`,
    '',
  )
  out.push(`## ${t.perTable}`, '')
  for (const table of r.tables) {
    out.push(`### ${tableHeading(lang, table, md)}`, '')
    cards(t.visions, table.visions)
    cards(t.needs, table.needs)
    if (table.other.length) cards(t.other, table.other)
  }
  const statement = markdownLines(r.statementRich, md)
  out.push(`## ${t.statement}`, '', ...(statement.length ? statement : [`_${t.none}_`]), '')
  out.push(`## ${t.principles}`, '')
  if (!r.principles.length) out.push(`- _${t.none}_`)
  for (const p of r.principles) out.push(`- ${md(p)}`)
  out.push('')
  const chosen = r.tasks.filter((x) => x.chosen)
  out.push(`## ${t.chosen}`, '')
  if (!chosen.length) out.push(`- _${t.none}_`)
  for (const task of chosen) out.push(`- **${md(task.title)}**`)
  out.push('')
  out.push(`## ${t.tasks}`, '')
  if (!r.tasks.length) out.push(`- _${t.none}_`)
  for (const task of r.tasks) {
    const from = task.fromCards ? ` (${t.from} ${countOf(lang, task.fromCards, 'card')})` : ''
    out.push(`- ${md(task.title)}${task.chosen ? ` — **${t.chosenMark}**` : ''}${from}`)
    for (const m of task.merged) out.push(`  - ${t.mergedFrom}: ${md(m.title)}`)
    for (const res of task.results) {
      const round = r.rounds.find((x) => x.id === res.roundId)
      const per = res.byTable
        .map((b) => `${tableLabel(b, md)}: ${resultText(lang, round, b, md)}`)
        .join('; ')
      out.push(
        `  - ${md(res.round || t.results)}: ${resultText(lang, round, res, md)}${per ? ` (${t.perPerspective.toLowerCase()}: ${per})` : ''}`,
      )
    }
  }
  out.push('')
  out.push(`## ${t.rounds}`, '')
  if (!r.rounds.length) out.push(`- _${t.none}_`)
  for (const round of r.rounds) {
    const per = round.votersByTable.map((v) => `${tableLabel(v, md)}: ${v.voters}`).join('; ')
    out.push(
      `- ${md(round.title || round.id)} (${round.kindLabel}): ${countOf(lang, round.voters, 'voter')}` +
        (round.revealed ? (per ? ` (${per})` : '') : ` (${t.notRevealed})`),
    )
    if (!round.revealed) continue
    // the result, highest first (the tasks section above keeps the board's order)
    rankedResults(r, round).forEach(({ task, res }, i) =>
      out.push(`  ${i + 1}. ${md(task.title)}: ${resultText(lang, round, res, md)}`),
    )
    const note = pooledNote(lang, round, md)
    if (note) out.push(`  - ${note}`)
  }
  out.push('')
  out.push(`## ${t.phases}`, '')
  if (!r.phases.length) out.push(`- _${t.none}_`)
  for (const p of r.phases) {
    const { when, duration } = phaseParts(lang, p)
    out.push(`- ${when}: ${md(p.label)} (${duration})`)
  }
  out.push('')
  return out.join('\n')
}
