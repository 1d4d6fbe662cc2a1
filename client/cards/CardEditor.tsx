/**
 * The one Tiptap editor, mounted only for the card being edited. Loaded lazily (React.lazy) so
 * Tiptap and ProseMirror stay out of the first screen's bundle.
 */
import { EditorContent, useEditor } from '@tiptap/react'
import StarterKit from '@tiptap/starter-kit'
import Collaboration from '@tiptap/extension-collaboration'
import CollaborationCaret from '@tiptap/extension-collaboration-caret'
import type * as Y from 'yjs'
import type { WebsocketProvider } from 'y-websocket'
import type { PresenceUser } from '../sync/presence.ts'

export interface CardEditorProps {
  fragment: Y.XmlFragment
  provider: WebsocketProvider
  user: PresenceUser
  label: string
}

export default function CardEditor({ fragment, provider, user, label }: CardEditorProps) {
  const editor = useEditor(
    {
      extensions: [
        StarterKit.configure({ undoRedo: false }),
        Collaboration.configure({ fragment }),
        CollaborationCaret.configure({ provider, user }),
      ],
      autofocus: 'end',
      editorProps: { attributes: { 'aria-label': label, 'aria-multiline': 'true', role: 'textbox' } },
    },
    [fragment, provider],
  )
  return <EditorContent editor={editor} className="card-editor-content" />
}
