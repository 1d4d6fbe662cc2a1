/**
 * The bench's tldraw peer: the board's cards as tldraw 5.4.2 notes, placed by our own layout
 * (shared/layout.ts: two columns per table, zones grown to hold them) at the height our cards
 * measure on the bench board (one sentence: CARD_MIN_H; the bench reports the heights ours measured), the zones as locked rectangles behind them; read from the stock
 * y-websocket server like the Tiptap peer (tests/bench/peer-client). The camera fits the whole
 * board, so tldraw culls none of the notes, and the hand tool is active, so dragging the canvas
 * pans as it does on ours. The editor is left on `window.benchEditor` for the bench to move the
 * camera to its views. Fonts, icons and translations are bundled from @tldraw/assets: the page
 * makes no request off the host. Not part of the app.
 */
import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import { createRoot } from 'react-dom/client'
import {
  type Editor,
  NoteShapeUtil,
  type TLShapePartial,
  Tldraw,
  createShapeId,
  toRichText,
} from 'tldraw'
import 'tldraw/tldraw.css'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { CARD_MIN_H, layoutBoard } from '../../../shared/layout.ts'
import { plainText } from '../../../shared/richtext.ts'
import { cardBody, listCards, listTables } from '../../../shared/schema.ts'

const params = new URLSearchParams(location.search)
const doc = new Y.Doc()
const provider = new WebsocketProvider(params.get('ws') ?? '', params.get('room') ?? '', doc, {
  disableBc: true,
})
const synced = new Promise<void>((resolve) => provider.once('sync', () => resolve()))

const assetUrls = getAssetUrlsByImport()

// tldraw's note is 200 × 200 by default; each note takes its card's box from its meta instead,
// with a label that lets a card's sentence fit without growing the note (cards stay apart)
const CardNote = NoteShapeUtil.configure({
  getCustomDisplayValues: (_editor, shape) => ({
    noteWidth: Number(shape.meta.w),
    noteHeight: Number(shape.meta.h),
    labelFontSize: 14,
    labelPadding: 12,
  }),
})
/** tldraw's default stops at 5 %; the whole 1,000-card board needs less to be in view. */
const ZOOM_STEPS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8]
const shapeUtils = [CardNote]

function boardShapes(): TLShapePartial[] {
  const tables = listTables(doc)
  const cards = listCards(doc)
  const layout = layoutBoard({ tables, cards, height: () => CARD_MIN_H })
  const zones: TLShapePartial[] = tables.map((t) => {
    const z = layout.zones.get(t.id)!
    return {
      id: createShapeId(`zone-${t.id}`),
      type: 'geo',
      x: z.x,
      y: z.y,
      isLocked: true,
      props: {
        geo: 'rectangle',
        w: z.w,
        h: z.h,
        dash: 'dashed',
        fill: 'semi',
        color: 'grey',
        font: 'sans',
        size: 'xl',
        verticalAlign: 'start',
        richText: toRichText(t.name),
      },
    }
  })
  const notes: TLShapePartial[] = cards.map((c) => {
    const b = layout.boxes.get(c.id)!
    return {
      id: createShapeId(c.id),
      type: 'note',
      x: b.x,
      y: b.y,
      meta: { w: b.w, h: b.h },
      props: {
        color: c.kind === 'need' ? 'light-blue' : 'yellow',
        font: 'sans',
        size: 's',
        richText: toRichText(plainText(cardBody(doc, c.id)!)),
      },
    }
  })
  return [...zones, ...notes]
}

async function show(editor: Editor) {
  ;(window as unknown as { benchEditor: Editor }).benchEditor = editor
  editor.setCurrentTool('hand')
  await synced
  const shapes = boardShapes()
  editor.run(() => editor.createShapes(shapes), { history: 'ignore' })
  const made = editor.getCurrentPageShapes().length
  // the bench counts notes in the DOM; this makes a partial board fail here rather than look fast
  if (made !== shapes.length)
    throw new Error(`tldraw peer: made ${made} of ${shapes.length} shapes`)
  editor.setCameraOptions({ zoomSteps: ZOOM_STEPS })
  editor.zoomToFit()
}

createRoot(document.getElementById('root')!).render(
  <div className="board" data-testid="board">
    <Tldraw assetUrls={assetUrls} shapeUtils={shapeUtils} onMount={(editor) => void show(editor)} />
  </div>,
)
