/**
 * A lazily loaded component that renders at once when its chunk is already here. React.lazy
 * suspends on its first render even for a chunk fetched long before, and once a Suspense fallback
 * has been shown React holds the content back for a while after it is ready (React 19 throttles
 * fallback reveals by ~300 ms): two such screens in a row, route then board, cost the board's
 * first paint over half a second of waiting on a page that was idle. Preloading the chunk first
 * and rendering the component itself avoids both.
 */
import {
  type ComponentType,
  type ReactElement,
  Suspense,
  createElement,
  lazy,
  useState,
} from 'react'

export interface Preloadable<M, P extends object> {
  /** Renders the component; suspends (React.lazy) only while its chunk is still on its way. */
  Component: (props: P) => ReactElement
  /** Fetches the chunk; resolves (with the module) when the component renders without suspending. */
  preload(): Promise<M>
}

export function preloadable<M, P extends object>(
  load: () => Promise<M>,
  pick: (m: M) => ComponentType<P>,
): Preloadable<M, P> {
  let loaded: ComponentType<P> | null = null
  let pending: Promise<M> | null = null
  const preload = () => {
    pending ??= load().then(
      (m) => {
        loaded = pick(m)
        return m
      },
      (e: unknown) => {
        // a failed download (offline) may be tried again by the next render
        pending = null
        throw e
      },
    )
    return pending
  }
  const Lazy = lazy(() => preload().then((m) => ({ default: pick(m) })))
  function Component(props: P): ReactElement {
    // fixed for the life of this element: switching types later would remount the screen
    const [ready] = useState(() => loaded)
    return ready ? createElement(ready, props) : createElement(Lazy, props)
  }
  return { Component, preload }
}

/**
 * A part of a screen that the screen's first paint does not need: rendered inside its own Suspense
 * with no fallback, so nothing shows (and nothing else waits) until its chunk is here.
 */
export function drawnWhenLoaded<M, P extends object>(
  load: () => Promise<M>,
  pick: (m: M) => ComponentType<P>,
): Preloadable<M, P> {
  const inner = preloadable(load, pick)
  return {
    Component: (props: P) =>
      createElement(Suspense, { fallback: null }, createElement(inner.Component, props)),
    preload: inner.preload,
  }
}
