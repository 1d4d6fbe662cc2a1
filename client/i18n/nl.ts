/**
 * Dutch catalogue, the default language. It defines the key set: every other catalogue must have
 * exactly these keys (type-enforced in en.ts, tested in tests/unit/i18n.test.ts).
 * Interpolation: `{name}` is replaced by the param of that name; counts use plural choices,
 * `{count, plural, one {# kaart} other {# kaarten}}` (see ./index.ts).
 *
 * Two parts so the participant's first load carries only its own texts: ./nl-board.ts (join ->
 * board) and ./nl-screens.ts (the rest). New keys go in the part of the screen that shows them.
 */
import { nlBoard } from './nl-board.ts'
import { nlScreens } from './nl-screens.ts'

export const nl = { ...nlBoard, ...nlScreens }

export type MessageKey = keyof typeof nl
