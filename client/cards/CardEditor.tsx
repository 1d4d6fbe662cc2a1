/**
 * The one Tiptap editor, mounted only for the card being edited. Loaded lazily (React.lazy) so
 * Tiptap and ProseMirror stay out of the first screen's bundle.
 */
import { type KeyboardEvent, useContext, useEffect, useMemo, useRef } from 'react'
import { type Editor, EditorContent, useEditor } from '@tiptap/react'
import StarterKit from '@tiptap/starter-kit'
import Collaboration from '@tiptap/extension-collaboration'
import CollaborationCaret from '@tiptap/extension-collaboration-caret'
import { ySyncPluginKey } from '@tiptap/y-tiptap'
import type * as Y from 'yjs'
import type { WebsocketProvider } from 'y-websocket'
import { type PresenceLabels, type PresenceUser, presenceName } from '../sync/presence.ts'
import { TextLimit } from './textLimit.ts'
import { FormatToolbar } from './FormatToolbar.tsx'
import { history, historyKey } from './historyKeys.ts'
import { UndoContext } from '../model/useUndo.ts'
import { sharedUndo } from '../model/sharedUndo.ts'

export interface CardEditorProps {
  fragment: Y.XmlFragment
  provider: WebsocketProvider
  user: PresenceUser
  label: string
  /** Caret labels for a facilitator and for people whose name the server withholds. */
  labels: PresenceLabels
  /** The text reached MAX_CARD_TEXT_CHARS and an edit was refused. */
  onLimit?: () => void
  /** The formatting toolbar above the text (cards); the statement editor goes without. */
  toolbar?: boolean
  /** The editor once it exists, and null when it goes (for the panel's own keys). */
  onEditor?(editor: Editor | null): void
}

const NO_UNDO = { undo: () => false, redo: () => false }

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

export default function CardEditor({
  fragment,
  provider,
  user,
  label,
  labels,
  onLimit,
  toolbar = false,
  onEditor,
}: CardEditorProps) {
  const limitRef = useRef(onLimit)
  limitRef.current = onLimit
  // the screen's undo is this editor's history too: typing and board actions, one list of steps
  const undo = useContext(UndoContext)
  const undoRef = useRef(undo)
  undoRef.current = undo
  const manager = undo?.manager ?? null
  const yUndoOptions = useMemo(
    () => {
      if (!manager) return undefined
      // the sync plugin writes the text under its own origin; y-tiptap adds that origin only to a
      // manager it makes itself. Idempotent (a set), and done before the editor's first write.
      manager.addTrackedOrigin(ySyncPluginKey)
      return { undoManager: sharedUndo(manager, () => undoRef.current ?? NO_UNDO) }
    },
    // an editor made anew (another fragment) drops the old one's listeners before it listens
    [manager],
  )
  const editor = useEditor(
    {
      extensions: [
        StarterKit.configure({ undoRedo: false }),
        Collaboration.configure({ fragment, yUndoOptions }),
        CollaborationCaret.configure({ provider, user, render: caretFor(labels) }),
        TextLimit.configure({ onLimit: () => limitRef.current?.() }),
      ],
      autofocus: 'end',
      editorProps: {
        attributes: { 'aria-label': label, 'aria-multiline': 'true', role: 'textbox' },
      },
    },
    [fragment, provider, yUndoOptions],
  )
  useEffect(() => {
    onEditor?.(editor)
    return () => onEditor?.(null)
  }, [editor, onEditor])

  const body = useRef<HTMLDivElement>(null)
  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    // Alt+F10 reaches the toolbar from the text (as in other editors): in a list Shift+Tab outdents
    if (e.altKey && e.key === 'F10') {
      e.preventDefault()
      body.current?.querySelector<HTMLElement>('[role="toolbar"] [tabindex="0"]')?.focus()
      return
    }
    // Ctrl+Z on a toolbar button: the same one history, through the editor (caret, one handler)
    const key = historyKey(e)
    if (!key) return
    e.stopPropagation()
    if (e.defaultPrevented) return
    e.preventDefault()
    history(editor, key)
  }

  return (
    <div ref={body} className="card-editor-body" onKeyDown={onKeyDown}>
      {toolbar && <FormatToolbar editor={editor} />}
      <EditorContent editor={editor} className="card-editor-content" />
    </div>
  )
}
