/** Replies of the organiser routes that shared/api.ts leaves unparsed, checked like every reply. */
import { z } from 'zod/mini'
import { SnapshotInfoSchema } from '../../shared/history.ts'
import { CardSchema } from '../../shared/schema.ts'
import { TaskSchema } from '../../shared/tasks.ts'

export const SnapshotListSchema = z.array(SnapshotInfoSchema)
export const RestoreReplySchema = z.object({ ok: z.literal(true) })

const CardVersionSchema = z.extend(CardSchema, { text: z.string() })
const changes = <T extends z.ZodMiniType>(item: T) =>
  z.object({
    added: z.array(item),
    removed: z.array(item),
    changed: z.array(z.object({ before: item, after: item, fields: z.array(z.string()) })),
  })

/** Mirrors BoardDiff in shared/diff.ts. */
export const BoardDiffSchema = z.object({
  cards: changes(CardVersionSchema),
  tasks: changes(TaskSchema),
  statementChanged: z.boolean(),
  tablesChanged: z.boolean(),
})
export type BoardDiffReply = z.infer<typeof BoardDiffSchema>
