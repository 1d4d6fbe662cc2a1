/**
 * The meeting report as data: built from the two docs (live or a snapshot) plus what only the
 * server knows (participant counts, names when the workshop is named, phase times from the log).
 * Markdown, printable HTML and JSON are renderings of this one structure.
 */
import type * as Y from 'yjs'
import { z } from 'zod/mini'
import {
  type Anonymity,
  type Table,
  cardBody,
  listCards,
  listTables,
  readMeta,
  boardRoot,
} from './schema.ts'
import { BlockSchema, plainText, readBlocks } from './richtext.ts'
import { allTasks, listPrinciples } from './tasks.ts'
import { OTHER_TABLES, type TallyPrivacy, protectTally } from './tally-privacy.ts'
import {
  type Criterion,
  listRounds,
  readChosen,
  readTally,
  roundCriteria,
  VoteKind,
} from './control.ts'
import { DEFAULT_CRITERIA, DEFAULT_PHASES } from './control-actions.ts'
import { DEFAULT_TEMPLATE } from './template.ts'
import {
  PERSPECTIVE_LABELS,
  REPORT_STRINGS,
  ROUND_KIND_LABELS,
  ROUND_STATUS_LABELS,
  type ReportLang,
} from './report-strings.ts'

export const ReportCardSchema = z.object({
  /** One line per block, for readers that want plain text. */
  text: z.string(),
  /** The card as written: lists, bold, italics (shared/richtext.ts). */
  rich: z.array(BlockSchema),
  author: z.nullable(z.string()),
})

const PerspectiveFields = {
  tableId: z.string(),
  perspective: z.string(),
  /** The perspective's name in the report's language. */
  perspectiveLabel: z.string(),
}

export const ReportSchema = z.object({
  title: z.string(),
  question: z.string(),
  /** The language the report was asked for: every label below follows it. */
  language: z.enum(['nl', 'en']),
  /** The language the workshop ran in (user text stays as typed). */
  workshopLanguage: z.enum(['nl', 'en']),
  anonymity: z.enum(['anonymous', 'table', 'named']),
  generatedAt: z.number(),
  participantsTotal: z.int(),
  tables: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      perspective: z.string(),
      perspectiveLabel: z.string(),
      participants: z.int(),
      visions: z.array(ReportCardSchema),
      needs: z.array(ReportCardSchema),
      other: z.array(ReportCardSchema),
    }),
  ),
  statement: z.string(),
  statementRich: z.array(BlockSchema),
  principles: z.array(z.string()),
  tasks: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      chosen: z.boolean(),
      fromCards: z.int(),
      /** Duplicates merged into this task, also those merged into one of them first. */
      merged: z.array(z.object({ id: z.string(), title: z.string() })),
      results: z.array(
        z.object({
          roundId: z.string(),
          round: z.string(),
          dots: z.number(),
          /** Mean score per criterion id; the round's `criteria` give their labels. */
          scores: z.record(z.string(), z.nullable(z.number())),
          byTable: z.array(
            z.object({
              table: z.string(),
              ...PerspectiveFields,
              dots: z.number(),
              scores: z.record(z.string(), z.nullable(z.number())),
              voters: z.number(),
            }),
          ),
        }),
      ),
    }),
  ),
  rounds: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      kind: z.enum(VoteKind),
      kindLabel: z.string(),
      status: z.string(),
      statusLabel: z.string(),
      voters: z.int(),
      /** Every table, also those where nobody voted; counts only once the result is revealed. */
      votersByTable: z.array(
        z.object({ table: z.string(), ...PerspectiveFields, voters: z.int() }),
      ),
      revealed: z.boolean(),
      /** Tables pooled into the "other tables" row (too few voted there), by name. */
      otherTables: z.array(z.string()),
      /** The threshold they fell under; null when no table was pooled. */
      pooledBelow: z.nullable(z.int()),
      /** What the round scored on; empty for a kind without criteria (dots), kept for readers. */
      criteria: z.array(z.object({ id: z.string(), label: z.string() })),
    }),
  ),
  phases: z.array(
    z.object({
      label: z.string(),
      start: z.number(),
      end: z.nullable(z.number()),
      durationMs: z.nullable(z.number()),
    }),
  ),
})
export type Report = z.infer<typeof ReportSchema>

