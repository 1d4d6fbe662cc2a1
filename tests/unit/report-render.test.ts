import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  type Round,
  type RoundOf,
  RoundSchema,
  type Tally,
  writeRound,
  writeTally,
} from '../../shared/control.ts'
import { buildReport } from '../../shared/report.ts'
import { type Block, htmlBlocks, markdownLines, writeBlocks } from '../../shared/richtext.ts'
import { addCard, boardRoot, cardBody } from '../../shared/schema.ts'
import { addTask, mergeTasks } from '../../shared/tasks.ts'
import { DEFAULT_TEMPLATE, applyTemplate } from '../../shared/template.ts'
import { OTHER_TABLES } from '../../shared/tally-privacy.ts'
import { spreadMarkers } from '../../shared/matrix-layout.ts'
import { renderMarkdown } from '../../server/export/markdown.ts'
import { escapeHtml, renderHtml } from '../../server/export/html.ts'
import { makeCard } from '../fixtures/builders.ts'

const run = (text: string, ...marks: ('bold' | 'italic' | 'strike' | 'code')[]) => ({ text, marks })
const para = (...runs: ReturnType<typeof run>[]): Block => ({
  type: 'paragraph',
  runs,
  children: [],
})
const item = (...children: Block[]): Block => ({ type: 'listItem', runs: [], children })
const bullets = (...items: Block[]): Block => ({ type: 'bulletList', runs: [], children: items })
const numbered = (...items: Block[]): Block => ({ type: 'orderedList', runs: [], children: items })

/** A card as people write them: a bold lead-in, a list with a nested list, a numbered list. */
const RICH_CARD: Block[] = [
  para(run('Samen', 'bold'), run(' leren en '), run('echt', 'italic'), run(' doen')),
  bullets(
    item(para(run('Eerste punt'))),
    item(para(run('Tweede '), run('vet', 'bold')), bullets(item(para(run('genest'))))),
  ),
  numbered(item(para(run('een'))), item(para(run('twee')))),
]

const TABLE_IDS = ['tab-inwoner', 'tab-management', 'tab-bestuur']
const TASK = (i: number) => `task-${i}`

/** A dots round unless the overrides say otherwise; read as the doc reads it, per kind. */
function round(overrides: Partial<RoundOf<'dots'>> | Partial<RoundOf<'scores'>>): Round {
  return RoundSchema.parse({
    id: 'r-dots',
    title: 'Stippen',
    kind: 'dots',
    taskIds: [TASK(0), TASK(1), TASK(2)],
    dotsPerPerson: 5,
    maxPerTask: 5,
    criteria: [],
    status: 'revealed',
    openedAt: 1,
    closedAt: 2,
    voterCount: 0,
    ...overrides,
  })
}

const perTable = (dots: number, voters: number, scores: Record<string, number | null> = {}) => ({
  dots,
  scores,
  voters,
})

