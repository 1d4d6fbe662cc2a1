/**
 * Undo and redo keys inside a card editor. The editor drives the person's one undo (the board's)
 * through Tiptap's collaboration commands, which put the caret back; the board's key handler on
 * the window would run the same step again, so the editor stops the keys there.
 */
import type { KeyboardEvent } from 'react'

export type HistoryKey = 'undo' | 'redo'

/** Ctrl/Cmd+Z undoes; Ctrl/Cmd+Shift+Z and Ctrl/Cmd+Y redo (the same keys as the board's undo). */
export function historyKey(
  e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>,
): HistoryKey | null {
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return null
  const key = e.key.toLowerCase()
  if (key === 'z') return e.shiftKey ? 'redo' : 'undo'
  if (key === 'y') return 'redo'
  return null
}

/** The part of a Tiptap editor that undo and redo need (a type only: this module stays light). */
interface HistoryEditor {
  view: { focus(): void }
  commands: { undo(): boolean; redo(): boolean }
}

/**
 * Undo or redo of the text, with the caret back in it first: with the view blurred, y-tiptap
 * restores the step's selection against a stale one and throws ("Position n out of range"),
 * leaving the text behind the shared doc.
 */
export function history(editor: HistoryEditor, key: HistoryKey): void {
  editor.view.focus()
  if (key === 'undo') editor.commands.undo()
  else editor.commands.redo()
}
