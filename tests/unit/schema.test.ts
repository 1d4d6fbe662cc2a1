import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  addCard,
  boardRoot,
  cardBody,
  deleteCard,
  listCards,
  listTables,
  moveCard,
  readMeta,
  setCardKind,
} from '../../shared/schema.ts'
import { layoutBoard, slotAt } from '../../shared/layout.ts'
import { DEFAULT_TEMPLATE, ZONE, applyTemplate } from '../../shared/template.ts'
import { plainText, readBlocks } from '../../shared/richtext.ts'
import { makeCard } from '../fixtures/builders.ts'

function templated(language: 'nl' | 'en' = 'nl') {
  const doc = new Y.Doc()
  doc.clientID = 1
  applyTemplate(doc, DEFAULT_TEMPLATE, {
    title: 'Leertuin Participatie',
    language,
    anonymity: 'table',
    tableIds: ['t-inwoner', 't-management', 't-bestuur'],
  })
  return doc
}

describe('default template', () => {
  it('has the three diner-pensant perspectives with the 5-year question in Dutch', () => {
    const doc = templated()
    expect(listTables(doc).map((t) => [t.name, t.perspective])).toEqual([
      ['Inwoner', 'inwoner'],
      ['Management', 'management'],
      ['Openbaar bestuur', 'openbaar-bestuur'],
    ])
    expect(readMeta(doc)).toEqual({
      title: 'Leertuin Participatie',
      question: 'Hoe ziet de toekomst er over 5 jaar uit, en wat is daarvoor nodig?',
      anonymity: 'table',
      language: 'nl',
      // the board policy's defaults (issue #14) until the server mirrors the workshop row
      cardScope: 'own-table',
      sharedTextOpen: false,
    })
  })

  it('gives every table a distinct colour and pattern, so colour is never the only cue', () => {
    const tables = listTables(templated('en'))
    expect(new Set(tables.map((t) => t.color)).size).toBe(3)
    expect(new Set(tables.map((t) => t.pattern)).size).toBe(3)
    expect(tables[2]!.name).toBe('Public administration')
  })

  it('lays zones side by side without overlap', () => {
    const [a, b] = listTables(templated())
    expect(b!.x).toBe(a!.x + ZONE.w + ZONE.gap)
  })
})

describe('card accessors', () => {
  it('add, move to another table, change kind and delete', () => {
    const doc = templated()
    addCard(doc, makeCard({ id: 'c1', table: 't-inwoner', text: 'Eén loket voor inwoners' }))
    expect(plainText(cardBody(doc, 'c1')!)).toBe('Eén loket voor inwoners')
    moveCard(doc, 'c1', { x: 900, y: 200, table: 't-management' })
    setCardKind(doc, 'c1', 'need')
    expect(listCards(doc)[0]).toMatchObject({ x: 900, y: 200, table: 't-management', kind: 'need' })
    deleteCard(doc, 'c1')
    expect(listCards(doc)).toEqual([])
  })

  it('skips entries a peer wrote in the wrong shape instead of crashing', () => {
    const doc = templated()
    addCard(doc, makeCard({ id: 'ok' }))
    const bad = new Y.Map<unknown>()
    boardRoot(doc).cards.set('bad', bad)
    bad.set('kind', 'virus')
    expect(listCards(doc).map((c) => c.id)).toEqual(['ok'])
  })

  it('rejects invalid cards at the write boundary', () => {
    const doc = templated()
    expect(() => addCard(doc, makeCard({ x: Number.NaN }))).toThrow()
  })

  it('finds the slot under a point, none in the gap between zones, and arranges a new card inside its zone', () => {
    const doc = templated()
    addCard(doc, makeCard({ id: 'c1', table: 't-management', x: 0, y: 0 }))
    const tables = listTables(doc)
    const layout = layoutBoard({ tables, cards: listCards(doc), height: () => undefined })
    expect(slotAt(layout, 10, 10)?.table).toBe('t-inwoner')
    expect(slotAt(layout, ZONE.w + 10, 10)).toBeNull() // the gap between zones
    const box = layout.boxes.get('c1')!
    const zone = layout.zones.get('t-management')!
    expect(box.x).toBeGreaterThanOrEqual(zone.x)
    expect(box.x + box.w).toBeLessThanOrEqual(zone.x + zone.w)
    expect(slotAt(layout, box.x + 1, box.y + 1)?.table).toBe('t-management')
  })
})

describe('rich text reading', () => {
  it('reads headings, lists and marks into an inert tree', () => {
    const doc = new Y.Doc()
    const frag = doc.getXmlFragment('f')
    const h = new Y.XmlElement('heading')
    h.setAttribute('level', '2')
    const t = new Y.XmlText()
    h.insert(0, [t])
    const list = new Y.XmlElement('bulletList')
    const item = new Y.XmlElement('listItem')
    const p = new Y.XmlElement('paragraph')
    p.insert(0, [new Y.XmlText('<img src=x onerror=alert(1)>')])
    item.insert(0, [p])
    list.insert(0, [item])
    frag.insert(0, [h, list])
    t.insert(0, 'Stip', { bold: true })
    const blocks = readBlocks(frag)
    expect(blocks[0]).toMatchObject({
      type: 'heading',
      level: 2,
      runs: [{ text: 'Stip', marks: ['bold'] }],
    })
    expect(plainText(frag)).toBe('Stip\n<img src=x onerror=alert(1)>')
  })
})
