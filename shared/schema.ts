/**
 * The Yjs document layout of a workshop, defined once. Components, server and tests use these
 * accessors; nobody else names a shared type with a string literal.
 *
 * board doc:   meta (Y.Map), tables (Y.Map<id, Y.Map>), cards (Y.Map<id, Y.Map>),
 *              tasks (Y.Map<id, Y.Map>), principles (Y.Map<id, Y.Map>), statement (Y.XmlFragment),
 *              trash (Y.Map<card id, Y.Map>: a deleted card's fields and body, written by the server)
 * control doc: see control.ts
 */
import * as Y from 'yjs'
import { z } from 'zod/mini'
import { reportDropped } from './read-issues.ts'

export const BOARD_ROOT = {
  meta: 'meta',
  tables: 'tables',
  cards: 'cards',
  tasks: 'tasks',
  principles: 'principles',
  statement: 'statement',
  /** Recently deleted cards, copied there by the server so a facilitator can restore them. */
  trash: 'trash',
} as const
export type BoardRootName = (typeof BOARD_ROOT)[keyof typeof BOARD_ROOT]
/** The board's roots by shared type: the statement is rich text, the others are maps. */
export const BOARD_LAYOUT = {
  maps: [
    BOARD_ROOT.meta,
    BOARD_ROOT.tables,
    BOARD_ROOT.cards,
    BOARD_ROOT.tasks,
    BOARD_ROOT.principles,
    BOARD_ROOT.trash,
  ],
  fragments: [BOARD_ROOT.statement],
} as const

/** Accessors for the control doc live in control.ts. */
export const CONTROL_ROOT = {
  state: 'state',
  phases: 'phases',
  rounds: 'rounds',
  tallies: 'tallies',
  chosen: 'chosen',
} as const

export const CardKind = { Vision: 'vision', Need: 'need', Task: 'task', Note: 'note' } as const
export type CardKind = (typeof CardKind)[keyof typeof CardKind]
export const CardKindSchema = z.enum([CardKind.Vision, CardKind.Need, CardKind.Task, CardKind.Note])

export const Perspective = {
  Inwoner: 'inwoner',
  Management: 'management',
  OpenbaarBestuur: 'openbaar-bestuur',
  Other: 'other',
} as const
export type Perspective = (typeof Perspective)[keyof typeof Perspective]
export const PerspectiveSchema = z.enum([
  Perspective.Inwoner,
  Perspective.Management,
  Perspective.OpenbaarBestuur,
  Perspective.Other,
])

export const Anonymity = { Anonymous: 'anonymous', Table: 'table', Named: 'named' } as const
export type Anonymity = (typeof Anonymity)[keyof typeof Anonymity]
export const AnonymitySchema = z.enum([Anonymity.Anonymous, Anonymity.Table, Anonymity.Named])

/** Who may change cards: see shared/permissions.ts for what each scope allows. */
export const CardEditScope = {
  OwnTable: 'own-table',
  Everyone: 'everyone',
  OwnCards: 'own-cards',
} as const
export type CardEditScope = (typeof CardEditScope)[keyof typeof CardEditScope]
export const CARD_EDIT_SCOPES: readonly CardEditScope[] = [
  CardEditScope.OwnTable,
  CardEditScope.Everyone,
  CardEditScope.OwnCards,
]
export const CardEditScopeSchema = z.enum([
  CardEditScope.OwnTable,
  CardEditScope.Everyone,
  CardEditScope.OwnCards,
])

const finite = z.number()

export const RectSchema = z.object({
  x: finite,
  y: finite,
  w: finite.check(z.positive()),
  h: finite.check(z.positive()),
})
export type Rect = z.infer<typeof RectSchema>

