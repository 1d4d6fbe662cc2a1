/** The energie × impact matrix's scale, shared by the side panel's matrix and the projector's. */
import { SCORE_MAX, SCORE_MIN } from '../../shared/control.ts'

/** A mean score as a percentage of the axis (1 at the start, 5 at the end), `insetPct` in from the frame. */
export const scoreAxisPct = (v: number, insetPct: number) =>
  insetPct + ((v - SCORE_MIN) / (SCORE_MAX - SCORE_MIN)) * (100 - 2 * insetPct)

/** A mean score as the matrix's legend writes it; a dash where nobody scored. */
export const formatMean = (v: number | null | undefined) =>
  v === null || v === undefined ? '–' : v.toFixed(1)
