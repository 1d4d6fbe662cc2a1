/** Times on the replay page, in the viewer's local time zone and the UI language. */
import type { Lang } from '../i18n/index.ts'

const LOCALE: Record<Lang, string> = { nl: 'nl-NL', en: 'en-GB' }

export function formatTime(lang: Lang, epochMs: number): string {
  return new Intl.DateTimeFormat(LOCALE[lang], {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).format(epochMs)
}

export function formatDateTime(lang: Lang, epochMs: number): string {
  return new Intl.DateTimeFormat(LOCALE[lang], { dateStyle: 'medium', timeStyle: 'medium' }).format(
    epochMs,
  )
}
