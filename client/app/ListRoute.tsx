/** `/w/:id/list`: the board route's credential handling, with the list instead of the canvas. */
import { useState } from 'react'
import { BoardRoute } from './BoardRoute.tsx'
import { listMode } from '../model/list-route.ts'

export function ListRoute({ id, hash }: { id: string; hash: string }) {
  const [mode] = useState(() => listMode(id, hash))
  return <BoardRoute mode={mode} id={id} hash={hash} view="list" />
}
