/** Listeners by key, a lone one kept as itself (client/lib/keyedListeners.ts): Set semantics. */
import { describe, expect, it } from 'vitest'
import { KeyedListeners } from '../../client/lib/keyedListeners.ts'

describe('keyed listeners', () => {
  it('calls each listener of a key once, however many there are, and none of other keys', () => {
    const l = new KeyedListeners()
    const heard: string[] = []
    const a = () => heard.push('a')
    const b = () => heard.push('b')
    l.add('k', a)
    l.add('k', a) // added twice: still once, as in a Set
    l.call('k')
    const offB = l.add('k', b)
    l.add('other', () => heard.push('other'))
    l.call('k')
    offB()
    l.call('k')
    expect(heard).toEqual(['a', 'a', 'b', 'a'])
  })

  it('a removed listener is not called, and a key without listeners is gone', () => {
    const l = new KeyedListeners()
    let n = 0
    const off1 = l.add('k', () => n++)
    const off2 = l.add('k', () => n++)
    off1()
    off1() // twice: nothing more
    l.call('k')
    off2()
    l.call('k')
    expect(n).toBe(1)
    expect([...l.keys()]).toEqual([])
  })
})
