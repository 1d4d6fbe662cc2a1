/**
 * Counts React's work in a page through the hook React DevTools uses (react-dom calls it in
 * production builds too): every commit, and in each commit the components that rendered, by the
 * element they draw. Install before the app's scripts load (an init script, then a navigation).
 *
 * A component rendered in a commit when its fiber has the PerformedWork flag; a subtree whose
 * child list is the one of the previous commit bailed out and is skipped (the rule React
 * DevTools follows), so the flags a bailed-out fiber kept from an older commit are not counted.
 */
import type { Page } from 'playwright-core'

export interface RenderCounts {
  commits: number
  /**
   * Components that rendered, named by the first DOM element they draw (tag.class, or '-'), and
   * ` @id` when that element (for '-', the element it sits in) is inside a card (the card's id).
   */
  rendered: string[]
}

/**
 * Runs in the page, before React loads. Plain JavaScript in a string: a function handed to the
 * page would be serialised after the test's transpiler may have wrapped its inner functions.
 */
const INSTALL = `(() => {
  // FunctionComponent, ForwardRef, MemoComponent, SimpleMemoComponent (react-reconciler's tags)
  const COMPONENT_TAGS = new Set([0, 11, 14, 15])
  const HOST_COMPONENT = 5
  const PERFORMED_WORK = 1
  const counts = { commits: 0, rendered: [] }
  const where = (f) => {
    let c = f.child
    while (c && c.tag !== HOST_COMPONENT) c = c.child
    const el = c && c.stateNode
    if (!(el instanceof Element)) {
      // draws nothing of its own (null, or only text): named by the element it sits in
      let up = f.return
      while (up && up.tag !== HOST_COMPONENT) up = up.return
      const card = up && up.stateNode instanceof Element ? up.stateNode.closest('[data-card-id]') : null
      return '-' + (card ? ' @' + card.getAttribute('data-card-id') : '')
    }
    const testId = el.getAttribute('data-testid')
    const card = el.closest('[data-card-id]')
    return el.tagName.toLowerCase() + (testId ? '[' + testId + ']' : '') + '.' + [...el.classList].join('.') +
      (card ? ' @' + card.getAttribute('data-card-id') : '')
  }
  const walk = (next, mounted) => {
    const prev = next.alternate
    if (COMPONENT_TAGS.has(next.tag) && (mounted || next.flags & PERFORMED_WORK))
      counts.rendered.push(where(next))
    if (!mounted && prev && prev.child === next.child) return
    for (let c = next.child; c; c = c.sibling) walk(c, mounted || c.alternate === null)
  }
  let nextId = 1
  window.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
    supportsFiber: true,
    isDisabled: false,
    renderers: new Map(),
    inject: () => nextId++,
    checkDCE: () => {},
    onScheduleFiberRoot: () => {},
    onCommitFiberUnmount: () => {},
    onPostCommitFiberRoot: () => {},
    onCommitFiberRoot: (_id, root) => {
      counts.commits++
      walk(root.current, false)
    },
  }
  window.__renderCounts = counts
})()`

/** Installs the counter for every later navigation of `page` (reload the page to start counting). */
export async function installRenderCounter(page: Page): Promise<void> {
  await page.addInitScript({ content: INSTALL })
}

/** Starts counting from zero. */
export function resetRenders(page: Page): Promise<void> {
  return page.evaluate(() => {
    const c = (window as unknown as { __renderCounts: RenderCounts }).__renderCounts
    c.commits = 0
    c.rendered = []
  })
}

export function readRenders(page: Page): Promise<RenderCounts> {
  return page.evaluate(() => {
    const c = (window as unknown as { __renderCounts: RenderCounts }).__renderCounts
    return { commits: c.commits, rendered: [...c.rendered] }
  })
}
