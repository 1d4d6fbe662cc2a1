/**
 * The bench's peer client: the straightforward board a team would write first with the same
 * stack (stock y-websocket provider and server, React, Tiptap + Collaboration), with one live
 * editor per card and no culling. Same card layout and the same pan-by-drag as ours, so the
 * Chromium workload compares the two approaches on one board. Not part of the app.
 */
import { type PointerEvent, useEffect, useRef, useState } from 'react'
import { createRoot } from 'react-dom/client'
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { EditorContent, useEditor } from '@tiptap/react'
import StarterKit from '@tiptap/starter-kit'
import Collaboration from '@tiptap/extension-collaboration'
import { type Card, boardRoot, cardBody, listCards } from '../../../shared/schema.ts'

const params = new URLSearchParams(location.search)
const doc = new Y.Doc()
const provider = new WebsocketProvider(params.get('ws') ?? '', params.get('room') ?? '', doc, {
  disableBc: true,
})

function CardView({ card }: { card: Card }) {
  const fragment = cardBody(doc, card.id)
  const editor = useEditor({
    extensions: [
      StarterKit.configure({ undoRedo: false }),
      Collaboration.configure({ fragment: fragment ?? undefined }),
    ],
  })
  return (
    <div
      className="card"
      data-testid="card"
      style={{ left: card.x, top: card.y, width: card.w, height: card.h }}
    >
      <EditorContent editor={editor} />
    </div>
  )
}

function Board() {
  const [cards, setCards] = useState<Card[]>([])
  const [view, setView] = useState({ x: 32, y: 32, scale: 0.12 })
  const pan = useRef<{ x: number; y: number } | null>(null)
  useEffect(() => {
    const map = boardRoot(doc).cards
    const read = () => setCards(listCards(doc))
    map.observe(read)
    read()
    return () => map.unobserve(read)
  }, [])
  const down = (e: PointerEvent) => {
    pan.current = { x: e.clientX, y: e.clientY }
    e.currentTarget.setPointerCapture(e.pointerId)
  }
  const move = (e: PointerEvent) => {
    const p = pan.current
    if (!p) return
    setView((v) => ({ ...v, x: v.x + e.clientX - p.x, y: v.y + e.clientY - p.y }))
    pan.current = { x: e.clientX, y: e.clientY }
  }
  return (
    <div
      className="canvas"
      data-testid="board"
      onPointerDown={down}
      onPointerMove={move}
      onPointerUp={() => (pan.current = null)}
    >
      <div
        className="world"
        style={{ transform: `translate(${view.x}px, ${view.y}px) scale(${view.scale})` }}
      >
        {cards.map((c) => (
          <CardView key={c.id} card={c} />
        ))}
      </div>
    </div>
  )
}

provider.once('sync', () => createRoot(document.getElementById('root')!).render(<Board />))
