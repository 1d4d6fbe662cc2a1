/**
 * The editor module, loaded on demand. The board preloads it once it is on screen, so a card can
 * still be edited after the connection (and with it the server of our chunks) drops. A failed load
 * is caught by a boundary and retried on the next edit instead of taking the board down.
 */
import { Component, type ReactNode, Suspense, lazy } from 'react'
import type { CardEditorProps } from './CardEditor.tsx'

let pending: Promise<typeof import('./CardEditor.tsx')> | null = null

export function loadEditor(): Promise<typeof import('./CardEditor.tsx')> {
  pending ??= import('./CardEditor.tsx').catch((err: unknown) => {
    pending = null
    throw err
  })
  return pending
}

let Editor = lazy(loadEditor)

class EditorBoundary extends Component<{ fallback: ReactNode; children: ReactNode }, { failed: boolean }> {
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
