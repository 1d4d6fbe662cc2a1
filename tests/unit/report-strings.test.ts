import { describe, expect, it } from 'vitest'
import {
  PERSPECTIVE_LABELS,
  REPORT_STRINGS,
  ROUND_KIND_LABELS,
  ROUND_STATUS_LABELS,
  countOf,
  formatDuration,
} from '../../shared/report-strings.ts'

describe('report wording', () => {
  it('nl and en have the same keys in every table', () => {
    for (const table of [
      REPORT_STRINGS,
      PERSPECTIVE_LABELS,
      ROUND_KIND_LABELS,
      ROUND_STATUS_LABELS,
    ]) {
      expect(Object.keys(table.en).sort()).toEqual(Object.keys(table.nl).sort())
    }
  })

  it('a count takes the singular for one and the plural otherwise', () => {
    expect([0, 1, 2].map((n) => countOf('nl', n, 'card'))).toEqual([
      '0 kaarten',
      '1 kaart',
      '2 kaarten',
    ])
    expect([0, 1, 2].map((n) => countOf('nl', n, 'dot'))).toEqual([
      '0 stippen',
      '1 stip',
      '2 stippen',
    ])
    expect([0, 1, 2].map((n) => countOf('en', n, 'voter'))).toEqual([
      '0 voters',
      '1 voter',
      '2 voters',
    ])
    expect(countOf('en', 1, 'participant')).toBe('1 participant')
  })

  it('durations read in minutes and hours', () => {
    const min = 60_000
    expect(formatDuration('nl', 20_000)).toBe('< 1 min')
    expect(formatDuration('nl', 12 * min)).toBe('12 min')
    expect(formatDuration('nl', 65 * min)).toBe('1 uur 5 min')
    expect(formatDuration('en', 120 * min)).toBe('2 h')
  })
})