function meeting() {
  const board = new Y.Doc()
  const control = new Y.Doc()
  applyTemplate(board, DEFAULT_TEMPLATE, {
    title: 'Leertuin',
    language: 'nl',
    anonymity: 'table',
    tableIds: TABLE_IDS,
  })
  addCard(board, makeCard({ id: 'rich', table: TABLE_IDS[0]!, kind: 'vision' }))
  writeBlocks(cardBody(board, 'rich')!, RICH_CARD)
  writeBlocks(boardRoot(board).statement, [
    para(run('We kiezen ')),
    bullets(item(para(run('samen', 'bold'))), item(para(run('voor elkaar')))),
  ])
  ;['Kader', 'Leren', 'Subsidie', 'Kader (dubbel)', 'Kader (nog een)'].forEach((title, i) =>
    addTask(board, { id: TASK(i), title, origin: [], author: 'f', created: i }),
  )
  mergeTasks(board, TASK(3), [TASK(4)])
  mergeTasks(board, TASK(0), [TASK(3)])
  // list order Kader, Leren, Subsidie; ranked by dots: Subsidie 5, Kader 3, Leren 1
  writeRound(control, round({ voterCount: 5 }))
  // as an older build revealed it: a table of one voter in the doc, unpooled
  const dots: Tally = {
    roundId: 'r-dots',
    voters: 5,
    votersByTable: { [TABLE_IDS[0]!]: 4, [TABLE_IDS[1]!]: 1 },
    tasks: [
      {
        taskId: TASK(0),
        dots: 3,
        scores: {},
        byTable: { [TABLE_IDS[0]!]: perTable(2, 4), [TABLE_IDS[1]!]: perTable(1, 1) },
      },
      {
        taskId: TASK(1),
        dots: 1,
        scores: {},
        byTable: { [TABLE_IDS[0]!]: perTable(1, 4), [TABLE_IDS[1]!]: perTable(0, 1) },
      },
      {
        taskId: TASK(2),
        dots: 5,
        scores: {},
        byTable: { [TABLE_IDS[0]!]: perTable(5, 4), [TABLE_IDS[1]!]: perTable(0, 1) },
      },
    ],
  }
  writeTally(control, dots)
  const criteria = [
    { id: 'energie', label: 'Energie' },
    { id: 'impact', label: 'Impact' },
  ]
  writeRound(
    control,
    round({
      id: 'r-scores',
      title: 'Scores',
      kind: 'scores',
      criteria,
      openedAt: 3,
      voterCount: 3,
    }),
  )
  // Kader and Leren tie exactly: two markers on one spot unless drawn apart
  const tie = { energie: 4, impact: 4 }
  writeTally(control, {
    roundId: 'r-scores',
    voters: 3,
    votersByTable: { [TABLE_IDS[0]!]: 3 },
    tasks: [
      { taskId: TASK(0), dots: 0, scores: tie, byTable: { [TABLE_IDS[0]!]: perTable(0, 3, tie) } },
      { taskId: TASK(1), dots: 0, scores: tie, byTable: { [TABLE_IDS[0]!]: perTable(0, 3, tie) } },
      {
        taskId: TASK(2),
        dots: 0,
        scores: { energie: 2, impact: 1 },
        byTable: { [TABLE_IDS[0]!]: perTable(0, 3, { energie: 2, impact: 1 }) },
      },
    ],
  })
  const report = buildReport({
    workshop: { title: 'Leertuin', language: 'nl', anonymity: 'table', minTableVoters: 3 },
    board,
    control,
    generatedAt: 0,
    participantsByTable: new Map([
      [TABLE_IDS[0]!, 4],
      [TABLE_IDS[1]!, 1],
    ]),
    names: new Map(),
    phases: [],
  })
  return { report }
}

