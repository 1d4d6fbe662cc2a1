/**
 * [issue 14.7] A pointer that stays on the same board point (as it does while its owner pans) is
 * not sent again: awareness sends the whole state on every set, changed or not.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Awareness } from 'y-protocols/awareness'
import { setPointer } from '../../client/sync/presence.ts'

function sentBy(awareness: Awareness): { count: () => number } {
  let n = 0
  awareness.on('update', (_changes: unknown, origin: unknown) => {
    if (origin === 'local') n++
  })
  return { count: () => n }
}

describe('setPointer', () => {
  it('sends a moved pointer, and not the same point again', () => {
    const awareness = new Awareness(new Y.Doc())
    awareness.setLocalState({ user: { name: 'Anna' } })
    const sent = sentBy(awareness)
    setPointer(awareness, { x: 10.2, y: 20.4 })
    setPointer(awareness, { x: 10.4, y: 19.6 }) // the same world px once rounded
    setPointer(awareness, { x: 11, y: 20 })
    setPointer(awareness, null)
    setPointer(awareness, null)
    expect(sent.count()).toBe(3)
    expect(awareness.getLocalState()).toEqual({ user: { name: 'Anna' }, pointer: null })
    awareness.destroy()
  })

  it('does nothing for someone who left (no local state)', () => {
    const awareness = new Awareness(new Y.Doc())
    awareness.setLocalState(null)
    const sent = sentBy(awareness)
    setPointer(awareness, { x: 1, y: 1 })
    expect(sent.count()).toBe(0)
    awareness.destroy()
  })
})
