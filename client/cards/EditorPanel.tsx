/**
 * The panel a card is written in: a non-modal dialog over the board that hosts the card's editor
 * at a fixed, readable size whatever the zoom, with the formatting toolbar. The card on the
 * canvas stays in place and shows that it is being edited; the board goes on around the panel.
 * Escape or "Klaar" closes it (the board returns focus to the card).
 */
import { type KeyboardEvent, useCallback, useEffect, useId, useLayoutEffect, useRef } from 'react'
import type { Editor } from '@tiptap/react'
import type { WebsocketProvider } from 'y-websocket'
import type * as Y from 'yjs'
import { readBlocks } from '../../shared/richtext.ts'
import type { Card } from '../../shared/schema.ts'
import { useI18n } from '../i18n/index.ts'
import type { PresenceUser } from '../sync/presence.ts'
import { history, historyKey } from './historyKeys.ts'
import { CardEditorPanel } from './LazyCardEditor.tsx'
import { useVersionedMemo } from '../lib/useVersionedMemo.ts'
import { type UndoApi, UndoContext } from '../model/useUndo.ts'

interface Props {
  card: Card
  fragment: Y.XmlFragment
  provider: WebsocketProvider
  user: PresenceUser
  /** Changes whenever the card's body does (for the text shown if the editor cannot load). */
  bodyVersion: number
  tableName: string | null
  /** Names of other people editing this card. */
  editors: string
  /** Bumped each time editing is asked for again while the panel is open: focus the text. */
  focusRequest: number
  onClose(): void
  /** Called once the panel is laid out, so the board can keep the card in sight beside it. */
  onShown?(panel: DOMRect): void
  /** The person's undo, which the editor drives (one history with the board's actions). */
  undo: UndoApi
}

export function EditorPanel(p: Props) {
  const { t } = useI18n()
  const headingId = useId()
  const ref = useRef<HTMLElement>(null)
  const editor = useRef<Editor | null>(null)
  const onEditor = useCallback((e: Editor | null) => {
    editor.current = e
  }, [])
  const blocks = useVersionedMemo(() => readBlocks(p.fragment), [p.fragment], p.bodyVersion)

  // once per card: after that the view is the person's to move
  const onShown = useRef(p.onShown)
  onShown.current = p.onShown
  useLayoutEffect(() => {
    const el = ref.current
    if (el) onShown.current?.(el.getBoundingClientRect())
  }, [p.card.id])

  // the first focus is the editor's own autofocus; later requests bring the caret back
  const firstRequest = useRef(p.focusRequest)
  useEffect(() => {
    if (p.focusRequest !== firstRequest.current) editor.current?.commands.focus()
  }, [p.focusRequest])

  function onKeyDown(e: KeyboardEvent<HTMLElement>) {
    if (e.key === 'Escape') {
      e.preventDefault()
      e.stopPropagation()
      p.onClose()
      return
    }
    // on the panel's own buttons too, undo goes through the editor: it puts the caret back
    const key = historyKey(e)
    if (!key) return
    e.preventDefault()
    e.stopPropagation()
    if (editor.current) history(editor.current, key)
  }

  return (
    <section
      ref={ref}
      className={`editor-panel kind-${p.card.kind}`}
      role="dialog"
      aria-modal="false"
      aria-labelledby={headingId}
      data-testid="editor-panel"
      data-card-id={p.card.id}
      onKeyDown={onKeyDown}
    >
      <header className="editor-panel-head">
        <div className="editor-panel-title">
          <h2 id={headingId}>{t('editor.heading', { kind: t(`kind.${p.card.kind}`) })}</h2>
          <p className="editor-panel-meta">
            {p.tableName ? t('zone.label', { name: p.tableName }) : t('card.noTable')}
            {p.editors && (
              <span className="card-editors"> · {t('card.editingBy', { name: p.editors })}</span>
            )}
          </p>
        </div>
        <button
          type="button"
          className="btn btn-primary"
          data-testid="editor-done"
          onClick={p.onClose}
        >
          {t('editor.done')}
        </button>
      </header>
      <UndoContext.Provider value={p.undo}>
        <CardEditorPanel
          fragment={p.fragment}
          provider={p.provider}
          user={p.user}
          blocks={blocks}
          onEditor={onEditor}
        />
      </UndoContext.Provider>
      <p className="hint editor-panel-hint">{t('editor.hint')}</p>
    </section>
  )
}
