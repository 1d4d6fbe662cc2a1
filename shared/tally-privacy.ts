/**
 * Small groups stay anonymous (issue #11 point 5). In the anonymous modes a table's own tally is
 * shown only when at least `minTableVoters` people voted there; the smaller tables are pooled into
 * one "other tables" row. This is the one place that decides it: the reveal route writes tallies
 * through it, and report and export pass what they read through it again.
 */
import { type Tally, type TaskTally } from './control.ts'
import { Anonymity } from './schema.ts'

/** The pooled row's key in a tally's `byTable`: '~' is not in ID_PATTERN, so no table has it. */
export const OTHER_TABLES = '~other'

/** Three: with two, each of the two knows the other's ballot. */
export const DEFAULT_MIN_TABLE_VOTERS = 3
export const MIN_TABLE_VOTERS_RANGE = { min: 2, max: 20 } as const

export interface TallyPrivacy {
  anonymity: Anonymity
  minTableVoters: number
}

type TableTally = TaskTally['byTable'][string]

/** Scores are means over those who scored; pooled means weigh each table by its scorers. */
function pool(parts: TableTally[]): TableTally {
  const scores: Record<string, number | null> = {}
  const scored: Record<string, number> = {}
  for (const c of new Set(parts.flatMap((p) => Object.keys(p.scores)))) {
    let sum = 0
    let n = 0
    for (const p of parts) {
      const v = p.scores[c]
      if (v === null || v === undefined) continue
      const w = p.scored?.[c] ?? p.voters
      sum += v * w
      n += w
    }
    scores[c] = n ? Math.round((sum / n) * 100) / 100 : null
    scored[c] = n
  }
  return {
    dots: parts.reduce((s, p) => s + p.dots, 0),
    scores,
    scored,
    voters: parts.reduce((s, p) => s + p.voters, 0),
  }
}

/**
 * Which tables keep their own row. The pooled row must itself hold >= k voters, or the total minus
 * the shown tables would give it away; so while it is short, the smallest shown table joins it.
 */
function pooledTables(votersByTable: Record<string, number>, k: number): Set<string> {
  const own = Object.entries(votersByTable).filter(([id]) => id !== OTHER_TABLES)
  const pooled = new Set(own.filter(([, n]) => n < k).map(([id]) => id))
  if (!pooled.size) return pooled
  let inPool =
    (votersByTable[OTHER_TABLES] ?? 0) +
    own.filter(([id]) => pooled.has(id)).reduce((s, [, n]) => s + n, 0)
  const shown = own
    .filter(([id]) => !pooled.has(id))
    .sort(([a, x], [b, y]) => x - y || (a < b ? -1 : 1))
  while (inPool > 0 && inPool < k && shown.length) {
    const [id, n] = shown.shift()!
    pooled.add(id)
    inPool += n
  }
  return pooled
}

/**
 * The tally as it may be shown: unchanged when named, else with every table under the threshold
 * pooled into {@link OTHER_TABLES}. Applying it twice changes nothing.
 */
export function protectTally(tally: Tally, privacy: TallyPrivacy): Tally {
  if (privacy.anonymity === Anonymity.Named) return tally
  const pooled = pooledTables(tally.votersByTable, privacy.minTableVoters)
  if (!pooled.size) return tally
  const keep = <T>(rec: Record<string, T>) =>
    Object.entries(rec).filter(([id]) => !pooled.has(id) && id !== OTHER_TABLES)
  const fromPool = <T>(rec: Record<string, T>) =>
    Object.entries(rec)
      .filter(([id]) => pooled.has(id) || id === OTHER_TABLES)
      .map(([, v]) => v)
  const otherVoters = fromPool(tally.votersByTable).reduce((s, n) => s + n, 0)
  return {
    ...tally,
    votersByTable: {
      ...Object.fromEntries(keep(tally.votersByTable)),
      [OTHER_TABLES]: otherVoters,
    },
    otherTables: [...new Set([...(tally.otherTables ?? []), ...pooled])].sort(),
    pooledBelow: Math.max(privacy.minTableVoters, tally.pooledBelow ?? 0),
    tasks: tally.tasks.map((t) => {
      const parts = fromPool(t.byTable)
      return {
        ...t,
        byTable: {
          ...Object.fromEntries(keep(t.byTable)),
          ...(parts.length && { [OTHER_TABLES]: pool(parts) }),
        },
      }
    }),
  }
}
