/**
 * Fetches the editor module once. The board preloads it once it is on screen, so a card can still
 * be edited after the connection (and with it the server of our chunks) drops; a failed fetch is
 * tried again by the next call. Apart from ./LazyCardEditor.tsx, so the board's own chunk carries
 * only this, not the panels that render the editor.
 */
import { loadWithTexts } from '../i18n/index.ts'
import type * as CardEditorModule from './CardEditor.tsx'

let pending: Promise<typeof CardEditorModule> | null = null

export function loadEditor(): Promise<typeof CardEditorModule> {
  // its toolbar's texts are not in the board's part of the catalogue
  pending ??= loadWithTexts(() => import('./CardEditor.tsx'))().catch((err: unknown) => {
    pending = null
    throw err
  })
  return pending
}
