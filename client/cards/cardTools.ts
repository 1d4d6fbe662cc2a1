/** The card bar's buttons that LazyCardTools.tsx fetches as one chunk after the board's first paint. */
export { PresentCardButton } from './PresentCardButton.tsx'
export { PromoteCardButton } from './PromoteCardButton.tsx'
