/**
 * The report as one printable HTML page (print to PDF from the browser). Self-contained: inline
 * styles and SVG bar charts, nothing loaded from elsewhere; every user string is escaped.
 */
import type { Report } from '../../shared/report.ts'
import { REPORT_STRINGS, countOf, type ReportLang } from '../../shared/report-strings.ts'
import { htmlBlocks } from '../../shared/richtext.ts'
import {
  phaseParts,
  pooledNote,
  rankedResults,
  reportTime,
  resultText,
  tableHeading,
  tableLabel,
} from './format.ts'
import { matrixSvg } from './matrix-svg.ts'
import { serverKindOf } from '../voting/kinds/index.ts'

export const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  )

/**
 * Horizontal bars, highest first, one per task, labelled with title and value (not colour alone).
 * HTML, not SVG: a long title wraps in its own column instead of being cut, and the value has a
 * column of its own, so the two never run into each other.
 */
function barChart(
  rows: { label: string; value: number; chosen: boolean }[],
  valueText: (v: number) => string,
  max?: number,
): string {
  if (!rows.length) return ''
  const top = max ?? Math.max(1, ...rows.map((r) => r.value))
  const items = rows
    .map((r) => {
      const pct = Math.max(0, Math.min(100, (r.value / top) * 100)).toFixed(1)
      return `<li class="bar${r.chosen ? ' chosen' : ''}"><span class="bar-label">${escapeHtml(r.label)}</span><span class="bar-track" aria-hidden="true"><span class="bar-fill" style="width:${pct}%"></span></span><span class="bar-value">${escapeHtml(valueText(r.value))}${r.chosen ? ' ✓' : ''}</span></li>`
    })
    .join('\n')
  return `<ol class="bars">${items}</ol>`
}

/** The round's tally per table (perspective): one row per task, one column per table. */
function perTableTable(r: Report, round: Report['rounds'][number], lang: ReportLang): string {
  const t = REPORT_STRINGS[lang]
  const e = escapeHtml
  const rows = rankedResults(r, round).map(({ task, res }) => {
    const cells = round.votersByTable.map((col) => {
      const at = res.byTable.find((b) => b.tableId === col.tableId)
      return `<td>${at ? resultText(lang, round, at, e) : '–'}</td>`
    })
    return `<tr><th scope="row">${e(task.title)}</th><td>${resultText(lang, round, res, e)}</td>${cells.join('')}</tr>`
  })
  const note = pooledNote(lang, round, e)
  const head = round.votersByTable
    .map(
      (col) =>
        `<th scope="col">${tableLabel(col, e)}<br><small>${countOf(lang, col.voters, 'voter')}</small></th>`,
    )
    .join('')
  return `<table class="tally">
<caption>${e(round.title || t.results)}: ${t.perPerspective.toLowerCase()}</caption>
<thead><tr><th scope="col">${t.task}</th><th scope="col">${t.total}<br><small>${countOf(lang, round.voters, 'voter')}</small></th>${head}</tr></thead>
<tbody>${rows.join('\n')}</tbody>
</table>${note ? `\n<p class="note">${note}</p>` : ''}`
}

/** A scores round with two criteria: the matrix, numbered by rank, and its legend. */
function matrix(
  r: Report,
  round: Report['rounds'][number],
  lang: ReportLang,
  caption: string,
): string {
  const [xc, yc] = round.criteria
  if (!xc || !yc) return ''
  const e = escapeHtml
  const ranked = rankedResults(r, round).map(({ task, res }, i) => ({ task, res, n: i + 1 }))
  const plotted = ranked.flatMap(({ task, res, n }) => {
    const x = res.scores[xc.id]
    const y = res.scores[yc.id]
    return x === null || x === undefined || y === null || y === undefined
      ? []
      : [{ n, label: task.title, x, y, chosen: task.chosen }]
  })
  const title = `${caption}: ${xc.label} × ${yc.label}`
  const legend = ranked
    .map(
      ({ task, res, n }) =>
        `<li value="${n}"><span class="title">${e(task.title)}</span>: ${resultText(lang, round, res, e)}${task.chosen ? ' ✓' : ''}</li>`,
    )
    .join('')
  return `<figure class="matrix-figure"><figcaption>${e(title)}</figcaption>
<div class="matrix-wrap">${matrixSvg(plotted, { x: xc.label, y: yc.label, title }, e)}
<ol class="matrix-legend">${legend}</ol></div></figure>`
}

