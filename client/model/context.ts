/**
 * What every card needs from the board, behind one stable object so memoised cards do not
 * re-render when the viewport or the list of cards changes.
 */
import { createContext, useContext } from 'react'
import type * as Y from 'yjs'
import type { WebsocketProvider } from 'y-websocket'
import type { Card, Table } from '../../shared/schema.ts'
import type { PresenceUser } from '../sync/presence.ts'

export interface BoardApi {
  doc: Y.Doc
  provider: WebsocketProvider
  user: PresenceUser
  readOnly: boolean
  /** The control doc, for a facilitator's "show on the projector" on a card; null for others. */
  projector: Y.Doc | null
  /** Current zoom, read at drag time. */
  scale(): number
  tables(): Table[]
  cards(): Card[]
  startEdit(id: string): void
  stopEdit(id: string): void
  announce(message: string): void
  /** Cards being dragged stay rendered even when culled. */
  setDragging(id: string | null): void
}

export const BoardContext = createContext<BoardApi | null>(null)

export function useBoardApi(): BoardApi {
  const api = useContext(BoardContext)
  if (!api) throw new Error('useBoardApi outside a board')
  return api
}