export interface ReportInputs {
  /** The report's language; defaults to the workshop's. */
  lang?: ReportLang
  /**
   * Title, language and anonymity from the workshop row, which owns them: the board's meta only
   * mirrors them, and who is named in a report must not depend on a doc a peer can edit.
   */
  workshop: { title: string; language: ReportLang; anonymity: Anonymity } & Pick<
    TallyPrivacy,
    'minTableVoters'
  >
  board: Y.Doc
  control: Y.Doc
  generatedAt: number
  participantsByTable: Map<string, number>
  /** participantId -> name; used only when the workshop is named. */
  names: Map<string, string>
  phases: { label: string; start: number; end: number | null }[]
}

/**
 * Names that came from the defaults (template tables, agenda, criteria, question) in the workshop's
 * language, given in the report's language instead; anything the organiser typed stays as typed.
 */
function defaultsIn(from: ReportLang, to: ReportLang) {
  const same = from === to
  return {
    question: (q: string) =>
      !same && q === DEFAULT_TEMPLATE.question[from] ? DEFAULT_TEMPLATE.question[to] : q,
    table: (t: Pick<Table, 'name' | 'perspective'>) => {
      const d = DEFAULT_TEMPLATE.tables.find((x) => x.perspective === t.perspective)
      return !same && d && d.name[from] === t.name ? d.name[to] : t.name
    },
    phase: (name: string) => {
      const i = DEFAULT_PHASES[from].findIndex((p) => p.name === name)
      return same || i < 0 ? name : (DEFAULT_PHASES[to][i]?.name ?? name)
    },
    criterion: (c: Criterion): Criterion => {
      const d = DEFAULT_CRITERIA[from].find((x) => x.id === c.id && x.label === c.label)
      return same || !d
        ? c
        : { id: c.id, label: DEFAULT_CRITERIA[to].find((x) => x.id === c.id)?.label ?? c.label }
    },
  }
}

/** The task a merged one ended up in, following merges of merges; a cycle ends where it started. */
function survivorOf(tasks: readonly { id: string; mergedInto: string | null }[]) {
  const into = new Map(tasks.map((t) => [t.id, t.mergedInto]))
  return (id: string): string => {
    const seen = new Set<string>()
    let at = id
    while (!seen.has(at)) {
      seen.add(at)
      const next = into.get(at)
      if (next === null || next === undefined) return at
      at = next
    }
    return id
  }
}

