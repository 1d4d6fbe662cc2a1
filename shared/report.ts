/**
 * The meeting report as data: built from the two docs (live or a snapshot) plus what only the
 * server knows (participant counts, names when the workshop is named, phase times from the log).
 * Markdown, printable HTML and JSON are renderings of this one structure.
 */
import type * as Y from 'yjs'
import { z } from 'zod'
import { type Anonymity, cardBody, listCards, listTables, readMeta, boardRoot } from './schema.ts'
import { plainText } from './richtext.ts'
import { listPrinciples, listTasks } from './tasks.ts'
import { listRounds, readChosen, readTally } from './control.ts'

export const ReportCardSchema = z.object({ text: z.string(), author: z.string().nullable() })

export const ReportSchema = z.object({
  title: z.string(),
  question: z.string(),
  language: z.enum(['nl', 'en']),
  anonymity: z.enum(['anonymous', 'table', 'named']),
  generatedAt: z.number(),
  participantsTotal: z.number().int(),
  tables: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      perspective: z.string(),
      participants: z.number().int(),
      visions: z.array(ReportCardSchema),
      needs: z.array(ReportCardSchema),
      other: z.array(ReportCardSchema),
    }),
  ),
  statement: z.string(),
  principles: z.array(z.string()),
  tasks: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      chosen: z.boolean(),
      fromCards: z.number().int(),
      results: z.array(
        z.object({
          roundId: z.string(),
          round: z.string(),
          dots: z.number(),
          scores: z.record(z.string(), z.number().nullable()),
          byTable: z.array(
            z.object({ table: z.string(), dots: z.number(), scores: z.record(z.string(), z.number().nullable()), voters: z.number() }),
          ),
        }),
      ),
    }),
  ),
  rounds: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      kind: z.enum(['dots', 'scores']),
      status: z.string(),
      voters: z.number().int(),
      revealed: z.boolean(),
      criteria: z.array(z.object({ id: z.string(), label: z.string() })),
    }),
  ),
  phases: z.array(z.object({ label: z.string(), start: z.number(), end: z.number().nullable() })),
})
export type Report = z.infer<typeof ReportSchema>

export interface ReportInputs {
  board: Y.Doc
  control: Y.Doc
  generatedAt: number
  participantsByTable: Map<string, number>
  /** participantId -> name; used only when the workshop is named. */
  names: Map<string, string>
  phases: { label: string; start: number; end: number | null }[]
}

export function buildReport(input: ReportInputs): Report {
  const meta = readMeta(input.board)
  const anonymity: Anonymity = meta?.anonymity ?? 'table'
  const tables = listTables(input.board)
  const tableName = new Map(tables.map((t) => [t.id, t.name]))
  const cards = listCards(input.board)
  const card = (c: (typeof cards)[number]) => ({
    text: plainText(cardBody(input.board, c.id)!),
    author: anonymity === 'named' ? (input.names.get(c.author) ?? null) : null,
  })
  const chosen = new Set(readChosen(input.control))
  const rounds = listRounds(input.control)
  const tallies = new Map(rounds.map((r) => [r.id, readTally(input.control, r.id)]))
  const tasks = listTasks(input.board).map((t) => ({
    id: t.id,
    title: t.title,
    chosen: chosen.has(t.id),
    fromCards: t.origin.length,
    results: rounds.flatMap((r) => {
      const tt = tallies.get(r.id)?.tasks.find((x) => x.taskId === t.id)
      if (!tt) return []
      return [
        {
          roundId: r.id,
          round: r.title,
          dots: tt.dots,
          scores: tt.scores,
          byTable: Object.entries(tt.byTable).map(([tableId, v]) => ({ table: tableName.get(tableId) ?? tableId, ...v })),
        },
      ]
    }),
  }))
  let total = 0
  for (const n of input.participantsByTable.values()) total += n
  return {
    title: meta?.title ?? '',
    question: meta?.question ?? '',
    language: meta?.language ?? 'nl',
    anonymity,
    generatedAt: input.generatedAt,
    participantsTotal: total,
    tables: tables.map((t) => {
      const at = cards.filter((c) => c.table === t.id)
      return {
        id: t.id,
        name: t.name,
        perspective: t.perspective,
        participants: input.participantsByTable.get(t.id) ?? 0,
        visions: at.filter((c) => c.kind === 'vision').map(card),
        needs: at.filter((c) => c.kind === 'need').map(card),
        other: at.filter((c) => c.kind !== 'vision' && c.kind !== 'need').map(card),
      }
    }),
    statement: plainText(boardRoot(input.board).statement),
    principles: listPrinciples(input.board).map((p) => p.text),
    tasks,
    rounds: rounds.map((r) => ({
      id: r.id,
      title: r.title,
      kind: r.kind,
      status: r.status,
      voters: tallies.get(r.id)?.voters ?? r.voterCount,
      revealed: r.status === 'revealed',
      criteria: r.criteria,
    })),
    phases: input.phases,
  }
}
