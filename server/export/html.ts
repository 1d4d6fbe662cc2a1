/**
 * The report as one printable HTML page (print to PDF from the browser). Self-contained: inline
 * styles and SVG bar charts, nothing loaded from elsewhere; every user string is escaped.
 */
import type { Report } from '../../shared/report.ts'
import { REPORT_STRINGS, countOf, type ReportLang } from '../../shared/report-strings.ts'
import { SCORE_MAX } from '../../shared/control.ts'
import { phaseParts, reportTime, resultText, scoreText, tableHeading, tableLabel } from './format.ts'

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

/** Horizontal bars, one per task, labelled with title and value (not colour alone). */
function barChart(rows: { label: string; value: number; chosen: boolean }[], valueText: (v: number) => string, max?: number): string {
  if (!rows.length) return ''
  const top = max ?? Math.max(1, ...rows.map((r) => r.value))
  const rowH = 28
  const labelW = 320
  const barW = 360
  const h = rows.length * rowH + 8
  const bars = rows
    .map((r, i) => {
      const w = Math.round((r.value / top) * barW)
      const y = i * rowH + 4
      return `<text x="0" y="${y + 18}" font-size="13">${escapeHtml(r.label.slice(0, 48))}</text>
<rect x="${labelW}" y="${y + 4}" width="${w}" height="18" fill="${r.chosen ? '#1b6e3c' : '#1d4f91'}"/>
<text x="${labelW + w + 6}" y="${y + 18}" font-size="13">${escapeHtml(valueText(r.value))}${r.chosen ? ' ✓' : ''}</text>`
    })
    .join('\n')
  return `<svg role="img" width="${labelW + barW + 120}" height="${h}" viewBox="0 0 ${labelW + barW + 120} ${h}" xmlns="http://www.w3.org/2000/svg">${bars}</svg>`
}

/** The round's tally per table (perspective): one row per task, one column per table. */
function perTableTable(r: Report, round: Report['rounds'][number], lang: ReportLang): string {
  const t = REPORT_STRINGS[lang]
  const e = escapeHtml
  const rows = r.tasks.flatMap((task) => {
    const res = task.results.find((x) => x.roundId === round.id)
    if (!res) return []
    const cells = round.votersByTable.map((col) => {
      const at = res.byTable.find((b) => b.tableId === col.tableId)
      return `<td>${at ? resultText(lang, round, at, e) : '–'}</td>`
    })
    return [`<tr><th scope="row">${e(task.title)}</th><td>${resultText(lang, round, res, e)}</td>${cells.join('')}</tr>`]
  })
  const head = round.votersByTable
    .map((col) => `<th scope="col">${tableLabel(col, e)}<br><small>${countOf(lang, col.voters, 'voter')}</small></th>`)
    .join('')
  return `<table class="tally">
<caption>${e(round.title || t.results)}: ${t.perPerspective.toLowerCase()}</caption>
<thead><tr><th scope="col">${t.task}</th><th scope="col">${t.total}<br><small>${countOf(lang, round.voters, 'voter')}</small></th>${head}</tr></thead>
<tbody>${rows.join('\n')}</tbody>
</table>`
}

/** A revealed round: bar charts (dots, or the mean per criterion) and the tally per table. */
function roundResults(r: Report, round: Report['rounds'][number], lang: ReportLang): string {
  const t = REPORT_STRINGS[lang]
  const e = escapeHtml
  const results = r.tasks.flatMap((task) => {
    const res = task.results.find((x) => x.roundId === round.id)
    return res ? [{ task, res }] : []
  })
  const caption = `${e(round.title || t.results)} — ${countOf(lang, round.voters, 'voter')}`
  const charts =
    round.kind === 'dots'
      ? `<figure><figcaption>${caption}</figcaption>${barChart(
          results.map(({ task, res }) => ({ label: task.title, value: res.dots, chosen: task.chosen })),
          (v) => countOf(lang, v, 'dot'),
        )}</figure>`
      : round.criteria
          .map(
            (c) =>
              `<figure><figcaption>${caption}: ${e(c.label)} (${t.meanScore})</figcaption>${barChart(
                results.map(({ task, res }) => ({ label: task.title, value: res.scores[c.id] ?? 0, chosen: task.chosen })),
                (v) => scoreText(lang, v),
                SCORE_MAX,
              )}</figure>`,
          )
          .join('\n')
  return `${charts}\n${perTableTable(r, round, lang)}`
}

