/**
 * The presence state on the board's awareness, defined once: what a client may send and what the
 * server passes on after it stamped the fields that carry identity.
 *   user    {name, color, table, role, person}  CollaborationCaret reads and writes the same `user` field
 *   pointer {x, y} | null               world coordinates of the mouse on the canvas
 *   editing cardId | null
 *   cursor  {anchor, head} | null       y-tiptap's caret: Yjs relative positions as JSON
 *   view    {x, y, zoom} | null         a facilitator's view while follow-me is on (world centre and
 *                                       zoom); the server keeps it for facilitators only
 * The world pointer is NOT called `cursor`: y-tiptap's caret plugin owns `cursor` and would crash
 * reading a {x, y} there.
 */
import { z } from 'zod/mini'
import { ViewportSchema } from './control.ts'

/** Dark enough for white label text at ≥ 4.5:1 contrast. */
export const PRESENCE_PALETTE = [
  '#b3261e',
  '#7b3fa0',
  '#1d5fa8',
  '#00695c',
  '#8a4b00',
  '#ad1457',
  '#37474f',
  '#4a6b00',
] as const

/** Who a presence belongs to, as the server stamped it; viewers (projectors) have no presence. */
export const PresenceRole = { Participant: 'participant', Facilitator: 'facilitator' } as const
export type PresenceRole = (typeof PresenceRole)[keyof typeof PresenceRole]

const MAX_PRESENCE_NAME_CHARS = 80
/** Card and table ids are generated ids (16 characters); anything longer is not one. */
const MAX_PRESENCE_ID_CHARS = 64
const finite = z.number()
const uint = z.int().check(z.nonnegative())
const presenceId = z.string().check(z.minLength(1), z.maxLength(MAX_PRESENCE_ID_CHARS))

export const PresenceUserSchema = z.object({
  name: z.string().check(z.maxLength(MAX_PRESENCE_NAME_CHARS)),
  color: z.string().check(z.regex(/^#[0-9a-fA-F]{6}$/)),
  table: z.optional(z.nullable(presenceId)),
  role: z.optional(z.enum([PresenceRole.Participant, PresenceRole.Facilitator])),
  /**
   * Which person this presence is, stamped by the server: every tab and device of one participant
   * carries the same key, all facilitators share one. Opaque and per room, not the participant id.
   */
  person: z.optional(z.string().check(z.minLength(1), z.maxLength(MAX_PRESENCE_ID_CHARS))),
})
export type PresenceUser = z.infer<typeof PresenceUserSchema>

const YjsId = z.object({ client: uint, clock: uint })
/**
 * A Y.RelativePosition as JSON. y-tiptap stores the object itself, so absent parts arrive as null
 * (Y.relativePositionToJSON would omit them): both forms pass, nothing else does.
 */
const RelativePositionSchema = z.object({
  type: z.nullish(YjsId),
  tname: z.nullish(z.string().check(z.maxLength(MAX_PRESENCE_ID_CHARS))),
  item: z.nullish(YjsId),
  assoc: z.nullish(z.int()),
})

export const PointerSchema = z.object({ x: finite, y: finite })

/**
 * What an honest client sends. Objects strip unknown keys, so only these fields ever pass; `user`
 * may be missing (the provider announces `{}` before the board sets who we are).
 */
export const ClientPresenceSchema = z.object({
  user: z.optional(PresenceUserSchema),
  pointer: z.optional(z.nullable(PointerSchema)),
  editing: z.optional(z.nullable(presenceId)),
  cursor: z.optional(
    z.nullable(z.object({ anchor: RelativePositionSchema, head: RelativePositionSchema })),
  ),
})
export type ClientPresence = z.infer<typeof ClientPresenceSchema>

/**
 * What an honest facilitator sends: presence plus the view follow-me tracks. It travels here, not
 * in the control doc, so the 5 Hz stream of a followed session never enters the durable log.
 */
export const FacilitatorPresenceSchema = z.extend(ClientPresenceSchema, {
  view: z.optional(z.nullable(ViewportSchema)),
})

/** What others receive: the server always fills `user`; `view` only ever from a facilitator. */
export const PresenceStateSchema = z.extend(FacilitatorPresenceSchema, { user: PresenceUserSchema })
export type PresenceState = z.infer<typeof PresenceStateSchema>

const isPaletteColor = (c: string): boolean =>
  (PRESENCE_PALETTE as readonly string[]).includes(c.toLowerCase())

/** A colour from the palette: the client's choice if it is one, else one picked by `seed`. */
export function paletteColor(claimed: string | undefined, seed: number): string {
  if (claimed && isPaletteColor(claimed)) return claimed.toLowerCase()
  return PRESENCE_PALETTE[Math.abs(seed) % PRESENCE_PALETTE.length] ?? PRESENCE_PALETTE[0]
}

/** The person key every facilitator's presence carries: they are shown once, as the role. */
export const FACILITATOR_PERSON = 'facilitator'

/**
 * Groups presences by person (tabs and devices of one participant, or all facilitators): one entry
 * each, in the order the first of its presences comes. A presence without a key stands alone.
 */
export function groupByPerson<
  T extends { clientId: number; user: { person?: string | undefined } },
>(presences: readonly T[]): T[][] {
  const groups = new Map<string, T[]>()
  for (const p of presences) {
    const key = p.user.person ?? `client:${p.clientId}`
    const group = groups.get(key)
    if (group) group.push(p)
    else groups.set(key, [p])
  }
  return [...groups.values()]
}
