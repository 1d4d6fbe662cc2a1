/**
 * BoardTimeline must show exactly the board DocReplay shows (the Yjs doc replayed to that entry),
 * at every position of a seeded multi-author session with rich text, drags, deletes, tasks,
 * principles and the statement.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { BoardTimeline } from '../../shared/board-timeline.ts'
import { DocReplay, type HistoryEntry } from '../../shared/history.ts'
import { type Block, readBlocks } from '../../shared/richtext.ts'
import { BOARD_LAYOUT, BOARD_ROOT, boardRoot, cardBody, listCards } from '../../shared/schema.ts'
import { addTask, allTasks, renameTask, writePrinciple } from '../../shared/tasks.ts'
import { applyTemplate, DEFAULT_TEMPLATE } from '../../shared/template.ts'
import { randomCardEdit, typeInto } from '../fault/frames.ts'
import { type Rng, mulberry32 } from '../fault/rng.ts'

const ENTRIES = 1500
const LAYOUT = BOARD_LAYOUT

/** Rich structure in a card body: a heading, a bullet list, bold over a range. */
function richEdit(rng: Rng, doc: Y.Doc): void {
  const cards = listCards(doc)
  if (!cards.length) return
  const body = cardBody(doc, rng.pick(cards).id)
  if (!body) return
  switch (rng.int(3)) {
    case 0: {
      const h = new Y.XmlElement('heading')
      h.setAttribute('level', (1 + rng.int(3)) as unknown as string)
      h.insert(0, [new Y.XmlText('Kop')])
      body.insert(0, [h])
      return
    }
    case 1: {
      const item = new Y.XmlElement('listItem')
      const p = new Y.XmlElement('paragraph')
      p.insert(0, [new Y.XmlText('punt')])
      item.insert(0, [p])
      const list = new Y.XmlElement('bulletList')
      list.insert(0, [item])
      body.insert(body.length, [list])
      return
    }
    default: {
      const first = body.get(0)
      const text = first instanceof Y.XmlElement ? first.get(0) : null
      if (text instanceof Y.XmlText && text.length > 1) {
        text.format(rng.int(text.length - 1), 1 + rng.int(3), {
          [rng.pick(['bold', 'italic'])]: rng.bool(0.8) ? {} : null,
        })
      }
    }
  }
}

function session(seed: number): HistoryEntry[] {
  const rng = mulberry32(seed)
  const doc = new Y.Doc()
  const log: HistoryEntry[] = []
  doc.on('update', (data: Uint8Array) =>
    log.push({ seq: log.length + 1, time: log.length * 10, data }),
  )
  doc.clientID = 1
  applyTemplate(doc, DEFAULT_TEMPLATE, {
    title: 'Diner pensant',
    language: 'nl',
    anonymity: 'table',
    tableIds: ['t0', 't1', 't2'],
  })
  const tables = ['t0', 't1', 't2']
  while (log.length < ENTRIES) {
    doc.clientID = 10 + rng.int(6)
    const roll = rng.int(20)
    if (roll < 11) randomCardEdit(rng, doc, 'c', tables)
    else if (roll < 14) richEdit(rng, doc)
    else if (roll < 16) typeInto(rng, boardRoot(doc).statement)
    else if (roll < 18) {
      const tasks = allTasks(doc)
      if (tasks.length && rng.bool()) renameTask(doc, rng.pick(tasks).id, `Opgave ${log.length}`)
      else
        addTask(doc, {
          id: `task${log.length}`,
          title: 'Opgave',
          origin: [],
          author: 'f',
          created: log.length,
        })
    } else
      writePrinciple(doc, {
        id: `pr${rng.int(5)}`,
        text: `Principe ${log.length}`,
        order: rng.int(5),
      })
  }
  doc.destroy()
  return log
}

/** Runs merged where marks agree, so one text or several with the same marks compare equal. */
function normalBlocks(blocks: Block[]): unknown {
  return blocks.map((b) => {
    const runs: { text: string; marks: string }[] = []
    for (const r of b.runs) {
      const marks = [...r.marks].sort().join()
      const last = runs[runs.length - 1]
      if (last && last.marks === marks) last.text += r.text
      else if (r.text) runs.push({ text: r.text, marks })
    }
    return { type: b.type, level: b.level, runs, children: normalBlocks(b.children) }
  })
}

function view(doc: Y.Doc): unknown {
  const out: Record<string, unknown> = {}
  for (const name of LAYOUT.maps) {
    const entries: Record<string, unknown> = {}
    for (const [key, v] of doc.getMap<unknown>(name).entries()) {
      if (!(v instanceof Y.Map)) {
        entries[key] = v
        continue
      }
      entries[key] = Object.fromEntries(
        [...v.entries()].map(([k, f]) => [
          k,
          f instanceof Y.XmlFragment ? normalBlocks(readBlocks(f)) : f,
        ]),
      )
    }
    out[name] = entries
  }
  out.statement = normalBlocks(readBlocks(doc.getXmlFragment(BOARD_ROOT.statement)))
  return out
}

describe('BoardTimeline', () => {
  it('shows the same board as the replayed Yjs doc at every log position', () => {
    const log = session(20261123)
    const timeline = new BoardTimeline(log, LAYOUT)
    const replay = new DocReplay(log)
    let cardsSeen = 0
    // the timeline has no notion of a current position: every lookup stands alone
    for (let i = -1; i < log.length; i++) {
      const expected = view(replay.docAtIndex(i))
      expect(view(timeline.docAtIndex(i)), `entry ${i}`).toEqual(expected)
      cardsSeen = Math.max(cardsSeen, listCards(replay.docAtIndex(i)).length)
    }
    expect(cardsSeen).toBeGreaterThan(10)
    timeline.destroy()
    replay.destroy()
  })
})
