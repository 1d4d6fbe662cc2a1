/**
 * A fit that holds until the person moves the view. The board fits itself when its tables first
 * arrive, but the canvas may still change size after that (the side panel's chunk arrives and
 * takes its column, a drawer opens, the window is resized) and zones grow as cards are measured.
 * A fit done once for the first size leaves tables outside the canvas. While nobody has panned or
 * zoomed since the last fit, `refresh` runs that fit again; any other change to the view ends it.
 *
 * Framework-free: the board calls `refresh` when the canvas size or the layout changes.
 */
import type { Viewport } from './viewport.ts'
import type { ViewportStore } from './viewportStore.ts'

export class KeptFit {
  private redo: (() => void) | null = null
  /** The view the last fit produced; a different value means someone moved the view since. */
  private fitted: Viewport | null = null

  constructor(private readonly store: ViewportStore) {}

  /** Runs `fit` now and again on every `refresh` until the view is moved by anything else. */
  keep(fit: () => void): void {
    fit()
    this.redo = fit
    this.fitted = this.store.get()
  }

  /** Ends the fit: the view stays where it is from now on. */
  release(): void {
    this.redo = null
    this.fitted = null
  }

  /** Bound, so it can be handed to a listener as it is. */
  refresh = (): void => {
    if (!this.redo) return
    if (this.store.get() !== this.fitted) {
      this.redo = null
      this.fitted = null
      return
    }
    this.redo()
    this.fitted = this.store.get()
  }
}
