/** Outcome scene: the shared statement (stip op de horizon), the principles and the chosen tasks. */
import { useEffect, useState } from 'react'
import type * as Y from 'yjs'
import { blocksPlainText, readBlocks } from '../../shared/richtext.ts'
import { boardRoot } from '../../shared/schema.ts'
import type { Principle } from '../../shared/tasks.ts'
import { CardBody } from '../cards/CardBody.tsx'
import { useI18n } from '../i18n/index.ts'
import { useVersionedMemo } from '../lib/useVersionedMemo.ts'

interface Props {
  board: Y.Doc
  principles: Principle[]
  chosen: ReadonlySet<string>
  titles: ReadonlyMap<string, string>
}

export function OutcomeScene({ board, principles, chosen, titles }: Props) {
  const { t } = useI18n()
  const fragment = boardRoot(board).statement
  const [version, setVersion] = useState(0)
  useEffect(() => {
    const bump = () => setVersion((v) => v + 1)
    fragment.observeDeep(bump)
    // a sync between the render and this effect fires no event we would hear
    bump()
    return () => fragment.unobserveDeep(bump)
  }, [fragment])
  const blocks = useVersionedMemo(() => readBlocks(fragment), [fragment], version)
  const chosenTitles = [...chosen].flatMap((id) => {
    const title = titles.get(id)
    return title ? [{ id, title }] : []
  })
  return (
    <section className="scene scene-outcome" data-testid="scene-outcome">
      <section className="outcome-statement" data-testid="outcome-statement">
        <h3 className="scene-heading">{t('present.statement')}</h3>
        {blocksPlainText(blocks).trim() ? (
          <CardBody blocks={blocks} />
        ) : (
          <p className="scene-empty-small">{t('present.statementEmpty')}</p>
        )}
      </section>
      <div className="outcome-lists">
        {principles.length > 0 && (
          <section data-testid="outcome-principles">
            <h3 className="scene-heading">{t('present.principles')}</h3>
            <ul className="outcome-list">
              {principles.map((p) => (
                <li key={p.id}>{p.text}</li>
              ))}
            </ul>
          </section>
        )}
        <section data-testid="outcome-chosen">
          <h3 className="scene-heading">{t('present.chosen')}</h3>
          {chosenTitles.length ? (
            <ul className="outcome-list">
              {chosenTitles.map((c) => (
                <li key={c.id}>{c.title}</li>
              ))}
            </ul>
          ) : (
            <p className="scene-empty-small">{t('present.chosenEmpty')}</p>
          )}
        </section>
      </div>
    </section>
  )
}
