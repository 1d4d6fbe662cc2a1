import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App, preloadRoute } from './app/App.tsx'
import './styles.css'

const root = document.getElementById('root')
if (root) {
  const render = () =>
    createRoot(root).render(
      <StrictMode>
        <App />
      </StrictMode>,
    )
  // the first screen's chunks first: rendered without a fallback, it paints as soon as it can
  // (a failed download renders anyway: the route's own fallback and error take over)
  preloadRoute(location.pathname, location.hash).then(render, render)
}