/** A revealed round: ranked bars (dots, or the mean per criterion), the matrix, the tally per table. */
function roundResults(r: Report, round: Report['rounds'][number], lang: ReportLang): string {
  const t = REPORT_STRINGS[lang]
  const e = escapeHtml
  const caption = `${e(round.title || t.results)} — ${countOf(lang, round.voters, 'voter')}`
  const charts = serverKindOf(round.kind).reportCharts({
    lang,
    caption,
    criteria: round.criteria,
    bars: (figCaption, value, text, max) =>
      `<figure><figcaption>${figCaption}</figcaption>${barChart(
        rankedResults(r, round, value).map(({ task, res }) => ({
          label: task.title,
          value: value(res),
          chosen: task.chosen,
        })),
        text,
        max,
      )}</figure>`,
    matrix: () => matrix(r, round, lang, caption),
    esc: e,
  })
  return `${charts}\n${perTableTable(r, round, lang)}`
}

export function renderHtml(r: Report, lang: ReportLang): string {
  const t = REPORT_STRINGS[lang]
  const e = escapeHtml
  const list = (items: string[]) =>
    items.length
      ? `<ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>`
      : `<p><em>${t.none}</em></p>`
  const cards = (cs: Report['tables'][number]['visions']) =>
    list(
      cs.map(
        (c) =>
          `<div class="card">${htmlBlocks(c.rich, e) || `<p>${e(c.text)}</p>`}${c.author ? `<p class="who">(${e(c.author)})</p>` : ''}</div>`,
      ),
    )
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
body { font: 15px/1.5 system-ui, sans-serif; color: #1a1a1a; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; overflow-wrap: break-word; }
h1 { font-size: 1.8rem; } h2 { border-bottom: 2px solid #1d4f91; margin-top: 2rem; }
h2, h3, h4, figcaption, caption { break-after: avoid; }
.who { color: #444; margin: 0; } .chosen { font-weight: bold; }
.card > p, .card li > p { margin: 0; } .card ul, .card ol { margin: .2rem 0; padding-left: 1.4rem; }
.card blockquote { margin: .2rem 0 .2rem .5rem; padding-left: .6rem; border-left: 3px solid #bbb; }
li + li { margin-top: .25rem; } .merged { font-size: .9em; color: #333; }
figure { margin: 1rem 0; break-inside: avoid; } figcaption { font-weight: bold; margin-bottom: .5rem; }
ol.bars { list-style: none; margin: 0; padding: 0; }
.bar { display: grid; grid-template-columns: minmax(8rem, 2fr) 3fr minmax(6.5rem, max-content); gap: .25rem .75rem; align-items: center; margin: 0 0 .35rem; break-inside: avoid; }
.bar-label { min-width: 0; }
.bar-track { display: block; height: 1.1rem; background: #e8edf4; }
.bar-fill { display: block; height: 100%; background: #1d4f91; }
.bar.chosen .bar-fill { background: #1b6e3c; } .bar.chosen .bar-label { font-weight: bold; }
.bar-value { white-space: nowrap; font-variant-numeric: tabular-nums; }
.matrix-wrap { display: flex; flex-wrap: wrap; gap: 1rem 1.5rem; align-items: flex-start; }
svg.matrix { max-width: 100%; height: auto; flex: 0 1 492px; }
.matrix-legend { flex: 1 1 14rem; margin: 0; padding-left: 1.8rem; }
table.tally { border-collapse: collapse; margin: 1rem 0; width: 100%; }
caption { font-weight: bold; text-align: left; }
.tally th, .tally td { border: 1px solid #999; padding: .25rem .5rem; text-align: left; vertical-align: top; hyphens: auto; }
.tally td { min-width: 4.5rem; }
.tally tr { break-inside: avoid; } .tally thead { display: table-header-group; }
.note { font-size: .9em; color: #333; }
@page { size: A4; margin: 16mm 15mm; }
@media print {
  body { font-size: 10.5pt; max-width: none; margin: 0; padding: 0; }
  h1 { font-size: 18pt; } h2 { font-size: 14pt; } h3 { font-size: 12pt; }
  a { color: inherit; }
  .bar-track, .bar-fill, svg.matrix { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
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
${htmlBlocks(r.statementRich, e) || `<p><em>${t.none}</em></p>`}
<h2>${t.principles}</h2>
${list(r.principles.map(e))}
<h2>${t.tasks}</h2>
${list(
  r.tasks.map(
    (x) =>
      `${e(x.title)}${x.chosen ? ` — <strong>${t.chosenMark}</strong>` : ''}${x.fromCards ? ` <small>(${t.from} ${countOf(lang, x.fromCards, 'card')})</small>` : ''}` +
      (x.merged.length
        ? `<ul class="merged">${x.merged.map((m) => `<li>${t.mergedFrom}: ${e(m.title)}</li>`).join('')}</ul>`
        : ''),
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
