/**
 * [issue 11.9] The open-round dialog's kind-specific part comes from the client's registry: every
 * kind has its settings (defaults, form, request), and what it sends is that kind's own fields,
 * which the server's request schema accepts.
 */
import { describe, expect, it } from 'vitest'
import { OpenRoundRequest } from '../../shared/api.ts'
import { VoteKind } from '../../shared/vote-kinds/kind.ts'
import { CLIENT_KINDS, CLIENT_KIND_LIST } from '../../client/voting/kinds/index.ts'
import { initialSettings, kindRequest } from '../../client/voting/kinds/settings.tsx'

describe('round settings per vote kind', () => {
  it('[K10] every kind of the registry has defaults that open a valid round', () => {
    expect([...CLIENT_KIND_LIST].sort()).toEqual(Object.values(VoteKind).sort())
    for (const lang of ['nl', 'en'] as const) {
      const drafts = initialSettings(lang)
      for (const kind of CLIENT_KIND_LIST) {
        expect(CLIENT_KINDS[kind].settings.Form).toBeTypeOf('function')
        const body = { title: '', taskIds: ['t1'], ...kindRequest(kind, drafts) }
        expect(OpenRoundRequest.safeParse(body).success).toBe(true)
      }
    }
  })

  it('[K11] dots: at most as many on one task as a person has; scores: empty criteria dropped, labels trimmed', () => {
    const drafts = initialSettings('nl')
    expect(
      kindRequest(VoteKind.Dots, { ...drafts, dots: { dotsPerPerson: 2, maxPerTask: 5 } }),
    ).toEqual({ kind: 'dots', dotsPerPerson: 2, maxPerTask: 2 })
    expect(
      kindRequest(VoteKind.Scores, {
        ...drafts,
        scores: {
          criteria: [
            { id: 'energie', label: '  Energie ' },
            { id: 'impact', label: '   ' },
          ],
        },
      }),
    ).toEqual({ kind: 'scores', criteria: [{ id: 'energie', label: 'Energie' }] })
    // the defaults speak the UI's language, and each draft is a copy of its own
    expect(initialSettings('en').scores.criteria.map((c) => c.label)).toEqual(['Energy', 'Impact'])
    expect(initialSettings('nl').scores.criteria).not.toBe(initialSettings('nl').scores.criteria)
  })
})
