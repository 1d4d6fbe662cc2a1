/**
 * Undo and redo keys inside a card editor. In the editor they belong to the text (Tiptap's
 * collaboration undo); the board's own undo listens on the window, so the editor stops them there.
 */
import type { KeyboardEvent } from 'react'

export type HistoryKey = 'undo' | 'redo'

/** Ctrl/Cmd+Z undoes; Ctrl/Cmd+Shift+Z and Ctrl/Cmd+Y redo (the same keys as the board's undo). */
export function historyKey(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>): HistoryKey | null {
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return null
  const key = e.key.toLowerCase()
  if (key === 'z') return e.shiftKey ? 'redo' : 'undo'
  if (key === 'y') return 'redo'
  return null
}
