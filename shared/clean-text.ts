/** Text cleaning shared by the REST schemas (shared/api.ts) and the vote kinds' request parts. */
import { z } from 'zod/mini'

/** C0 and C1 control characters (and DEL): never part of a title, a name or a label. */
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/g

/**
 * Every title, name and label the REST routes take: control characters become spaces (a pasted
 * newline or tab stays readable), then trimmed and bounded.
 */
export const cleanText = (max: number, min = 1) =>
  z.pipe(
    z.pipe(
      z.string().check(z.maxLength(max * 4)),
      z.transform((s) => s.replace(CONTROL_CHARS, ' ').trim()),
    ),
    z.string().check(z.minLength(min), z.maxLength(max)),
  )
