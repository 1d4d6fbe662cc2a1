/**
 * The default workshop template: the diner pensant from the seeds, three tables that each take one
 * perspective on "how do we want it to be in 5 years, and what is needed?".
 */
import type * as Y from 'yjs'
import {
  type Anonymity,
  type MetaInput,
  type Perspective,
  type Table,
  writeMeta,
  writeTable,
} from './schema.ts'

export interface TemplateTable {
  perspective: Perspective
  name: { nl: string; en: string }
  color: string
  pattern: Table['pattern']
}

export interface WorkshopTemplate {
  question: { nl: string; en: string }
  tables: TemplateTable[]
}

export const DEFAULT_TEMPLATE: WorkshopTemplate = {
  question: {
    nl: 'Hoe ziet de toekomst er over 5 jaar uit, en wat is daarvoor nodig?',
    en: 'What does the future look like in 5 years, and what is needed for it?',
  },
  tables: [
    {
      perspective: 'inwoner',
      name: { nl: 'Inwoner', en: 'Citizen' },
      color: '#1b6e3c',
      pattern: 'dots',
    },
    {
      perspective: 'management',
      name: { nl: 'Management', en: 'Management' },
      color: '#1d4f91',
      pattern: 'lines',
    },
    {
      perspective: 'openbaar-bestuur',
      name: { nl: 'Openbaar bestuur', en: 'Public administration' },
      color: '#8a3b12',
      pattern: 'grid',
    },
  ],
}

export const ZONE = { w: 760, h: 900, gap: 80 } as const

export interface TemplateOptions {
  title: string
  language: 'nl' | 'en'
  anonymity: Anonymity
  question?: string | undefined
  /** One id per template table, injected so tests are deterministic. */
  tableIds: string[]
}

export function applyTemplate(doc: Y.Doc, template: WorkshopTemplate, opts: TemplateOptions): void {
  const meta: MetaInput = {
    title: opts.title,
    question: opts.question ?? template.question[opts.language],
    anonymity: opts.anonymity,
    language: opts.language,
  }
  doc.transact(() => {
    writeMeta(doc, meta)
    template.tables.forEach((t, i) => {
      const id = opts.tableIds[i]
      if (!id) throw new Error(`template needs ${template.tables.length} table ids`)
      writeTable(doc, {
        id,
        name: t.name[opts.language],
        perspective: t.perspective,
        color: t.color,
        pattern: t.pattern,
        order: i,
        x: i * (ZONE.w + ZONE.gap),
        y: 0,
        w: ZONE.w,
        h: ZONE.h,
      })
    })
  })
}
