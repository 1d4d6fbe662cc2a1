/**
 * Stands in for `lib0/logging` in the browser build (vite.config.ts aliases it): yjs prints a
 * handful of warnings through it, and the real module styles them with lib0's DOM and schema
 * helpers, ~2.5 KiB gzip on the join -> board path. The warnings still reach the console, in plain text.
 */
export const BOLD = ''
export const UNBOLD = ''
export const RED = ''
export const ORANGE = ''
// eslint-disable-next-line no-console -- yjs's own prints, which lib0 sends to console.log too
export const print = (...args: unknown[]): void => console.log(...args)
export const warn = (...args: unknown[]): void => console.warn(...args)