export function renderHtml(r: Report, lang: ReportLang): string {
  const t = REPORT_STRINGS[lang]
  const e = escapeHtml
  const list = (items: string[]) =>
    items.length ? `<ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>` : `<p><em>${t.none}</em></p>`
  const cards = (cs: Report['tables'][number]['visions']) =>
    list(cs.map((c) => e(c.text) + (c.author ? ` <span class="who">(${e(c.author)})</span>` : '')))
  const tables = r.tables
    .map(
      (table) => `<section><h3>${tableHeading(lang, table, e)}</h3>
<h4>${t.visions}</h4>${cards(table.visions)}
<h4>${t.needs}</h4>${cards(table.needs)}
${table.other.length ? `<h4>${t.other}</h4>${cards(table.other)}` : ''}</section>`,
    )
    .join('\n')
  const rounds = r.rounds
    .map((round) =>
      round.revealed
        ? `<section>${roundResults(r, round, lang)}</section>`
        : `<p>${e(round.title || round.id)} (${e(round.kindLabel)}): ${countOf(lang, round.voters, 'voter')} (${t.notRevealed})</p>`,
    )
    .join('\n')
  const phases = r.phases.map((p) => {
    const { when, duration } = phaseParts(lang, p)
    return `${when}: ${e(p.label)} <span class="duration">(${duration})</span>`
  })
  const chosen = r.tasks.filter((x) => x.chosen)
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${t.report}: ${e(r.title)}</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; color: #1a1a1a; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.8rem; } h2 { border-bottom: 2px solid #1d4f91; margin-top: 2rem; }
section { break-inside: avoid; } .who { color: #444; } .chosen { font-weight: bold; }
figure { margin: 1rem 0; break-inside: avoid; } figcaption { font-weight: bold; margin-bottom: .5rem; }
table.tally { border-collapse: collapse; margin: 1rem 0; break-inside: avoid; } caption { font-weight: bold; text-align: left; }
.tally th, .tally td { border: 1px solid #999; padding: .25rem .5rem; text-align: left; vertical-align: top; }
@media print { body { margin: 0; } a { color: inherit; } }
</style>
</head>
<body>
<h1>${t.report}: ${e(r.title)}</h1>
<p><strong>${t.question}:</strong> ${e(r.question)}</p>
<p>${t.generated} ${reportTime(r.generatedAt, lang)} · ${t.participants}: ${r.participantsTotal}</p>
<h2>${t.chosen}</h2>
${list(chosen.map((x) => `<span class="chosen">${e(x.title)}</span>`))}
<h2>${t.perTable}</h2>
${tables}
<h2>${t.statement}</h2>
${r.statement ? r.statement.split('\n').map((p) => `<p>${e(p)}</p>`).join('') : `<p><em>${t.none}</em></p>`}
<h2>${t.principles}</h2>
${list(r.principles.map(e))}
<h2>${t.tasks}</h2>
${list(
  r.tasks.map(
    (x) =>
      `${e(x.title)}${x.chosen ? ` — <strong>${t.chosenMark}</strong>` : ''}${x.fromCards ? ` <small>(${t.from} ${countOf(lang, x.fromCards, 'card')})</small>` : ''}`,
  ),
)}
<h2>${t.rounds}</h2>
${rounds || `<p><em>${t.none}</em></p>`}
<h2>${t.phases}</h2>
${list(phases)}
</body>
</html>
`
}
