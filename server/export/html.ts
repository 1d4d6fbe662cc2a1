/**
 * The report as one printable HTML page (print to PDF from the browser). Self-contained: inline
 * styles and SVG bar charts, nothing loaded from elsewhere; every user string is escaped.
 */
import type { Report } from '../../shared/report.ts'
import { REPORT_STRINGS } from '../../shared/report-strings.ts'

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

const time = (ms: number, lang: 'nl' | 'en') =>
  new Date(ms).toLocaleString(lang === 'nl' ? 'nl-NL' : 'en-GB', { timeZone: 'Europe/Amsterdam' })

/** Horizontal bars, one per task, labelled with title and value (not colour alone). */
function barChart(rows: { label: string; value: number; chosen: boolean }[], unit: string): string {
  if (!rows.length) return ''
  const max = Math.max(1, ...rows.map((r) => r.value))
  const rowH = 28
  const labelW = 320
  const barW = 360
  const h = rows.length * rowH + 8
  const bars = rows
    .map((r, i) => {
      const w = Math.round((r.value / max) * barW)
      const y = i * rowH + 4
      return `<text x="0" y="${y + 18}" font-size="13">${escapeHtml(r.label.slice(0, 48))}</text>
<rect x="${labelW}" y="${y + 4}" width="${w}" height="18" fill="${r.chosen ? '#1b6e3c' : '#1d4f91'}"/>
<text x="${labelW + w + 6}" y="${y + 18}" font-size="13">${r.value} ${escapeHtml(unit)}${r.chosen ? ' ✓' : ''}</text>`
    })
    .join('\n')
  return `<svg role="img" width="${labelW + barW + 120}" height="${h}" viewBox="0 0 ${labelW + barW + 120} ${h}" xmlns="http://www.w3.org/2000/svg">${bars}</svg>`
}

export function renderHtml(r: Report, lang: 'nl' | 'en'): string {
  const t = REPORT_STRINGS[lang]
  const e = escapeHtml
  const list = (items: string[]) =>
    items.length ? `<ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>` : `<p><em>${t.none}</em></p>`
  const cards = (cs: Report['tables'][number]['visions']) =>
    list(cs.map((c) => e(c.text) + (c.author ? ` <span class="who">(${e(c.author)})</span>` : '')))
  const tables = r.tables
    .map(
      (table) => `<section><h3>${t.table} ${e(table.name)} <small>(${table.participants} ${t.participants.toLowerCase()})</small></h3>
<h4>${t.visions}</h4>${cards(table.visions)}
<h4>${t.needs}</h4>${cards(table.needs)}
${table.other.length ? `<h4>${t.other}</h4>${cards(table.other)}` : ''}</section>`,
    )
    .join('\n')
  const charts = r.rounds
    .filter((round) => round.revealed)
    .map((round) => {
      const rows = r.tasks.flatMap((task) => {
        const res = task.results.find((x) => x.roundId === round.id)
        if (!res) return []
        const value =
          round.kind === 'dots'
            ? res.dots
            : Object.values(res.scores).reduce<number>((a, b) => a + (b ?? 0), 0)
        return [{ label: task.title, value, chosen: task.chosen }]
      })
      return `<figure><figcaption>${e(round.title || t.results)} — ${round.voters} ${t.voters}</figcaption>${barChart(rows, round.kind === 'dots' ? t.dots : '')}</figure>`
    })
    .join('\n')
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
@media print { body { margin: 0; } a { color: inherit; } }
</style>
</head>
<body>
<h1>${t.report}: ${e(r.title)}</h1>
<p><strong>${t.question}:</strong> ${e(r.question)}</p>
<p>${t.generated} ${time(r.generatedAt, lang)} · ${t.participants}: ${r.participantsTotal}</p>
<h2>${t.chosen}</h2>
${list(chosen.map((x) => `<span class="chosen">${e(x.title)}</span>`))}
<h2>${t.perTable}</h2>
${tables}
<h2>${t.statement}</h2>
${r.statement ? r.statement.split('\n').map((p) => `<p>${e(p)}</p>`).join('') : `<p><em>${t.none}</em></p>`}
<h2>${t.principles}</h2>
${list(r.principles.map(e))}
<h2>${t.tasks}</h2>
${list(r.tasks.map((x) => `${e(x.title)}${x.chosen ? ` — <strong>${t.chosenMark}</strong>` : ''}`))}
<h2>${t.rounds}</h2>
${charts || list(r.rounds.map((x) => `${e(x.title || x.id)}: ${x.voters} ${t.voters} (${t.notRevealed})`))}
<h2>${t.phases}</h2>
${list(r.phases.map((p) => `${time(p.start, lang)}: ${e(p.label)}`))}
</body>
</html>
`
}
