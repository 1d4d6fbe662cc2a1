/**
 * The card text limit in the editor (MAX_CARD_TEXT_CHARS): typing or pasting that would make the
 * text longer than the limit is refused and `onLimit` runs, so the panel can say why. Unlike
 * Tiptap's CharacterCount it lets every change that comes from the shared doc through (a peer's
 * text, the initial sync): refusing those would split the editor from the doc, and trimming them
 * would delete other people's words.
 */
import { Extension } from '@tiptap/core'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import { ySyncPluginKey } from '@tiptap/y-tiptap'
import { MAX_CARD_TEXT_CHARS } from '../../shared/limits.ts'

export interface TextLimitOptions {
  limit: number
  onLimit: () => void
}

const fromDoc = (meta: unknown) =>
  typeof meta === 'object' &&
  meta !== null &&
  (meta as { isChangeOrigin?: unknown }).isChangeOrigin === true

export const TextLimit = Extension.create<TextLimitOptions>({
  name: 'textLimit',
  addOptions() {
    return { limit: MAX_CARD_TEXT_CHARS, onLimit: () => {} }
  },
  addProseMirrorPlugins() {
    const { limit, onLimit } = this.options
    return [
      new Plugin({
        key: new PluginKey('textLimit'),
        filterTransaction(tr, state) {
          if (!tr.docChanged || fromDoc(tr.getMeta(ySyncPluginKey))) return true
          const next = tr.doc.textContent.length
          // shortening a card that is over the limit (written elsewhere) is always allowed
          if (next <= limit || next <= state.doc.textContent.length) return true
          onLimit()
          return false
        },
      }),
    ]
  },
})
