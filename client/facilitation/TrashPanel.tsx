/**
 * Recently deleted cards, for the facilitator: the server keeps a copy of every card it deletes
 * (the board's trash root) and puts one back on request. An undo for deletions across people,
 * since a participant's own undo only covers their own edits.
 */
import { useEffect, useId, useState } from 'react'
import type * as Y from 'yjs'
import { API, RestoreCardResponse } from '../../shared/api.ts'
import { plainText } from '../../shared/richtext.ts'
import { type Table, boardRoot, listTrash, trashedBody } from '../../shared/schema.ts'
import { apiCall } from '../lib/api.ts'
import { ErrorMessage } from '../lib/ErrorMessage.tsx'
import { loadFacilitatorKey } from '../lib/session.ts'
import { type ClientErrorCode, useI18n } from '../i18n/index.ts'
import { useVersionedMemo } from '../lib/useVersionedMemo.ts'

const PREVIEW_CHARS = 80

interface Props {
  board: Y.Doc
  workshopId: string
  tables: Table[]
  announce(message: string): void
}

export function TrashPanel({ board, workshopId, tables, announce }: Props) {
  const { t } = useI18n()
  const headingId = useId()
  const [version, setVersion] = useState(0)
  const [busy, setBusy] = useState<string | null>(null)
  const [error, setError] = useState<ClientErrorCode | null>(null)
  useEffect(() => {
    const trash = boardRoot(board).trash
    const bump = () => setVersion((v) => v + 1)
    trash.observeDeep(bump)
    // re-read once subscribed: a sync between the render and this effect fires no event we hear
    bump()
    return () => trash.unobserveDeep(bump)
  }, [board])
  // version stands for the trash's contents
  const items = useVersionedMemo(
    () =>
      listTrash(board).map((c) => {
        const body = trashedBody(board, c.id)
        const text = body ? plainText(body).slice(0, PREVIEW_CHARS) : ''
        return {
          ...c,
          text: text || t('card.empty'),
          table: tables.find((tb) => tb.id === c.table)?.name ?? t('card.noTable'),
        }
      }),
    [board, tables, t],
    version,
  )

  async function restore(id: string, text: string) {
    setBusy(id)
    setError(null)
    const r = await apiCall(API.restoreCard(workshopId, id), RestoreCardResponse, {
      method: 'POST',
      body: {},
      token: loadFacilitatorKey(workshopId) ?? undefined,
    })
    setBusy(null)
    if (r.ok) announce(t('perm.trashRestored', { text }))
    else setError(r.error)
  }

  return (
    <section className="side-section" aria-labelledby={headingId} data-testid="trash-panel">
      <h3 id={headingId}>{t('perm.trashHeading')}</h3>
      {items.length === 0 ? (
        <p className="hint">{t('perm.trashEmpty')}</p>
      ) : (
        <ul className="trash-list">
          {items.map((c) => (
            <li key={c.id} data-testid="trash-item">
              <span>
                {c.text} <span className="hint">({c.table})</span>
              </span>
              <button
                type="button"
                className="btn btn-small"
                aria-label={t('perm.trashRestoreFor', { text: c.text })}
                disabled={busy === c.id}
                onClick={() => void restore(c.id, c.text)}
              >
                {t('perm.trashRestore')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <ErrorMessage code={error} />
    </section>
  )
}
