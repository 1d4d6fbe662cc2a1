/**
 * The card tools that pull in code of their own ("make task" with the task writer, the
 * facilitator's "show on screen" with the projector's scene writer): a chunk the board fetches
 * right after its first paint (preloadCardTools), so the card bar a first hover or focus opens
 * already has them. Until then the bar shows without them, never waiting on the fetch.
 */
import { loadWithTexts } from '../i18n/index.ts'
import { drawnWhenLoaded } from '../lib/preloadable.tsx'

// their texts are in the screens' part of the catalogue and come with them
const load = loadWithTexts(() => import('./cardTools.ts'))
const promote = drawnWhenLoaded(load, (m) => m.PromoteCardButton)
const present = drawnWhenLoaded(load, (m) => m.PresentCardButton)

export const preloadCardTools = (): Promise<unknown> =>
  Promise.all([promote.preload(), present.preload()])
export const PromoteCardButton = promote.Component
export const PresentCardButton = present.Component
