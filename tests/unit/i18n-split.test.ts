/**
 * The participant's first load carries only the Dutch texts of its own path (client/i18n/nl-board.ts);
 * every key a module on that path names must be there, or the board would show an empty text
 * until the other screens' part arrives.
 */
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { nl } from '../../client/i18n/nl.ts'
import { nlBoard } from '../../client/i18n/nl-board.ts'
import { nlScreens } from '../../client/i18n/nl-screens.ts'
import { loadTexts, translate } from '../../client/i18n/index.ts'

const CLIENT = path.join(import.meta.dirname, '../../client')
/** The join -> board path's roots, as tests/bench/bundle.ts sizes it. */
const ROOTS = ['main.tsx', 'app/Join.tsx', 'app/BoardRoute.tsx', 'board/Board.tsx']

/** Source files the roots load statically (type-only imports and import() are not followed). */
function staticClosure(): Map<string, string> {
  const out = new Map<string, string>()
  const visit = (file: string) => {
    if (out.has(file) || !/\.tsx?$/.test(file)) return
    const src = fs.readFileSync(file, 'utf8')
    out.set(file, src)
    for (const m of src.matchAll(/^(?:import|export)(?!\s+type\s)[^'"]*?\sfrom\s+'(\.[^']+)'/gms))
      visit(path.resolve(path.dirname(file), m[1]!))
    for (const m of src.matchAll(/^import\s+'(\.[^']+)'/gm))
      visit(path.resolve(path.dirname(file), m[1]!))
  }
  ROOTS.forEach((r) => visit(path.join(CLIENT, r)))
  return out
}

describe('Dutch texts in two parts', () => {
  const files = staticClosure()
  const board = new Set(Object.keys(nlBoard))
  const keys = Object.keys(nl)

  it('the parts do not overlap and together are the catalogue', () => {
    expect(Object.keys(nlBoard).filter((k) => k in nlScreens)).toEqual([])
    expect(Object.keys(nlBoard).length + Object.keys(nlScreens).length).toBe(keys.length)
  })

  it('every key a module on the join -> board path names is in the board part', () => {
    // the crawl really walked the path (a broken import pattern would pass vacuously)
    expect(files.size).toBeGreaterThan(80)
    const missing: string[] = []
    for (const [file, src] of files) {
      const where = path.relative(CLIENT, file)
      for (const k of keys)
        if (src.includes(`'${k}'`) && !board.has(k)) missing.push(`${where}: ${k}`)
      // keys built from a prefix (`kind.${kind}`): the whole family
      for (const m of src.matchAll(/`([a-zA-Z]+\.[a-zA-Z.]*)\$\{/g))
        for (const k of keys)
          if (k.startsWith(m[1]!) && !board.has(k)) missing.push(`${where}: ${k} (${m[1]}…)`)
    }
    expect(missing).toEqual([])
  })

  it('a screen text is empty, not its key, until its part has come, then filled in', async () => {
    const key = 'home.create.heading'
    expect(board.has(key)).toBe(false)
    expect(translate('nl', key)).toBe('')
    await loadTexts()
    expect(translate('nl', key)).toBe(nl[key])
  })
})
