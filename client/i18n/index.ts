/**
 * Translation: typed keys, `{name}` interpolation and plural choices, the chosen language kept in
 * localStorage and mirrored on `<html lang>`.
 *
 * Dutch is the first language. The texts of the participant's path (join -> board) ship with
 * every page; the other screens' Dutch texts are a chunk of their own that those screens fetch
 * with their code (loadTexts), and the English catalogue is a chunk fetched when someone picks
 * English (or picked it before, at start-up). Until English has arrived the page stays in Dutch,
 * so no screen ever shows a key.
 */
import { useCallback, useSyncExternalStore } from 'react'
import type { ErrorCode } from '../../shared/protocol.ts'
import type { MessageKey } from './nl.ts'
import { nlBoard } from './nl-board.ts'

export type { MessageKey }
export type Lang = 'nl' | 'en'
export const LANGS: readonly Lang[] = ['nl', 'en']
export type Params = Record<string, string | number>
export type Translate = (key: MessageKey, params?: Params) => string
type Catalogue = Record<MessageKey, string>

/** Dutch as far as it has arrived: the board's part from the start, the screens' part once loaded. */
const nl: Partial<Catalogue> = { ...nlBoard }
const CATALOGUES: Partial<Record<Exclude<Lang, 'nl'>, Catalogue>> = {}
const LOADERS: Record<Exclude<Lang, 'nl'>, () => Promise<Catalogue>> = {
  en: () => import('./en.ts').then((m) => m.en),
}
const loading = new Map<Lang, Promise<void>>()

/** Fetches a language's catalogue once; resolves when `translate` has it. */
export function loadLang(lang: Lang): Promise<void> {
  if (lang === 'nl') return loadTexts()
  if (CATALOGUES[lang]) return Promise.resolve()
  let p = loading.get(lang)
  if (!p) {
    p = LOADERS[lang]().then((cat) => {
      CATALOGUES[lang] = cat
    })
    // a failed fetch (offline) may be retried by the next choice
    p.catch(() => loading.delete(lang))
    loading.set(lang, p)
  }
  return p
}

let screenTexts: Promise<void> | null = null
/**
 * Fetches the other screens' Dutch texts once; a screen outside the join -> board path awaits
 * it with its code (see loadWithTexts), so it never renders before its texts are here.
 */
export function loadTexts(): Promise<void> {
  screenTexts ??= import('./nl-screens.ts').then(
    (m) => {
      Object.assign(nl, m.nlScreens)
      changed()
    },
    (err: unknown) => {
      screenTexts = null
      throw err
    },
  )
  return screenTexts
}

/** A screen's code together with its texts: for the lazy loaders of screens and panels. */
export const loadWithTexts =
  <T>(load: () => Promise<T>) =>
  (): Promise<T> =>
    Promise.all([load(), loadTexts()]).then(([m]) => m)

const STORAGE_KEY = 'stip:lang'

/**
 * Messages: plain text with `{name}` params, and plural choices in the ICU MessageFormat subset
 * `{count, plural, one {# kaart} other {# kaarten}}`. A branch is picked by `=N` (exact match)
 * or by the language's CLDR category from Intl.PluralRules; `#` stands for the number, and a
 * branch may hold `{name}` params of its own. Only `other` is required in every plural.
 */
export type PluralCategory = Intl.LDMLPluralRule
export type Branch = PluralCategory | `=${number}`
export type Part =
  | { kind: 'text'; text: string }
  | { kind: 'param'; name: string }
  | { kind: 'number' }
  | { kind: 'plural'; name: string; branches: ReadonlyMap<Branch, Part[]> }

const CATEGORIES: readonly string[] = [
  'zero',
  'one',
  'two',
  'few',
  'many',
  'other',
] satisfies PluralCategory[]
const isBranch = (s: string): s is Branch => CATEGORIES.includes(s) || /^=\d+$/.test(s)

export class MessageSyntaxError extends Error {}

/** Parses a message; throws MessageSyntaxError on an unbalanced brace or a malformed plural. */
export function parseMessage(message: string): Part[] {
  let i = 0
  const fail = (why: string): never => {
    throw new MessageSyntaxError(`${why} at ${i} in "${message}"`)
  }
  const skipSpace = () => {
    while (i < message.length && /\s/.test(message[i]!)) i++
  }
  const word = (): string => {
    const m = /^[\w=]+/.exec(message.slice(i))
    if (!m) fail('expected a name')
    i += m![0].length
    return m![0]
  }
  // inPlural: `#` is the number there, and a `}` ends the branch
  const parts = (inPlural: boolean): Part[] => {
    const out: Part[] = []
    let text = ''
    const flush = () => {
      if (text) out.push({ kind: 'text', text })
      text = ''
    }
    while (i < message.length) {
      const c = message[i]!
      if (c === '}') {
        if (!inPlural) fail('unbalanced }')
        break
      }
      if (c === '#' && inPlural) {
        flush()
        out.push({ kind: 'number' })
        i++
      } else if (c === '{') {
        flush()
        i++
        out.push(placeholder())
      } else {
        text += c
        i++
      }
    }
    flush()
    return out
  }
  const placeholder = (): Part => {
    skipSpace()
    const name = word()
    skipSpace()
    if (message[i] === '}') {
      i++
      return { kind: 'param', name }
    }
    if (message[i] !== ',') fail('expected , or }')
    i++
    skipSpace()
    if (word() !== 'plural') fail('only plural choices are supported')
    skipSpace()
    if (message[i] !== ',') fail('expected ,')
    i++
    const branches = new Map<Branch, Part[]>()
    for (;;) {
      skipSpace()
      if (message[i] === '}') break
      const key = word()
      if (!isBranch(key)) fail(`unknown plural branch "${key}"`)
      if (branches.has(key as Branch)) fail(`branch "${key}" given twice`)
      skipSpace()
      if (message[i] !== '{') fail('expected { after a branch name')
      i++
      branches.set(key as Branch, parts(true))
      if (message[i] !== '}') fail('unclosed branch')
      i++
    }
    if (message[i] !== '}') fail('unclosed plural')
    i++
    if (!branches.has('other')) fail('a plural needs an "other" branch')
    return { kind: 'plural', name, branches }
  }
  const out = parts(false)
  if (i < message.length) fail('unexpected }')
  return out
}

