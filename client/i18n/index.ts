/**
 * Translation: typed keys, `{name}` interpolation, the chosen language kept in localStorage and
 * mirrored on `<html lang>`.
 */
import { useCallback, useSyncExternalStore } from 'react'
import type { ErrorCode } from '../../shared/protocol.ts'
import { en } from './en.ts'
import { type MessageKey, nl } from './nl.ts'

export type { MessageKey }
export type Lang = 'nl' | 'en'
export const LANGS: readonly Lang[] = ['nl', 'en']
export type Params = Record<string, string | number>
export type Translate = (key: MessageKey, params?: Params) => string

const CATALOGUES: Record<Lang, Record<MessageKey, string>> = { nl, en }
const STORAGE_KEY = 'stip:lang'

/** `{name}` placeholders in a message, for the catalogue tests. */
export function placeholders(message: string): string[] {
  return [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort()
}

export function format(message: string, params?: Params): string {
  if (!params) return message
  return message.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  )
}

export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  return format(CATALOGUES[lang][key], params)
}

/** Server error codes (and the client's own NETWORK) map onto `error.*` keys; type-checked. */
export type ClientErrorCode = ErrorCode | 'NETWORK'
export function errorKey(code: ClientErrorCode): MessageKey {
  return `error.${code}`
}

function readStored(): Lang {
  try {
    const v = localStorage.getItem(STORAGE_KEY)
    return v === 'en' || v === 'nl' ? v : 'nl'
  } catch {
    return 'nl'
  }
}

let current: Lang = typeof localStorage === 'undefined' ? 'nl' : readStored()
const listeners = new Set<() => void>()

function applyHtmlLang(lang: Lang): void {
  if (typeof document !== 'undefined') document.documentElement.lang = lang
}
applyHtmlLang(current)

export function setLang(lang: Lang): void {
  if (lang === current) return
  current = lang
  try {
    localStorage.setItem(STORAGE_KEY, lang)
  } catch {
    // private mode: the choice lasts for this page only
  }
  applyHtmlLang(lang)
  for (const fn of listeners) fn()
}

export function getLang(): Lang {
  return current
}

function subscribe(fn: () => void): () => void {
  listeners.add(fn)
  return () => listeners.delete(fn)
}

export function useI18n(): { t: Translate; lang: Lang; setLang: (l: Lang) => void } {
  const lang = useSyncExternalStore(subscribe, getLang)
  const t = useCallback<Translate>((key, params) => translate(lang, key, params), [lang])
  return { t, lang, setLang }
}
