/**
 * The one Tiptap editor, mounted only for the card being edited. Loaded lazily (React.lazy) so
 * Tiptap and ProseMirror stay out of the first screen's bundle.
 */
import { useRef } from 'react'
import { EditorContent, useEditor } from '@tiptap/react'
import StarterKit from '@tiptap/starter-kit'
import Collaboration from '@tiptap/extension-collaboration'
import CollaborationCaret from '@tiptap/extension-collaboration-caret'
import type * as Y from 'yjs'
import type { WebsocketProvider } from 'y-websocket'
import { type PresenceLabels, type PresenceUser, presenceName } from '../sync/presence.ts'
import { TextLimit } from './textLimit.ts'

export interface CardEditorProps {
  fragment: Y.XmlFragment
  provider: WebsocketProvider
  user: PresenceUser
  label: string
  /** Caret labels for a facilitator and for people whose name the server withholds. */
  labels: PresenceLabels
  /** The text reached MAX_CARD_TEXT_CHARS and an edit was refused. */
  onLimit?: () => void
}

/** The extension's own caret, except that the label is presenceName (role or withheld name). */
function caretFor(labels: PresenceLabels) {
  return (user: Record<string, unknown>): HTMLElement => {
    const color = typeof user.color === 'string' ? user.color : '#37474f'
    const caret = document.createElement('span')
    caret.classList.add('collaboration-carets__caret')
    caret.style.borderColor = color
    const label = document.createElement('div')
    label.classList.add('collaboration-carets__label')
    label.style.backgroundColor = color
    label.textContent = presenceName(user, labels)
    caret.append(label)
    return caret
  }
}

export default function CardEditor({ fragment, provider, user, label, labels, onLimit }: CardEditorProps) {
  const limitRef = useRef(onLimit)
  limitRef.current = onLimit
  const editor = useEditor(
    {
      extensions: [
        StarterKit.configure({ undoRedo: false }),
        Collaboration.configure({ fragment }),
        CollaborationCaret.configure({ provider, user, render: caretFor(labels) }),
        TextLimit.configure({ onLimit: () => limitRef.current?.() }),
      ],
      autofocus: 'end',
      editorProps: { attributes: { 'aria-label': label, 'aria-multiline': 'true', role: 'textbox' } },
    },
    [fragment, provider],
  )
  return <EditorContent editor={editor} className="card-editor-content" />
}
