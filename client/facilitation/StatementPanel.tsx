/**
 * The shared statement (stip op de horizon): static rich text for everyone, and the same lazy
 * Tiptap editor the cards use, bound to the board's statement fragment, while someone edits it.
 */
import { useEffect, useId, useState } from 'react'
import type { WebsocketProvider } from 'y-websocket'
import type * as Y from 'yjs'
import { readBlocks } from '../../shared/richtext.ts'
import { boardRoot } from '../../shared/schema.ts'
import { CardBody } from '../cards/CardBody.tsx'
import { LazyCardEditor } from '../cards/LazyCardEditor.tsx'
import { useI18n } from '../i18n/index.ts'
import { type PresenceUser, presenceLabels } from '../sync/presence.ts'
import { useSharedTextOpen } from '../cards/useCardPermission.ts'
import { useVersionedMemo } from '../lib/useVersionedMemo.ts'

interface Props {
  board: Y.Doc
  provider: WebsocketProvider
  user: PresenceUser | null
  /** Board writes allowed right now (not a viewer, not locked). */
  canEdit: boolean
  facilitator: boolean
}

export function StatementPanel({
  board,
  provider,
  user,
  canEdit: boardWritable,
  facilitator,
}: Props) {
  const { t } = useI18n()
  // participants write the statement only while the facilitator has opened it (the server refuses otherwise)
  const open = useSharedTextOpen(board, facilitator)
  const canEdit = boardWritable && open
  const headingId = useId()
  const fragment = boardRoot(board).statement
  const [version, setVersion] = useState(0)
  const [editing, setEditing] = useState(false)
  useEffect(() => {
    const bump = () => setVersion((v) => v + 1)
    fragment.observeDeep(bump)
    // re-read once subscribed: a sync between the render and this effect fires no event we hear
    bump()
    return () => fragment.unobserveDeep(bump)
  }, [fragment])
  const blocks = useVersionedMemo(() => readBlocks(fragment), [fragment], version)
  const showEditor = editing && canEdit && user

  return (
    <section
      className="side-section statement"
      aria-labelledby={headingId}
      data-testid="statement-panel"
    >
      <h3 id={headingId}>{t('task.statementHeading')}</h3>
      {showEditor ? (
        <div
          className="card-editor statement-editor"
          data-testid="statement-editor"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault()
              setEditing(false)
            }
          }}
        >
          <LazyCardEditor
            fragment={fragment}
            provider={provider}
            user={user}
            label={t('task.statementEditorLabel')}
            labels={presenceLabels(t)}
            loading={<p className="hint">{t('card.editorLoading')}</p>}
            failed={<p className="error">{t('card.editorFailed')}</p>}
          />
        </div>
      ) : blocks.length > 0 ? (
        <div className="statement-text">
          <CardBody blocks={blocks} />
        </div>
      ) : (
        <p className="hint">{t('task.statementEmpty')}</p>
      )}
      {boardWritable && !open && (
        <p className="hint" data-testid="statement-closed">
          {t('perm.sharedTextClosed')}
        </p>
      )}
      {canEdit && user && (
        <button
          type="button"
          className="btn btn-small"
          data-testid="statement-edit"
          onClick={() => setEditing((v) => !v)}
        >
          {editing ? t('task.statementDone') : t('task.statementEdit')}
        </button>
      )}
    </section>
  )
}
