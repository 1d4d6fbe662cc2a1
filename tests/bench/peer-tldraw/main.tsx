/**
 * The bench's tldraw peer: the board's cards as tldraw 5.4.2 notes of the same size at the same
 * world positions, the table zones as locked rectangles behind them, read from the stock
 * y-websocket server like the Tiptap peer (tests/bench/peer-client). The camera fits the whole
 * board, so tldraw culls none of the notes, and the hand tool is active, so dragging the canvas
 * pans as it does on ours. Fonts, icons and translations are bundled from @tldraw/assets: the page
 * makes no request off the host. Not part of the app.
 */
import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import { createRoot } from 'react-dom/client'
import { type Editor, NoteShapeUtil, type TLShapePartial, Tldraw, createShapeId, toRichText } from 'tldraw'
import 'tldraw/tldraw.css'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { plainText } from '../../../shared/richtext.ts'
import { cardBody, listCards, listTables } from '../../../shared/schema.ts'

const params = new URLSearchParams(location.search)
const doc = new Y.Doc()
const provider = new WebsocketProvider(params.get('ws') ?? '', params.get('room') ?? '', doc, { disableBc: true })
const synced = new Promise<void>((resolve) => provider.once('sync', () => resolve()))

const assetUrls = getAssetUrlsByImport()

// tldraw's note is 200 × 200 by default; each note takes its card's size from its meta instead,
// with a label small enough that a card's sentence fits without growing the note (rows stay apart)
const CardNote = NoteShapeUtil.configure({
  getCustomDisplayValues: (_editor, shape) => ({
    noteWidth: Number(shape.meta.w),
    noteHeight: Number(shape.meta.h),
    labelFontSize: 11,
    labelPadding: 5,
  }),
})
const shapeUtils = [CardNote]

function boardShapes(): TLShapePartial[] {
  const zones: TLShapePartial[] = listTables(doc).map((t) => ({
    id: createShapeId(`zone-${t.id}`),
    type: 'geo',
    x: t.x,
    y: t.y,
    isLocked: true,
    props: { geo: 'rectangle', w: t.w, h: t.h, dash: 'dashed', fill: 'semi', color: 'grey', font: 'sans', size: 's', verticalAlign: 'start', richText: toRichText(t.name) },
  }))
  const notes: TLShapePartial[] = listCards(doc).map((c) => ({
    id: createShapeId(c.id),
    type: 'note',
    x: c.x,
    y: c.y,
    meta: { w: c.w, h: c.h },
    props: { color: c.kind === 'need' ? 'light-blue' : 'yellow', font: 'sans', size: 's', richText: toRichText(plainText(cardBody(doc, c.id)!)) },
  }))
  return [...zones, ...notes]
}

async function show(editor: Editor) {
  editor.setCurrentTool('hand')
  await synced
  const shapes = boardShapes()
  editor.run(() => editor.createShapes(shapes), { history: 'ignore' })
  const made = editor.getCurrentPageShapes().length
  // the bench counts notes in the DOM; this makes a partial board fail here rather than look fast
  if (made !== shapes.length) throw new Error(`tldraw peer: made ${made} of ${shapes.length} shapes`)
  editor.zoomToFit()
}

createRoot(document.getElementById('root')!).render(
  <div className="board" data-testid="board">
    <Tldraw assetUrls={assetUrls} shapeUtils={shapeUtils} onMount={(editor) => void show(editor)} />
  </div>,
)
