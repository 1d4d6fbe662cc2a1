/**
 * The card editor's formatting toolbar: bold, italic, bullet and numbered list, undo and redo of
 * the text. One tab stop (roving tabindex, arrow keys move), so Tab goes from the toolbar straight
 * to the text. Part of the lazy editor chunk.
 *
 * Undo here is the person's one undo (the board's, which the editor drives): the same step as
 * Ctrl+Z in the text and the board toolbar's button, named the same way. Without a board around
 * the editor it is the editor's own text history.
 */
import { type KeyboardEvent, useContext, useRef, useState } from 'react'
import { type Editor, useEditorState } from '@tiptap/react'
import { yUndoPluginKey } from '@tiptap/y-tiptap'
import { type MessageKey, type Translate, useI18n } from '../i18n/index.ts'
import { history } from './historyKeys.ts'
import { type UndoApi, UndoContext, undoButtonName } from '../model/useUndo.ts'

interface Item {
  id: 'bold' | 'italic' | 'bulletList' | 'orderedList' | 'undo' | 'redo'
  label: MessageKey
  /** aria-keyshortcuts (Control is read as Cmd on a Mac by the editor's keymap). */
  keys: string
  /** SVG path data on a 24 × 24 grid, stroked (icons, not letters: the name is the label). */
  icon: string
  /** A mark or block that is on or off at the selection: the button shows aria-pressed. */
  toggle: boolean
}

const ITEMS: readonly Item[] = [
  {
    id: 'bold',
    label: 'format.bold',
    keys: 'Control+B',
    icon: 'M7 5h6a3.5 3.5 0 0 1 0 7H7zM7 12h7a3.5 3.5 0 0 1 0 7H7z',
    toggle: true,
  },
  {
    id: 'italic',
    label: 'format.italic',
    keys: 'Control+I',
    icon: 'M10 5h8M6 19h8M14 5l-4 14',
    toggle: true,
  },
  {
    id: 'bulletList',
    label: 'format.bulletList',
    keys: 'Control+Shift+8',
    icon: 'M4 7h.01M4 12h.01M4 17h.01M9 7h11M9 12h11M9 17h11',
    toggle: true,
  },
  {
    id: 'orderedList',
    label: 'format.orderedList',
    keys: 'Control+Shift+7',
    icon: 'M4 4.5l1.5-1V9M3.5 13.2a1.5 1.5 0 1 1 2.6 1L3.5 17.5h3M10 6h10M10 15h10',
    toggle: true,
  },
  {
    id: 'undo',
    label: 'format.undo',
    keys: 'Control+Z',
    icon: 'M9 14L4 9l5-5M4 9h10.5a5.5 5.5 0 0 1 0 11H11',
    toggle: false,
  },
  {
    id: 'redo',
    label: 'format.redo',
    keys: 'Control+Shift+Z Control+Y',
    icon: 'M15 14l5-5-5-5M20 9H9.5a5.5 5.5 0 0 0 0 11H13',
    toggle: false,
  },
]

type ItemState = Record<Item['id'], { on: boolean; can: boolean }>

function readState(editor: Editor): ItemState {
  const can = editor.can()
  return {
    bold: { on: editor.isActive('bold'), can: can.toggleBold() },
    italic: { on: editor.isActive('italic'), can: can.toggleItalic() },
    bulletList: { on: editor.isActive('bulletList'), can: can.toggleBulletList() },
    orderedList: { on: editor.isActive('orderedList'), can: can.toggleOrderedList() },
    undo: { on: false, can: can.undo() },
    redo: { on: false, can: can.redo() },
  }
}

/** A formatting command is one undo step of its own, apart from the typing around it. */
function stopCapturing(editor: Editor): void {
  const state: unknown = yUndoPluginKey.getState(editor.state)
  const um = (state as { undoManager?: { stopCapturing(): void } } | undefined)?.undoManager
  um?.stopCapturing()
}

/** Every command hands the caret back to the text, so typing goes on. */
function run(editor: Editor, id: Item['id']): void {
  if (id === 'undo' || id === 'redo') return history(editor, id)
  stopCapturing(editor)
  format(editor, id)
  stopCapturing(editor)
}

function format(editor: Editor, id: 'bold' | 'italic' | 'bulletList' | 'orderedList'): void {
  switch (id) {
    case 'bold':
      return void editor.chain().focus().toggleBold().run()
    case 'italic':
      return void editor.chain().focus().toggleItalic().run()
    case 'bulletList':
      return void editor.chain().focus().toggleBulletList().run()
    case 'orderedList':
      return void editor.chain().focus().toggleOrderedList().run()
  }
}

/** The undo and redo buttons' state and names from the person's undo, when there is one. */
function historyItem(
  t: Translate,
  undo: UndoApi | null,
  id: 'undo' | 'redo',
  editorCan: boolean,
): { can: boolean; name: string } {
  if (!undo) return { can: editorCan, name: t(id === 'undo' ? 'format.undo' : 'format.redo') }
  return { can: id === 'undo' ? undo.canUndo : undo.canRedo, name: undoButtonName(t, undo, id) }
}

export function FormatToolbar({ editor }: { editor: Editor }) {
  const { t } = useI18n()
  const undo = useContext(UndoContext)
  const state = useEditorState({ editor, selector: ({ editor: e }) => readState(e) })
  const [current, setCurrent] = useState(0)
  const buttons = useRef<(HTMLButtonElement | null)[]>([])

  function moveTo(index: number) {
    const next = (index + ITEMS.length) % ITEMS.length
    setCurrent(next)
    buttons.current[next]?.focus()
  }

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const step = { ArrowRight: 1, ArrowLeft: -1 }[e.key]
    if (step !== undefined) moveTo(current + step)
    else if (e.key === 'Home') moveTo(0)
    else if (e.key === 'End') moveTo(ITEMS.length - 1)
    else return
    e.preventDefault()
  }

  return (
    <div
      className="format-toolbar"
      role="toolbar"
      aria-label={t('format.label')}
      onKeyDown={onKeyDown}
    >
      {ITEMS.map((item, i) => {
        const h =
          item.id === 'undo' || item.id === 'redo'
            ? historyItem(t, undo, item.id, state[item.id].can)
            : null
        const s = { on: state[item.id].on, can: h?.can ?? state[item.id].can }
        const name = h?.name ?? t(item.label)
        return (
          <button
            key={item.id}
            ref={(el) => {
              buttons.current[i] = el
            }}
            type="button"
            className={`btn format-btn format-${item.id}`}
            tabIndex={i === current ? 0 : -1}
            aria-label={name}
            title={`${name} (${item.keys.split(' ')[0]!.replace('Control', 'Ctrl')})`}
            aria-keyshortcuts={item.keys}
            aria-pressed={item.toggle ? s.on : undefined}
            // focusable while unavailable, so the roving stop never vanishes under the keyboard
            aria-disabled={!s.can || undefined}
            // a pointer or a finger leaves the caret (and the on-screen keyboard) in the text
            onMouseDown={(e) => e.preventDefault()}
            onFocus={() => setCurrent(i)}
            onClick={() => s.can && run(editor, item.id)}
          >
            <svg
              className="format-icon"
              viewBox="0 0 24 24"
              width="22"
              height="22"
              aria-hidden="true"
              focusable="false"
            >
              <path d={item.icon} />
            </svg>
          </button>
        )
      })}
    </div>
  )
}
