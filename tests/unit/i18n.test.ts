import { describe, expect, it } from 'vitest'
import { nl } from '../../client/i18n/nl.ts'
import { en } from '../../client/i18n/en.ts'
import { errorKey, format, placeholders, translate } from '../../client/i18n/index.ts'
import { ErrorCode } from '../../shared/protocol.ts'

const catalogues = { nl, en } as Record<string, Record<string, string>>
const reference = Object.keys(nl).sort()

describe('i18n catalogues', () => {
  for (const [lang, cat] of Object.entries(catalogues)) {
    it(`${lang} has exactly the keys of the nl catalogue`, () => {
      const keys = Object.keys(cat).sort()
      expect(keys.filter((k) => !reference.includes(k)), 'extra keys').toEqual([])
      expect(reference.filter((k) => !keys.includes(k)), 'missing keys').toEqual([])
    })

    it(`${lang} has no empty values`, () => {
      const empty = Object.entries(cat)
        .filter(([, v]) => typeof v !== 'string' || v.trim() === '')
        .map(([k]) => k)
      expect(empty).toEqual([])
    })
  }

  it('nl and en use the same interpolation params in every message', () => {
    const differing = reference.filter(
      (k) => placeholders(nl[k as keyof typeof nl]).join() !== placeholders(en[k as keyof typeof en]).join(),
    )
    expect(differing).toEqual([])
  })

  it('every server error code has a translated message', () => {
    for (const code of Object.values(ErrorCode)) {
      expect(reference).toContain(errorKey(code))
    }
    expect(reference).toContain(errorKey('NETWORK'))
  })
})

describe('t()', () => {
  it('interpolates {name} params and leaves unknown ones visible', () => {
    expect(format('Hallo {name}, tafel {table}', { name: 'Anna' })).toBe('Hallo Anna, tafel {table}')
    expect(translate('nl', 'join.continueAs', { name: 'Bram' })).toBe('Doorgaan als Bram')
    expect(translate('en', 'join.continueAs', { name: 'Bram' })).toBe('Continue as Bram')
  })

  it('finds placeholders in order-independent form', () => {
    expect(placeholders('{b} en {a}')).toEqual(['a', 'b'])
    expect(placeholders('geen')).toEqual([])
  })
})
