/** A tiny router on the History API: the current path, navigate(), and route matching. */
import { useSyncExternalStore } from 'react'

const NAV_EVENT = 'stip:navigate'

function subscribe(fn: () => void): () => void {
  window.addEventListener('popstate', fn)
  window.addEventListener('hashchange', fn)
  window.addEventListener(NAV_EVENT, fn)
  return () => {
    window.removeEventListener('popstate', fn)
    window.removeEventListener('hashchange', fn)
    window.removeEventListener(NAV_EVENT, fn)
  }
}

const snapshot = () => location.pathname + location.hash

export function useLocation(): { path: string; hash: string } {
  useSyncExternalStore(subscribe, snapshot)
  return { path: location.pathname, hash: location.hash }
}

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) history.replaceState(null, '', to)
  else history.pushState(null, '', to)
  window.dispatchEvent(new Event(NAV_EVENT))
}

/** Parameters from `#a=1&b=2`. */
export function hashParams(hash: string): URLSearchParams {
  return new URLSearchParams(hash.replace(/^#/, ''))
}

export type Route =
  | { name: 'home' }
  | { name: 'join'; code: string }
  | { name: 'board'; id: string }
  | { name: 'facilitate'; id: string }
  | { name: 'present'; id: string }
  | { name: 'notFound' }

export function matchRoute(path: string): Route {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent)
  if (parts.length === 0) return { name: 'home' }
  const [a, b, c] = parts
  if (a === 'j' && b && parts.length === 2) return { name: 'join', code: b }
  if (a === 'w' && b) {
    if (parts.length === 2) return { name: 'board', id: b }
    if (parts.length === 3 && c === 'facilitate') return { name: 'facilitate', id: b }
    if (parts.length === 3 && c === 'present') return { name: 'present', id: b }
  }
  return { name: 'notFound' }
}
