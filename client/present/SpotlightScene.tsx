/** Spotlight scene: one card or one task, as large as the screen allows. */
import type * as Y from 'yjs'
import type { Spotlight } from '../../shared/control.ts'
import { readBlocks } from '../../shared/richtext.ts'
import { cardBody } from '../../shared/schema.ts'
import { CardBody } from '../cards/CardBody.tsx'
import { useI18n } from '../i18n/index.ts'
import type { BoardSnapshot } from '../model/model.ts'

interface Props {
  board: Y.Doc
  spotlight: Spotlight | null
  snap: BoardSnapshot
  titles: ReadonlyMap<string, string>
}

export function SpotlightScene({ board, spotlight, snap, titles }: Props) {
  const { t } = useI18n()
  const card =
    spotlight?.kind === 'card' ? (snap.cards.find((c) => c.id === spotlight.id) ?? null) : null
  const fragment = card ? cardBody(board, card.id) : null
  const taskTitle = spotlight?.kind === 'task' ? titles.get(spotlight.id) : undefined
  const table = card ? snap.tables.find((tb) => tb.id === card.table) : undefined
  return (
    <section
      className="scene scene-spotlight"
      data-testid="scene-spotlight"
      style={table ? { ['--zone' as string]: table.color } : undefined}
    >
      {card && fragment ? (
        <>
          <p className="scene-sub">
            {table ? t('present.spotlightCard', { table: table.name }) : t(`kind.${card.kind}`)}
          </p>
          <div className="spotlight-text" data-testid="spotlight-text">
            <CardBody blocks={readBlocks(fragment)} />
          </div>
        </>
      ) : taskTitle !== undefined ? (
        <>
          <p className="scene-sub">{t('present.spotlightTask')}</p>
          <p className="spotlight-text spotlight-task" data-testid="spotlight-text">
            {taskTitle}
          </p>
        </>
      ) : (
        <p className="scene-empty">{t('present.spotlightGone')}</p>
      )}
    </section>
  )
}
