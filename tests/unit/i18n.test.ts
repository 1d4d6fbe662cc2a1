import { beforeAll, describe, expect, it } from 'vitest'
import { nl } from '../../client/i18n/nl.ts'
import { en } from '../../client/i18n/en.ts'
import {
  LANGS,
  MessageSyntaxError,
  errorKey,
  format,
  loadLang,
  parseMessage,
  placeholders,
  pluralCategories,
  pluralForms,
  translate,
} from '../../client/i18n/index.ts'
import { ErrorCode } from '../../shared/protocol.ts'

const catalogues = { nl, en } as Record<string, Record<string, string>>
const reference = Object.keys(nl).sort()

// English and the Dutch texts of the screens off the participant's path are chunks of their own
// in the app (client/i18n/index.ts): fetched before they are asked for
beforeAll(() => Promise.all(LANGS.map(loadLang)))

describe('i18n catalogues', () => {
  for (const [lang, cat] of Object.entries(catalogues)) {
    it(`${lang} has exactly the keys of the nl catalogue`, () => {
      const keys = Object.keys(cat).sort()
      expect(
        keys.filter((k) => !reference.includes(k)),
        'extra keys',
      ).toEqual([])
      expect(
        reference.filter((k) => !keys.includes(k)),
        'missing keys',
      ).toEqual([])
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
      (k) =>
        placeholders(nl[k as keyof typeof nl]).join() !==
        placeholders(en[k as keyof typeof en]).join(),
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
    expect(format('Hallo {name}, tafel {table}', { name: 'Anna' })).toBe(
      'Hallo Anna, tafel {table}',
    )
    expect(translate('nl', 'join.continueAs', { name: 'Bram' })).toBe('Doorgaan als Bram')
    expect(translate('en', 'join.continueAs', { name: 'Bram' })).toBe('Continue as Bram')
  })

  it('finds placeholders in order-independent form', () => {
    expect(placeholders('{b} en {a}')).toEqual(['a', 'b'])
    expect(placeholders('geen')).toEqual([])
  })
})

describe('plural messages', () => {
  it('every message in both catalogues parses', () => {
    for (const [lang, cat] of Object.entries(catalogues)) {
      const broken = Object.entries(cat).flatMap(([k, v]) => {
        try {
          parseMessage(v)
          return []
        } catch (e) {
          return [`${lang} ${k}: ${(e as Error).message}`]
        }
      })
      expect(broken).toEqual([])
    }
  })

  it('nl and en pluralise the same params, each with every category its language distinguishes', () => {
    const problems: string[] = []
    for (const k of reference) {
      const nlForms = pluralForms(nl[k as keyof typeof nl])
      const enForms = pluralForms(en[k as keyof typeof en])
      if (Object.keys(nlForms).sort().join() !== Object.keys(enForms).sort().join())
        problems.push(`${k}: different plural params`)
      for (const [lang, forms] of [
        ['nl', nlForms],
        ['en', enForms],
      ] as const) {
        for (const [param, branches] of Object.entries(forms)) {
          const categories = branches.filter((b) => !b.startsWith('='))
          if (categories.join() !== pluralCategories(lang).join())
            problems.push(`${lang} ${k} {${param}}: ${categories.join()}`)
        }
      }
    }
    expect(problems).toEqual([])
    // the catalogues do use plurals, so the loop above tested something
    expect(
      reference.filter((k) => Object.keys(pluralForms(nl[k as keyof typeof nl])).length > 0).length,
    ).toBeGreaterThan(5)
  })

  it('no count message keeps a bare "{count} noun" that reads "1 kaarten"', () => {
    for (const lang of LANGS) {
      for (const key of [
        'zone.cardCount',
        'vote.dotsCount',
        'vote.voters',
        'task.fromCards',
        'present.roundOpen',
        'live.waiting',
      ] as const) {
        const one = translate(lang, key, { count: 1 })
        expect(one, `${lang} ${key}`).not.toMatch(
          /\b1 (kaarten|stippen|stemmers|mensen|wijzigingen|cards|dots|voters|people|changes)\b/,
        )
      }
    }
  })

  it('chooses one and other in Dutch', () => {
    expect(translate('nl', 'zone.cardCount', { count: 1 })).toBe('1 kaart')
    expect(translate('nl', 'zone.cardCount', { count: 0 })).toBe('0 kaarten')
    expect(translate('nl', 'zone.cardCount', { count: 2 })).toBe('2 kaarten')
    expect(translate('nl', 'vote.dotsCount', { count: 1 })).toBe('1 stip')
    expect(translate('nl', 'vote.dotsCount', { count: 5 })).toBe('5 stippen')
    expect(translate('nl', 'vote.voters', { count: 1 })).toBe('1 stemmer')
    expect(translate('nl', 'task.fromCards', { count: 1 })).toBe('uit 1 kaart')
    expect(translate('nl', 'vote.remaining', { count: 0, total: 1 })).toBe('Nog 0 van 1 stip over')
    expect(translate('nl', 'vote.remaining', { count: 2, total: 3 })).toBe(
      'Nog 2 van 3 stippen over',
    )
    expect(translate('nl', 'present.roundOpen', { count: 1 })).toBe(
      'Stemronde is open: 1 persoon heeft gestemd',
    )
    expect(translate('nl', 'present.roundOpen', { count: 3 })).toBe(
      'Stemronde is open: 3 mensen hebben gestemd',
    )
    expect(translate('nl', 'present.roundOpen', { count: 0 })).toBe(
      'Stemronde is open: nog niemand heeft gestemd',
    )
  })

  it('chooses one and other in English', () => {
    expect(translate('en', 'zone.cardCount', { count: 1 })).toBe('1 card')
    expect(translate('en', 'zone.cardCount', { count: 0 })).toBe('0 cards')
    expect(translate('en', 'vote.dotsCount', { count: 1 })).toBe('1 dot')
    expect(translate('en', 'vote.voters', { count: 7 })).toBe('7 voters')
    expect(translate('en', 'live.waiting', { count: 1 })).toBe('Paused: 1 change by others waiting')
    expect(translate('en', 'task.merged', { count: 2, title: 'Leren' })).toBe(
      '2 tasks merged into: Leren',
    )
    expect(translate('en', 'present.roundOpen', { count: 1 })).toBe(
      'Voting round is open: 1 person has voted',
    )
  })

  it('picks by the language rules, prefers an exact =N branch, and keeps params inside branches', () => {
    const msg = '{n, plural, =0 {geen} one {# van {total}} other {# van {total}, {who}}}'
    expect(format(msg, { n: 0, total: 3 })).toBe('geen')
    expect(format(msg, { n: 1, total: 3 })).toBe('1 van 3')
    expect(format(msg, { n: 2, total: 3, who: 'Mo' })).toBe('2 van 3, Mo')
    // Polish has "few": the same message shape works for a language with more categories
    expect(
      format(
        '{n, plural, one {# plik} few {# pliki} many {# plików} other {# pliku}}',
        { n: 3 },
        'pl',
      ),
    ).toBe('3 pliki')
    expect(placeholders(msg)).toEqual(['n', 'total', 'who'])
    expect(pluralForms(msg)).toEqual({ n: ['=0', 'one', 'other'] })
  })

  it('shows a missing count as its placeholder instead of guessing a form', () => {
    expect(format('{count, plural, one {# kaart} other {# kaarten}}', {})).toBe('{count}')
  })

  it('refuses malformed plurals', () => {
    for (const bad of [
      '{n, plural, one {x}}',
      '{n, plural, other {x}',
      '{n, select, other {x}}',
      'a } b',
      '{n, plural, lots {x} other {y}}',
    ]) {
      expect(() => parseMessage(bad), bad).toThrow(MessageSyntaxError)
    }
  })
})
