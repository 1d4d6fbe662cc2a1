import { describe, expect, it } from 'vitest'
import { KeptFit } from '../../client/model/keptFit.ts'
import { ViewportStore } from '../../client/model/viewportStore.ts'

const BOARD = { x: 0, y: 0, w: 2000, h: 1000 }

function fittedStore() {
  const store = new ViewportStore()
  store.size = { w: 1280, h: 800 }
  const kept = new KeptFit(store)
  kept.keep(() => store.fit(BOARD))
  return { store, kept }
}

describe('a kept fit', () => {
  it('fits again when the canvas changes size, while nobody moved the view', () => {
    const { store, kept } = fittedStore()
    const wide = store.get().scale
    store.size = { w: 920, h: 800 }
    kept.refresh()
    expect(store.get().scale).toBeLessThan(wide)
    expect(store.get().scale * BOARD.w).toBeLessThanOrEqual(920)
    // and it still holds: the next size is fitted too
    store.size = { w: 1280, h: 800 }
    kept.refresh()
    expect(store.get().scale).toBe(wide)
  })

  it('ends with a pan or a zoom: a later resize leaves the view where the person put it', () => {
    const { store, kept } = fittedStore()
    store.panBy(40, 0)
    const moved = store.get()
    store.size = { w: 920, h: 800 }
    kept.refresh()
    expect(store.get()).toBe(moved)
    // and it stays ended, even if the view happens to come back to the fitted one
    store.panBy(-40, 0)
    const back = store.get()
    store.size = { w: 1280, h: 800 }
    kept.refresh()
    expect(store.get()).toBe(back)
  })

  it('ends when released: the next resize leaves the view as it is', () => {
    const { store, kept } = fittedStore()
    const before = store.get()
    kept.release()
    store.size = { w: 920, h: 800 }
    kept.refresh()
    expect(store.get()).toBe(before)
  })
})
