/**
 * The editor module, loaded on demand (./loadEditor.ts). A failed load is caught by a boundary and
 * retried on the next edit instead of taking the board down. Only the lazy panels (the editor
 * panel, the statement, the list's cards) render these, so this module is not on the board's path.
 */
import { Component, type KeyboardEvent, type ReactNode, Suspense, lazy, useState } from 'react'
import { MAX_CARD_TEXT_CHARS } from '../../shared/limits.ts'
import type { WebsocketProvider } from 'y-websocket'
import type * as Y from 'yjs'
import type { Block } from '../../shared/richtext.ts'
import { useI18n } from '../i18n/index.ts'
import { type PresenceUser, presenceLabels } from '../sync/presence.ts'
import { CardBody } from './CardBody.tsx'
import type { CardEditorProps } from './CardEditor.tsx'
import { loadEditor } from './loadEditor.ts'

let Editor = lazy(loadEditor)

class EditorBoundary extends Component<
  { fallback: ReactNode; children: ReactNode },
  { failed: boolean }
> {
  override state = { failed: false }
  static getDerivedStateFromError() {
    return { failed: true }
  }
  override componentDidCatch() {
    // a fresh lazy component, so the next edit tries the download again
    Editor = lazy(loadEditor)
  }
  override render() {
    return this.state.failed ? this.props.fallback : this.props.children
  }
}

export function LazyCardEditor(props: CardEditorProps & { loading: ReactNode; failed: ReactNode }) {
  const { loading, failed, ...editorProps } = props
  return (
    <EditorBoundary fallback={failed}>
      <Suspense fallback={loading}>
        <Editor {...editorProps} />
      </Suspense>
    </EditorBoundary>
  )
}

/**
 * A card's editor as the editor panel and the list show it: the formatting toolbar over the text,
 * while the editor chunk loads a hint, and if it cannot load, the card's text as it stands.
 */
export function CardEditorPanel(p: {
  fragment: Y.XmlFragment
  provider: WebsocketProvider
  user: PresenceUser
  blocks: Block[]
  onKeyDown?(e: KeyboardEvent<HTMLDivElement>): void
  onEditor?: CardEditorProps['onEditor']
}) {
  const { t } = useI18n()
  // once the limit refused an edit, say so for as long as the editor is open
  const [full, setFull] = useState(false)
  return (
    <div className="card-editor" data-testid="card-editor" onKeyDown={p.onKeyDown}>
      <LazyCardEditor
        onLimit={() => setFull(true)}
        fragment={p.fragment}
        provider={p.provider}
        user={p.user}
        label={t('card.editorLabel')}
        labels={presenceLabels(t)}
        toolbar
        onEditor={p.onEditor}
        loading={<p className="hint">{t('card.editorLoading')}</p>}
        failed={
          <>
            <p className="error">{t('card.editorFailed')}</p>
            <CardBody blocks={p.blocks} />
          </>
        }
      />
      <p className="card-limit" role="status" data-testid="card-text-limit">
        {full ? t('card.textLimit', { max: MAX_CARD_TEXT_CHARS }) : ''}
      </p>
    </div>
  )
}
