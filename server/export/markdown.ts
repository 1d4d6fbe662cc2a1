/** The report as Markdown. Every piece of user text is escaped so it renders as text only. */
import type { Report } from '../../shared/report.ts'
import { REPORT_STRINGS } from '../../shared/report-strings.ts'

const md = (s: string) => s.replace(/[\\`*_{}[\]<>()#+!|~-]/g, (c) => `\\${c}`).replace(/\n/g, ' ')

const time = (ms: number, lang: 'nl' | 'en') =>
  new Date(ms).toLocaleString(lang === 'nl' ? 'nl-NL' : 'en-GB', { timeZone: 'Europe/Amsterdam' })

const scoreText = (scores: Record<string, number | null>) =>
  Object.entries(scores)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${md(k)} ${v}`)
    .join(', ')

export function renderMarkdown(r: Report, lang: 'nl' | 'en'): string {
  const t = REPORT_STRINGS[lang]
  const out: string[] = []
  const cards = (label: string, list: Report['tables'][number]['visions']) => {
    out.push(`**${label}**`, '')
    if (!list.length) out.push(`- _${t.none}_`)
    for (const c of list) out.push(`- ${md(c.text)}${c.author ? ` (${md(c.author)})` : ''}`)
    out.push('')
  }
  out.push(`# ${t.report}: ${md(r.title)}`, '')
  out.push(`**${t.question}:** ${md(r.question)}`, '')
  out.push(`${t.generated} ${time(r.generatedAt, lang)} · ${t.participants}: ${r.participantsTotal}`, '')
  out.push(`## ${t.perTable}`, '')
  for (const table of r.tables) {
    out.push(`### ${t.table} ${md(table.name)} (${table.participants} ${t.participants.toLowerCase()})`, '')
    cards(t.visions, table.visions)
    cards(t.needs, table.needs)
    if (table.other.length) cards(t.other, table.other)
  }
  out.push(`## ${t.statement}`, '', r.statement ? md(r.statement) : `_${t.none}_`, '')
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
  for (const task of r.tasks) {
    out.push(`- ${md(task.title)}${task.chosen ? ` — **${t.chosenMark}**` : ''} (${t.fromCards}: ${task.fromCards})`)
    for (const res of task.results) {
      const total = res.dots ? `${res.dots} ${t.dots}` : scoreText(res.scores)
      const per = res.byTable
        .map((b) => `${md(b.table)}: ${b.dots ? `${b.dots} ${t.dots}` : scoreText(b.scores)}`)
        .join('; ')
      out.push(`  - ${md(res.round || t.results)}: ${total}${per ? ` (${per})` : ''}`)
    }
  }
  out.push('')
  out.push(`## ${t.rounds}`, '')
  for (const round of r.rounds) {
    out.push(`- ${md(round.title || round.id)}: ${round.voters} ${t.voters}${round.revealed ? '' : ` (${t.notRevealed})`}`)
  }
  out.push('')
  out.push(`## ${t.phases}`, '')
  for (const p of r.phases) out.push(`- ${time(p.start, lang)}: ${md(p.label)}`)
  out.push('')
  return out.join('\n')
}