export function buildReport(input: ReportInputs): Report {
  const meta = readMeta(input.board)
  const workshopLanguage = input.workshop.language
  const lang = input.lang ?? workshopLanguage
  const names = defaultsIn(workshopLanguage, lang)
  const anonymity = input.workshop.anonymity
  const tables = listTables(input.board)
  const perspectiveOf = (tableId: string) => {
    if (tableId === OTHER_TABLES) {
      const label = REPORT_STRINGS[lang].otherTables
      return { table: label, tableId, perspective: 'other', perspectiveLabel: label }
    }
    const t = tables.find((x) => x.id === tableId)
    return {
      table: t ? names.table(t) : tableId,
      tableId,
      perspective: t?.perspective ?? 'other',
      perspectiveLabel: PERSPECTIVE_LABELS[lang][t?.perspective ?? 'other'],
    }
  }
  const tableOrder = (tableId: string) => {
    const i = tables.findIndex((t) => t.id === tableId)
    return i < 0 ? tables.length : i
  }
  const cards = listCards(input.board)
  const card = (c: (typeof cards)[number]) => ({
    text: plainText(cardBody(input.board, c.id)!),
    rich: readBlocks(cardBody(input.board, c.id)!),
    author: anonymity === 'named' ? (input.names.get(c.author) ?? null) : null,
  })
  const chosen = new Set(readChosen(input.control))
  const rounds = listRounds(input.control)
  const privacy = { anonymity, minTableVoters: input.workshop.minTableVoters }
  // a doc revealed before tallies were pooled, or under another threshold, is pooled here too
  const tallies = new Map(
    rounds.map((r) => {
      const t = readTally(input.control, r.id)
      return [r.id, t && protectTally(t, privacy)]
    }),
  )
  const everyTask = allTasks(input.board)
  const survivor = survivorOf(everyTask)
  const tasks = everyTask
    .filter((t) => t.mergedInto === null)
    .map((t) => ({
      id: t.id,
      title: t.title,
      chosen: chosen.has(t.id),
      fromCards: t.origin.length,
      merged: everyTask
        .filter((d) => d.mergedInto !== null && survivor(d.id) === t.id)
        .map((d) => ({ id: d.id, title: d.title })),
      results: rounds.flatMap((r) => {
        const tt = tallies.get(r.id)?.tasks.find((x) => x.taskId === t.id)
        if (!tt) return []
        return [
          {
            roundId: r.id,
            round: r.title,
            dots: tt.dots,
            scores: tt.scores,
            // in the board's table order, not the tally's (sorted by id)
            byTable: Object.entries(tt.byTable)
              .sort(([a], [b]) => tableOrder(a) - tableOrder(b))
              .map(([tableId, v]) => ({ ...perspectiveOf(tableId), ...v })),
          },
        ]
      }),
    }))
  let total = 0
  for (const n of input.participantsByTable.values()) total += n
  return {
    title: input.workshop.title,
    question: names.question(meta?.question ?? ''),
    language: lang,
    workshopLanguage,
    anonymity,
    generatedAt: input.generatedAt,
    participantsTotal: total,
    tables: tables.map((t) => {
      const at = cards.filter((c) => c.table === t.id)
      return {
        id: t.id,
        name: names.table(t),
        perspective: t.perspective,
        perspectiveLabel: PERSPECTIVE_LABELS[lang][t.perspective],
        participants: input.participantsByTable.get(t.id) ?? 0,
        visions: at.filter((c) => c.kind === 'vision').map(card),
        needs: at.filter((c) => c.kind === 'need').map(card),
        other: at.filter((c) => c.kind !== 'vision' && c.kind !== 'need').map(card),
      }
    }),
    statement: plainText(boardRoot(input.board).statement),
    statementRich: readBlocks(boardRoot(input.board).statement),
    principles: listPrinciples(input.board).map((p) => p.text),
    tasks,
    rounds: rounds.map((r) => {
      const tally = tallies.get(r.id)
      return {
        id: r.id,
        title: r.title,
        kind: r.kind,
        kindLabel: ROUND_KIND_LABELS[lang][r.kind],
        status: r.status,
        statusLabel: ROUND_STATUS_LABELS[lang][r.status],
        voters: tally?.voters ?? r.voterCount,
        votersByTable: tally
          ? [
              ...tables
                .filter((t) => !tally.otherTables?.includes(t.id))
                .map((t) => ({ ...perspectiveOf(t.id), voters: tally.votersByTable[t.id] ?? 0 })),
              ...(tally.votersByTable[OTHER_TABLES] === undefined
                ? []
                : [{ ...perspectiveOf(OTHER_TABLES), voters: tally.votersByTable[OTHER_TABLES] }]),
            ]
          : [],
        revealed: r.status === 'revealed',
        otherTables: [...(tally?.otherTables ?? [])]
          .sort((a, b) => tableOrder(a) - tableOrder(b))
          .map((id) => perspectiveOf(id).table),
        pooledBelow: tally?.otherTables?.length
          ? (tally.pooledBelow ?? privacy.minTableVoters)
          : null,
        criteria: roundCriteria(r).map(names.criterion),
      }
    }),
    phases: input.phases.map((p) => ({
      ...p,
      label: names.phase(p.label),
      durationMs: p.end === null ? null : p.end - p.start,
    })),
  }
}