export const TableSchema = z.extend(RectSchema, {
  id: z.string().check(z.minLength(1)),
  name: z.string().check(z.minLength(1), z.maxLength(80)),
  perspective: PerspectiveSchema,
  /** Hex colour; never the only cue: zones also carry name and pattern. */
  color: z.string().check(z.regex(/^#[0-9a-fA-F]{6}$/)),
  pattern: z.enum(['dots', 'lines', 'grid', 'none']),
  order: z.int(),
})
export type Table = z.infer<typeof TableSchema>

export const CardSchema = z.object({
  id: z.string().check(z.minLength(1)),
  kind: CardKindSchema,
  table: z.nullable(z.string()),
  x: finite,
  y: finite,
  w: finite.check(z.positive()),
  h: finite.check(z.positive()),
  author: z.string(),
  created: z.number(),
  /**
   * Slot order within the card's column of its table (shared/layout.ts); x/y of a card at a table
   * are not read. Absent on cards from before version 2: those sort by where they were put.
   */
  order: z.optional(finite),
  /** Where a card carried over into a follow-up workshop came from. */
  origin: z.optional(
    z.nullable(z.object({ workshop: z.string(), snapshot: z.string(), card: z.string() })),
  ),
})
export type Card = z.infer<typeof CardSchema>

export const MetaSchema = z.object({
  title: z.string(),
  question: z.string(),
  anonymity: AnonymitySchema,
  language: z.enum(['nl', 'en']),
  /** Mirrors of the workshop row's board policy (shared/permissions.ts); absent in older docs. */
  cardScope: z._default(CardEditScopeSchema, CardEditScope.OwnTable),
  sharedTextOpen: z._default(z.boolean(), false),
  /** Mirrors the row's threshold for a table's own tally (shared/tally-privacy.ts); absent in older docs. */
  minTableVoters: z.optional(z.int().check(z.positive())),
})
export type Meta = z.infer<typeof MetaSchema>
export type MetaInput = z.input<typeof MetaSchema>

/**
 * Layout version of the board doc, kept in `meta` under {@link META_SCHEMA_VERSION_KEY}. Bump it
 * with a step in shared/migrations.ts whenever the layout changes; version 1 is the layout of the
 * first build that wrote it (tests/fixtures/v0 was written by the one before, which had none).
 * Version 2: tables arrange their cards (shared/layout.ts) by the card's optional `order`.
 */
export const BOARD_SCHEMA_VERSION = 3
export const META_SCHEMA_VERSION_KEY = 'schemaVersion'

/** 0 when absent: a doc from before versions. */
/** Built once: the client checks the version on every update it receives (connection.ts). */
const SchemaVersion = z.int().check(z.nonnegative())
export function readBoardSchemaVersion(doc: Y.Doc): number {
  const parsed = SchemaVersion.safeParse(boardRoot(doc).meta.get(META_SCHEMA_VERSION_KEY))
  return parsed.success ? parsed.data : 0
}
export const writeBoardSchemaVersion = (doc: Y.Doc, version: number) =>
  boardRoot(doc).meta.set(META_SCHEMA_VERSION_KEY, version)

export const CARD_BODY = 'body'
export const CARD_SIZE = { w: 220, h: 140 } as const

/** Typed handles on the board doc's shared types. */
export function boardRoot(doc: Y.Doc) {
  return {
    meta: doc.getMap<unknown>(BOARD_ROOT.meta),
    tables: doc.getMap<Y.Map<unknown>>(BOARD_ROOT.tables),
    cards: doc.getMap<Y.Map<unknown>>(BOARD_ROOT.cards),
    tasks: doc.getMap<Y.Map<unknown>>(BOARD_ROOT.tasks),
    principles: doc.getMap<Y.Map<unknown>>(BOARD_ROOT.principles),
    statement: doc.getXmlFragment(BOARD_ROOT.statement),
    trash: doc.getMap<Y.Map<unknown>>(BOARD_ROOT.trash),
  }
}

function plain(map: Y.Map<unknown>, skip: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  // forEach, not entries(): Yjs builds that iterator from filter and map wrappers, a few closures a
  // step, and a 1,000-card board is read this way when it opens (twice as slow, in node)
  map.forEach((v, k) => {
    if (!skip.includes(k)) out[k] = v
  })
  return out
}

/**
 * The board as plain JSON. Roots are defined first: a doc filled only by applyUpdate has untyped
 * roots that Y.Doc#toJSON would report as undefined.
 */
export function boardToJSON(doc: Y.Doc): Record<string, unknown> {
  const root = boardRoot(doc)
  return Object.fromEntries(Object.entries(root).map(([k, v]) => [k, v.toJSON()]))
}

/** Values written by a peer are untrusted: read through the schema, drop what does not parse. */
export function readMeta(doc: Y.Doc): Meta | null {
  const meta = boardRoot(doc).meta
  const parsed = MetaSchema.safeParse(plain(meta))
  // an empty meta is a doc still loading, not a broken one
  if (!parsed.success && meta.size > 0) reportDropped(BOARD_ROOT.meta, 1)
  return parsed.success ? parsed.data : null
}

export function readTable(map: Y.Map<unknown>): Table | null {
  const parsed = TableSchema.safeParse(plain(map))
  return parsed.success ? parsed.data : null
}

export function listTables(doc: Y.Doc): Table[] {
  const out: Table[] = []
  let dropped = 0
  for (const map of boardRoot(doc).tables.values()) {
    const t = map instanceof Y.Map ? readTable(map) : null
    if (t) out.push(t)
    else dropped++
  }
  reportDropped(BOARD_ROOT.tables, dropped)
  return out.sort((a, b) => a.order - b.order)
}

export function readCard(map: Y.Map<unknown>): Card | null {
  const parsed = CardSchema.safeParse(plain(map, [CARD_BODY]))
  return parsed.success ? parsed.data : null
}

export function listCards(doc: Y.Doc): Card[] {
  const out: Card[] = []
  let dropped = 0
  for (const map of boardRoot(doc).cards.values()) {
    const c = map instanceof Y.Map ? readCard(map) : null
    if (c) out.push(c)
    else dropped++
  }
  reportDropped(BOARD_ROOT.cards, dropped)
  return out.sort((a, b) => a.created - b.created || (a.id < b.id ? -1 : 1))
}

export function cardMap(doc: Y.Doc, id: string): Y.Map<unknown> | null {
  const m = boardRoot(doc).cards.get(id)
  return m instanceof Y.Map ? m : null
}

export function cardBody(doc: Y.Doc, id: string): Y.XmlFragment | null {
  const body = cardMap(doc, id)?.get(CARD_BODY)
  return body instanceof Y.XmlFragment ? body : null
}

export interface NewCard extends Card {
  /** Optional first paragraph of plain text. */
  text?: string
}

export function addCard(doc: Y.Doc, card: NewCard): void {
  const { text, ...fields } = card
  const valid = CardSchema.parse(fields)
  doc.transact(() => {
    const map = new Y.Map<unknown>()
    for (const [k, v] of Object.entries(valid)) map.set(k, v)
    const body = new Y.XmlFragment()
    map.set(CARD_BODY, body)
    boardRoot(doc).cards.set(valid.id, map)
    if (text) {
      const p = new Y.XmlElement('paragraph')
      p.insert(0, [new Y.XmlText(text)])
      body.insert(0, [p])
    }
  })
}

export function moveCard(
  doc: Y.Doc,
  id: string,
  pos: { x: number; y: number; table?: string | null },
): void {
  const map = cardMap(doc, id)
  if (!map) return
  doc.transact(() => {
    map.set('x', pos.x)
    map.set('y', pos.y)
    if (pos.table !== undefined) map.set('table', pos.table)
  })
}

/**
 * Puts a card in a slot of a table (or, with table null, loose at x/y). Only fields that change
 * are written, so peers do not hear a move that was none.
 */
export function placeCard(
  doc: Y.Doc,
  id: string,
  place: { table: string | null; order?: number; kind?: CardKind; x?: number; y?: number },
): void {
  const map = cardMap(doc, id)
  if (!map) return
  const set = (key: string, value: unknown) => {
    if (value !== undefined && map.get(key) !== value) map.set(key, value)
  }
  doc.transact(() => {
    set('table', place.table)
    set('order', place.order === undefined ? undefined : CardSchema.shape.order.parse(place.order))
    set('kind', place.kind)
    set('x', place.x)
    set('y', place.y)
  })
}

export function setCardKind(doc: Y.Doc, id: string, kind: CardKind): void {
  cardMap(doc, id)?.set('kind', kind)
}

export function deleteCard(doc: Y.Doc, id: string): void {
  boardRoot(doc).cards.delete(id)
}

export function writeTable(doc: Y.Doc, table: Table): void {
  const valid = TableSchema.parse(table)
  doc.transact(() => {
    const map = new Y.Map<unknown>()
    for (const [k, v] of Object.entries(valid)) map.set(k, v)
    boardRoot(doc).tables.set(valid.id, map)
  })
}

export function writeMeta(doc: Y.Doc, meta: MetaInput): void {
  const valid = MetaSchema.parse(meta)
  const m = boardRoot(doc).meta
  doc.transact(() => {
    for (const [k, v] of Object.entries(valid)) m.set(k, v)
  })
}

/** Fields a trashed card carries beside the card's own: when and by whom it was deleted. */
export const TRASH_FIELDS = { deletedAt: 'deletedAt', deletedBy: 'deletedBy' } as const
/** The trash keeps the most recent deletions only: restore is an undo, not an archive. */
export const MAX_TRASHED_CARDS = 50

export const TrashedCardSchema = z.extend(CardSchema, {
  deletedAt: z.number(),
  deletedBy: z.string(),
})
export type TrashedCard = z.infer<typeof TrashedCardSchema>

/** Recently deleted cards, newest first. */
export function listTrash(doc: Y.Doc): TrashedCard[] {
  const out: TrashedCard[] = []
  let dropped = 0
  for (const map of boardRoot(doc).trash.values()) {
    const parsed =
      map instanceof Y.Map ? TrashedCardSchema.safeParse(plain(map, [CARD_BODY])) : null
    if (parsed?.success) out.push(parsed.data)
    else dropped++
  }
  reportDropped(BOARD_ROOT.trash, dropped)
  return out.sort((a, b) => b.deletedAt - a.deletedAt || (a.id < b.id ? -1 : 1))
}

export function trashedBody(doc: Y.Doc, id: string): Y.XmlFragment | null {
  const body = boardRoot(doc).trash.get(id)?.get(CARD_BODY)
  return body instanceof Y.XmlFragment ? body : null
}

/** A copy of a map's entries, shared types cloned (a Yjs type cannot sit in two places). */
function copyMap(from: Y.Map<unknown>, skip: readonly string[]): Y.Map<unknown> {
  const to = new Y.Map<unknown>()
  for (const [k, v] of from.entries())
    if (!skip.includes(k)) to.set(k, v instanceof Y.AbstractType ? v.clone() : v)
  return to
}

/**
 * Puts a deleted card's copy in the trash (server only). `copy` is `card.clone()`, taken before the
 * deletion was applied (a deleted card's content is gone). The oldest entries go once it is full.
 */
export function trashCard(
  doc: Y.Doc,
  copy: Y.Map<unknown>,
  id: string,
  deletedBy: string,
  deletedAt: number,
): void {
  const trash = boardRoot(doc).trash
  copy.set(TRASH_FIELDS.deletedAt, deletedAt)
  copy.set(TRASH_FIELDS.deletedBy, deletedBy)
  trash.set(id, copy)
  const excess = trash.size - MAX_TRASHED_CARDS
  if (excess <= 0) return
  const oldest = [...trash.entries()]
    .map(
      ([k, m]) => [k, m instanceof Y.Map ? Number(m.get(TRASH_FIELDS.deletedAt)) || 0 : 0] as const,
    )
    .sort((a, b) => a[1] - b[1])
    .slice(0, excess)
  for (const [k] of oldest) trash.delete(k)
}

/** Puts a trashed card back on the board as it was (server only); false if it is not there. */
export function restoreTrashed(doc: Y.Doc, id: string): boolean {
  const root = boardRoot(doc)
  const entry = root.trash.get(id)
  if (!(entry instanceof Y.Map) || !TrashedCardSchema.safeParse(plain(entry, [CARD_BODY])).success)
    return false
  doc.transact(() => {
    root.cards.set(id, copyMap(entry, Object.values(TRASH_FIELDS)))
    root.trash.delete(id)
  })
  return true
}