describe('a faithful report (issue #11 point 7)', () => {
  it('Markdown keeps bold, italics, lists and nested lists of a card', () => {
    const md = renderMarkdown(meeting().report, 'nl')
    const at = md.indexOf('- **Samen** leren en *echt* doen')
    expect(at).toBeGreaterThan(-1)
    expect(md.slice(at).split('\n').slice(0, 7)).toEqual([
      '- **Samen** leren en *echt* doen',
      '  - Eerste punt',
      '  - Tweede **vet**',
      '    - genest',
      '  1. een',
      '  2. twee',
      '',
    ])
    expect(md).toContain('We kiezen\n- **samen**\n- voor elkaar')
  })

  it('Markdown escapes text inside marks and keeps edge spaces outside the delimiters', () => {
    const esc = (s: string) => s.replace(/[*_<]/g, (c) => `\\${c}`)
    expect(
      markdownLines([para(run('a '), run(' b* ', 'bold'), run('<x>', 'italic'))], esc),
    ).toEqual(['a  **b\\*** *\\<x>*'])
    expect(markdownLines([para(run('x`y', 'code'))], esc)).toEqual(['``x`y``'])
  })

  it('HTML keeps the same structure as elements, every text escaped', () => {
    expect(htmlBlocks(RICH_CARD, escapeHtml)).toBe(
      '<p><strong>Samen</strong> leren en <em>echt</em> doen</p>' +
        '<ul><li><p>Eerste punt</p></li><li><p>Tweede <strong>vet</strong></p><ul><li><p>genest</p></li></ul></li></ul>' +
        '<ol><li><p>een</p></li><li><p>twee</p></li></ol>',
    )
    expect(htmlBlocks([para(run('<img src=x onerror=alert(1)>', 'bold'))], escapeHtml)).toBe(
      '<p><strong>&lt;img src=x onerror=alert(1)&gt;</strong></p>',
    )
    const html = renderHtml(meeting().report, 'nl')
    expect(html).toContain('<ul><li><p>Eerste punt</p></li>')
    expect(html).toContain(
      '<ul><li><p><strong>samen</strong></p></li><li><p>voor elkaar</p></li></ul>',
    )
  })

  it('bars and tally rows are ranked by result, not in list order', () => {
    const { report } = meeting()
    const html = renderHtml(report, 'nl')
    const dotsFigure = html.slice(
      html.indexOf('<ol class="bars">'),
      html.indexOf('</ol>', html.indexOf('<ol class="bars">')),
    )
    expect(
      [...dotsFigure.matchAll(/<span class="bar-label">([^<]*)<\/span>/g)].map((m) => m[1]),
    ).toEqual(['Subsidie', 'Kader', 'Leren'])
    const tally = html.match(/<table class="tally">[\s\S]*?<\/table>/)![0]
    expect([...tally.matchAll(/<th scope="row">([^<]*)<\/th>/g)].map((m) => m[1])).toEqual([
      'Subsidie',
      'Kader',
      'Leren',
    ])
    const md = renderMarkdown(report, 'nl')
    expect(md).toContain('  1. Subsidie: 5 stippen\n  2. Kader: 3 stippen\n  3. Leren: 1 stip')
  })

  it('the value has a column of its own and a title is never cut short', () => {
    const { report } = meeting()
    const long = 'Een heel lange opgave '.repeat(8).trim()
    report.tasks[2]!.title = long
    const html = renderHtml(report, 'nl')
    expect(html).toContain(`<span class="bar-label">${long}</span>`)
    expect(html).toMatch(/<span class="bar-value">5 stippen<\/span>/)
  })

  it('the scores round gets an energie × impact matrix as inline SVG, a marker per task, ties drawn apart', () => {
    const html = renderHtml(meeting().report, 'nl')
    const svg = html.match(/<svg role="img"[^>]*class="matrix"[\s\S]*?<\/svg>/)![0]
    expect(svg).not.toMatch(/href|url\(/)
    const markers = [
      ...svg.matchAll(/<g class="marker" data-n="(\d+)"><circle cx="([\d.]+)" cy="([\d.]+)"/g),
    ].map((m) => ({
      n: m[1],
      x: Number(m[2]),
      y: Number(m[3]),
    }))
    expect(markers.map((m) => m.n).sort()).toEqual(['1', '2', '3'])
    const [a, b] = [markers.find((m) => m.n === '1')!, markers.find((m) => m.n === '2')!]
    expect(Math.hypot(a.x - b.x, a.y - b.y)).toBeGreaterThanOrEqual(26)
    // the moved one keeps a line back to its true spot
    expect(svg).toContain('<line x1=')
    expect(html).toMatch(
      /<ol class="matrix-legend"><li value="1"><span class="title">Kader<\/span>: Energie 4, Impact 4/,
    )
  })

  it('markers are placed without overlap, inside the plot, however many tie', () => {
    const placed = spreadMarkers(
      Array.from({ length: 12 }, (_, i) => ({ id: String(i), x: 400, y: 20 })),
      26,
      420,
      420,
    )
    for (const p of placed) {
      expect(p.mx).toBeGreaterThanOrEqual(13)
      expect(p.mx).toBeLessThanOrEqual(407)
      expect(p.my).toBeGreaterThanOrEqual(13)
      for (const q of placed)
        if (q !== p) expect(Math.hypot(p.mx - q.mx, p.my - q.my)).toBeGreaterThanOrEqual(26 - 1e-9)
    }
  })

  it('merged tasks are listed under the task they were merged into, merges of merges too', () => {
    const { report } = meeting()
    expect(report.tasks.map((t) => t.title)).toEqual(['Kader', 'Leren', 'Subsidie'])
    expect(report.tasks[0]!.merged.map((m) => m.title)).toEqual([
      'Kader (dubbel)',
      'Kader (nog een)',
    ])
    expect(renderMarkdown(report, 'nl')).toContain(
      '- Kader\n  - samengevoegd: Kader \\(dubbel\\)\n  - samengevoegd: Kader \\(nog een\\)',
    )
    expect(renderHtml(report, 'nl')).toContain(
      '<ul class="merged"><li>samengevoegd: Kader (dubbel)</li><li>samengevoegd: Kader (nog een)</li></ul>',
    )
  })

  it('a tally stored unpooled is pooled in the report: the table of one voter has no column of its own', () => {
    const { report } = meeting()
    const dots = report.rounds.find((r) => r.id === 'r-dots')!
    // a pool of one would be total minus Inwoner, so Inwoner joins it
    expect(dots.votersByTable.map((v) => [v.tableId, v.voters])).toEqual([
      [TABLE_IDS[2], 0],
      [OTHER_TABLES, 5],
    ])
    expect(dots.otherTables).toEqual(['Inwoner', 'Management'])
    const kader = report.tasks[0]!.results.find((r) => r.roundId === 'r-dots')!
    expect(kader.byTable.map((b) => [b.table, b.dots])).toEqual([['Overige tafels', 3]])
    const html = renderHtml(report, 'nl')
    expect(html).toContain('<th scope="col">Overige tafels<br><small>5 stemmers</small></th>')
    expect(html).toContain(
      'Overige tafels: Inwoner, Management (samen getoond: aan een tafel met minder dan 3 stemmers',
    )
    expect(renderMarkdown(report, 'nl')).toContain('(per perspectief: Overige tafels: 3 stippen)')
  })
})
