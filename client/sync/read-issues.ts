/**
 * Counts the doc entries this tab's readers dropped, by root, so a layout this build cannot read
 * is visible (tests read it; the page exposes it as `window.stipDroppedEntries`).
 */
import { onDroppedEntries } from '../../shared/read-issues.ts'

export class DroppedEntryCounter {
  readonly byRoot = new Map<string, number>()
  private readonly stop = onDroppedEntries((root, count) =>
    this.byRoot.set(root, (this.byRoot.get(root) ?? 0) + count),
  )

  get total(): number {
    let n = 0
    for (const c of this.byRoot.values()) n += c
    return n
  }
  destroy(): void {
    this.stop()
  }
}
