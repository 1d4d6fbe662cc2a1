/** Report wording in Dutch (default) and English; same keys in both, checked by a unit test. */
import type { Perspective } from './schema.ts'
import type { VoteKind } from './vote-kinds/kind.ts'

export type ReportLang = 'nl' | 'en'

export const REPORT_STRINGS = {
  nl: {
    report: 'Verslag',
    question: 'Centrale vraag',
    generated: 'Gemaakt op',
    participants: 'Deelnemers',
    perTable: 'Per tafel',
    table: 'Tafel',
    perspective: 'perspectief',
    visions: 'Toekomstbeeld',
    needs: 'Wat is daarvoor nodig',
    other: 'Overige kaarten',
    none: 'geen',
    statement: 'Gezamenlijk statement',
    principles: 'Uitgangspunten',
    tasks: 'Mogelijke opgaven',
    task: 'Opgave',
    chosen: 'Gekozen opgaven',
    chosenMark: 'gekozen',
    rounds: 'Stemrondes',
    notRevealed: 'uitslag niet getoond',
    perPerspective: 'Per perspectief',
    total: 'Totaal',
    meanScore: 'gemiddelde score',
    phases: 'Verloop',
    running: 'loopt nog',
    from: 'uit',
    results: 'Uitslag',
    otherTables: 'Overige tafels',
    otherTablesNote:
      'samen getoond: aan een tafel met minder dan {k} stemmers zou iemands stem te herleiden zijn',
    mergedFrom: 'samengevoegd',
    matrixLow: 'laag',
    matrixHigh: 'hoog',
  },
  en: {
    report: 'Report',
    question: 'Central question',
    generated: 'Generated on',
    participants: 'Participants',
    perTable: 'Per table',
    table: 'Table',
    perspective: 'perspective',
    visions: 'Vision of the future',
    needs: 'What is needed',
    other: 'Other cards',
    none: 'none',
    statement: 'Shared statement',
    principles: 'Principles',
    tasks: 'Candidate tasks',
    task: 'Task',
    chosen: 'Chosen tasks',
    chosenMark: 'chosen',
    rounds: 'Voting rounds',
    notRevealed: 'result not revealed',
    perPerspective: 'Per perspective',
    total: 'Total',
    meanScore: 'mean score',
    phases: 'Agenda as it ran',
    running: 'still running',
    from: 'from',
    results: 'Result',
    otherTables: 'Other tables',
    otherTablesNote:
      'shown together: at a table with fewer than {k} voters someone’s vote could be traced',
    mergedFrom: 'merged in',
    matrixLow: 'low',
    matrixHigh: 'high',
  },
} as const satisfies Record<ReportLang, Record<string, string>>

export type ReportStrings = (typeof REPORT_STRINGS)['nl']

/** Nouns that follow a number, singular and plural ("1 kaart", "2 kaarten"). */
const NOUNS = {
  nl: {
    participant: ['deelnemer', 'deelnemers'],
    voter: ['stemmer', 'stemmers'],
    dot: ['stip', 'stippen'],
    card: ['kaart', 'kaarten'],
  },
  en: {
    participant: ['participant', 'participants'],
    voter: ['voter', 'voters'],
    dot: ['dot', 'dots'],
    card: ['card', 'cards'],
  },
} as const satisfies Record<ReportLang, Record<string, readonly [string, string]>>
export type CountNoun = keyof (typeof NOUNS)['nl']

/** "1 kaart", "3 kaarten", "1 dot", "0 dots": the plural rule of the language picks the form. */
export function countOf(lang: ReportLang, n: number, noun: CountNoun): string {
  const [one, other] = NOUNS[lang][noun]
  return `${n} ${new Intl.PluralRules(lang).select(n) === 'one' ? one : other}`
}

export const PERSPECTIVE_LABELS = {
  nl: {
    inwoner: 'Inwoner',
    management: 'Management',
    'openbaar-bestuur': 'Openbaar bestuur',
    other: 'Overig',
  },
  en: {
    inwoner: 'Citizen',
    management: 'Management',
    'openbaar-bestuur': 'Public administration',
    other: 'Other',
  },
} as const satisfies Record<ReportLang, Record<Perspective, string>>

/** Mapped over the vote kinds: a kind added without its name here does not compile. */
export const ROUND_KIND_LABELS = {
  nl: { dots: 'stippen verdelen', scores: 'scores geven' },
  en: { dots: 'dot voting', scores: 'scoring' },
} as const satisfies Record<ReportLang, Record<VoteKind, string>>

/** A mean score as the report prints it ("2,5" / "2.5"); a dash when nobody scored. */
export const scoreText = (lang: ReportLang, score: number | null) =>
  score === null
    ? '–'
    : score.toLocaleString(lang === 'nl' ? 'nl-NL' : 'en-GB', { maximumFractionDigits: 2 })

export const ROUND_STATUS_LABELS = {
  nl: { open: 'open', closed: 'gesloten', revealed: 'uitslag getoond' },
  en: { open: 'open', closed: 'closed', revealed: 'result revealed' },
} as const satisfies Record<ReportLang, Record<'open' | 'closed' | 'revealed', string>>

const MINUTE_MS = 60_000

/** A phase's length to the minute: "45 min", "1 uur 5 min" / "1 h 5 min"; "< 1 min" when shorter. */
export function formatDuration(lang: ReportLang, ms: number): string {
  const minutes = Math.round(ms / MINUTE_MS)
  if (minutes < 1) return '< 1 min'
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  if (!h) return `${m} min`
  const hours = lang === 'nl' ? `${h} uur` : `${h} h`
  return m ? `${hours} ${m} min` : hours
}