const parsed = new Map<string, Part[]>()
function parseCached(message: string): Part[] {
  let p = parsed.get(message)
  if (!p) {
    try {
      p = parseMessage(message)
    } catch {
      // a broken message still shows its text rather than breaking the screen
      p = [{ kind: 'text', text: message }]
    }
    parsed.set(message, p)
  }
  return p
}

/** Every param a message uses (plural selectors and params inside branches too), sorted. */
export function placeholders(message: string): string[] {
  const names = new Set<string>()
  const walk = (parts: Part[]) => {
    for (const p of parts) {
      if (p.kind === 'param') names.add(p.name)
      else if (p.kind === 'plural') {
        names.add(p.name)
        for (const b of p.branches.values()) walk(b)
      }
    }
  }
  walk(parseCached(message))
  return [...names].sort()
}

/** The plural params of a message with the branches each offers, for the catalogue tests. */
export function pluralForms(message: string): Record<string, Branch[]> {
  const out: Record<string, Branch[]> = {}
  const walk = (parts: Part[]) => {
    for (const p of parts) {
      if (p.kind !== 'plural') continue
      out[p.name] = [...p.branches.keys()].sort()
      for (const b of p.branches.values()) walk(b)
    }
  }
  walk(parseCached(message))
  return out
}

const rules = new Map<string, Intl.PluralRules>()
const pluralRules = (locale: string) => {
  let r = rules.get(locale)
  if (!r) rules.set(locale, (r = new Intl.PluralRules(locale)))
  return r
}

/** The plural categories a language distinguishes (nl and en: one, other). */
export const pluralCategories = (locale: string): PluralCategory[] =>
  [...pluralRules(locale).resolvedOptions().pluralCategories].sort()

function render(
  parts: Part[],
  params: Params | undefined,
  locale: string,
  n: number | null,
): string {
  let out = ''
  for (const p of parts) {
    switch (p.kind) {
      case 'text':
        out += p.text
        break
      case 'number':
        out += String(n)
        break
      case 'param':
        out += params && p.name in params ? String(params[p.name]) : `{${p.name}}`
        break
      case 'plural': {
        const raw = params?.[p.name]
        const value = typeof raw === 'number' ? raw : Number(raw)
        if (raw === undefined || !Number.isFinite(value)) {
          out += `{${p.name}}`
          break
        }
        const branch =
          p.branches.get(`=${value}`) ??
          p.branches.get(pluralRules(locale).select(value)) ??
          p.branches.get('other')!
        out += render(branch, params, locale, value)
        break
      }
    }
  }
  return out
}

/** `locale` picks the plural rules; any BCP 47 tag, the catalogue languages by default. */
export function format(message: string, params?: Params, locale: string = 'nl'): string {
  return render(parseCached(message), params, locale, null)
}

/** In `lang`, or in Dutch while that catalogue is still on its way (see loadLang). */
export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  const cat = lang === 'nl' ? undefined : CATALOGUES[lang]
  if (cat) return format(cat[key], params, lang)
  const text = nl[key]
  if (text !== undefined) return format(text, params, 'nl')
  // a screen's text asked for before its part came (its loader awaits loadTexts, so this is a
  // slip): empty rather than the key, and filled in when the part arrives (useI18n re-renders)
  void loadTexts().catch(() => {})
  return ''
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

/** The language shown: the chosen one once its catalogue is here (until then Dutch). */
let current: Lang = 'nl'
/** Replaced whenever what useI18n's t returns may change (a language shown, texts arrived). */
let shown: { readonly lang: Lang } = { lang: current }
/** The language asked for last: a slow catalogue arriving after a later choice is not shown. */
let chosen: Lang = typeof localStorage === 'undefined' ? 'nl' : readStored()
const listeners = new Set<() => void>()

function applyHtmlLang(lang: Lang): void {
  if (typeof document !== 'undefined') document.documentElement.lang = lang
}

function changed(): void {
  shown = { lang: current }
  for (const fn of listeners) fn()
}

function show(lang: Lang): void {
  if (lang !== chosen || lang === current) return
  current = lang
  applyHtmlLang(lang)
  changed()
}

export function setLang(lang: Lang): void {
  chosen = lang
  try {
    localStorage.setItem(STORAGE_KEY, lang)
  } catch {
    // private mode: the choice lasts for this page only
  }
  if (lang === 'nl' || CATALOGUES[lang]) show(lang)
  else
    void loadLang(lang).then(
      () => show(lang),
      () => {},
    )
}

applyHtmlLang(current)
if (chosen !== current)
  void loadLang(chosen).then(
    () => show(chosen),
    () => {},
  )

export function getLang(): Lang {
  return current
}

function subscribe(fn: () => void): () => void {
  listeners.add(fn)
  return () => listeners.delete(fn)
}

const getShown = () => shown

export function useI18n(): { t: Translate; lang: Lang; setLang: (l: Lang) => void } {
  const state = useSyncExternalStore(subscribe, getShown)
  const t = useCallback<Translate>((key, params) => translate(state.lang, key, params), [state])
  return { t, lang: state.lang, setLang }
}
