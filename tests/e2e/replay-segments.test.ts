/**
 * The replay screen over a log of several segments (issue 11 point 10), in Chromium: a meeting of
 * some 8,000 board entries is written through the relay (a facilitator's client, no UI), the
 * organiser steps the replay's slider with the keyboard from the start to the end and back, and at
 * every moment it lands on, the board and the meeting beside it (cards, statement, principles,
 * tasks, rounds, results) equal the docs rebuilt here from the server's whole history up to that
 * moment. The screen opens on the meeting's end, so the first steps land in segments not fetched yet.
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import * as Y from 'yjs'
import { HISTORY_API, ROUND_API } from '../../shared/api.ts'
import { listRounds, readChosen, readShownRound, setChosen } from '../../shared/control.ts'
import { type History, type HistoryEntry, decodeHistory } from '../../shared/history.ts'
import { decodeReplayHead } from '../../shared/replay-segments.ts'
import { type Block, plainText, writeBlocks } from '../../shared/richtext.ts'
import {
  addCard,
  boardRoot,
  cardBody,
  deleteCard,
  listCards,
  moveCard,
} from '../../shared/schema.ts'
import { addTask, listPrinciples, listTasks, writePrinciple } from '../../shared/tasks.ts'
import { blocksText } from '../../client/cards/cardLabel.ts'
import { readBlocks } from '../../shared/richtext.ts'
import { makeCard } from '../fixtures/builders.ts'
import { saved } from '../helpers/clients.ts'
import { openReplayPage, startAppServer, useBrowser } from '../helpers/browser.ts'
import { useCleanups } from '../helpers/lifecycle.ts'
import { bearerFetch, facilitatedWorkshop } from '../helpers/scenario.ts'
import { joinTable } from '../helpers/server.ts'

const browser = useBrowser()
const track = useCleanups()

/** Board entries per burst of card moves: three bursts fill at least three default segments. */
const BURST = 2_600
/** Moves sent before the clock moves on, so the bursts spread over the meeting's time. */
const CHUNK = 100
const CHUNK_MS = 10_000
/** Page Up moves a tenth of the meeting: from its start, this many reach its end. */
const PAGE_STEPS = 10
/** A moment whose segment is not in yet waits for its fetch and build. */
const MOMENT_WAIT = { timeout: 15_000, interval: 100 }

const paragraph = (text: string): Block[] => [
  { type: 'paragraph', runs: [{ text, marks: [] }], children: [] },
]

/** Replaces a rich text's contents with one paragraph, in one transaction (one log entry). */
function rewrite(fragment: Y.XmlFragment, text: string): void {
  fragment.doc!.transact(() => {
    fragment.delete(0, fragment.length)
    writeBlocks(fragment, paragraph(text))
  })
}

const words = (text: string) => text.replace(/\s+/g, ' ').trim()

/** What the replay should show at a moment: read from the docs the log rebuilds up to it. */
interface Shown {
  cards: [string, string][]
  statement: string
  principles: string[]
  tasks: [string, boolean][]
  rounds: string[]
  results: string | null
}

function docsAt(history: History, time: number) {
  const build = (entries: HistoryEntry[]) => {
    const doc = new Y.Doc()
    for (const e of entries) if (e.time <= time) Y.applyUpdate(doc, e.data)
    return doc
  }
  return { board: build(history.board), control: build(history.control) }
}

function expected(history: History, time: number): Shown {
  const { board, control } = docsAt(history, time)
  try {
    const chosen = new Set(readChosen(control))
    const rounds = listRounds(control)
    const revealed = rounds.filter((r) => r.status === 'revealed')
    const shown = readShownRound(control)
    return {
      cards: listCards(board)
        .map((c): [string, string] => [c.id, blocksText(readBlocks(cardBody(board, c.id)!))])
        .sort((a, b) => a[0].localeCompare(b[0])),
      statement: words(plainText(boardRoot(board).statement)),
      principles: listPrinciples(board).map((p) => p.text),
      tasks: listTasks(board).map((t): [string, boolean] => [t.title, chosen.has(t.id)]),
      rounds: rounds.map((r) => r.status),
      results: (revealed.find((r) => r.id === shown) ?? revealed.at(-1))?.id ?? null,
    }
  } finally {
    board.destroy()
    control.destroy()
  }
}

/** The same, read from the replay screen once its moment is in (not pending). */
async function onScreen(page: Page): Promise<Shown & { pending: string; cardLabels: string[] }> {
  return page.evaluate(() => {
    const all = (root: ParentNode, id: string) => [
      ...root.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`),
    ]
    const meeting = document.querySelector('[data-testid="replay-meeting"]')!
    const cards = all(document.querySelector('[data-testid="replay-board"]')!, 'card')
    return {
      pending: document.querySelector('[data-testid="replay-load-status"] [role="status"]')!
        .textContent!,
      cards: cards
        .map((c): [string, string] => [c.dataset.cardId!, ''])
        .sort((a, b) => a[0].localeCompare(b[0])),
      cardLabels: cards.map((c) => `${c.dataset.cardId} ${c.getAttribute('aria-label')}`),
      statement: all(meeting, 'statement-panel')[0]!.innerText,
      principles: all(meeting, 'principle-item').map((p) => p.innerText.trim()),
      tasks: all(meeting, 'task-item').map((t): [string, boolean] => [
        t.innerText,
        t.classList.contains('is-chosen'),
      ]),
      rounds: all(meeting, 'replay-round').map((r) => r.dataset.status!),
      results: all(meeting, 'results')[0]?.dataset.roundId ?? null,
    }
  })
}

/** Compares what the screen shows with what the log says, waiting for the moment to be in. */
async function expectMoment(page: Page, history: History, time: number) {
  const want = expected(history, time)
  await expect
    .poll(async () => {
      const got = await onScreen(page)
      if (got.pending) return 'pending'
      return {
        cards: got.cards.map(([id]) => id),
        // the accessible name carries the start of the card's text
        cardText: want.cards.every(([id, text]) =>
          got.cardLabels.some((l) => l.startsWith(`${id} `) && l.includes(text.slice(0, 40))),
        ),
        statement: words(got.statement).includes(want.statement) || got.statement,
        principles: got.principles,
        tasks: got.tasks.map(([title, chosen]) => [
          want.tasks.find(([t]) => title.includes(t))?.[0] ?? title,
          chosen,
        ]),
        rounds: got.rounds,
        results: got.results,
      }
    }, MOMENT_WAIT)
    .toEqual({
      cards: want.cards.map(([id]) => id),
      cardText: true,
      statement: true,
      principles: want.principles,
      tasks: want.tasks,
      rounds: want.rounds,
      results: want.results,
    })
  return want
}

describe('replay over several segments (Chromium)', () => {
  it('stepping the slider by keyboard across segment borders shows, at every moment, the meeting the log rebuilds', async () => {
    let now = Date.UTC(2026, 11, 1, 9, 0)
    const server = await startAppServer({ clock: { now: () => now } })
    track(() => server.close())
    const { ws, info, fac } = await facilitatedWorkshop(server, track, 'Leertuin Participatie')
    const tables = info.tables.map((t) => t.id)
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await bearerFetch(server.url, ws.facilitatorKey)(method, path, body)
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
      return res
    }
    const people = await Promise.all(
      ['Anna', 'Bram', 'Cem'].map((name, i) =>
        joinTable(server.url, ws.joinCode, name, tables[i]!),
      ),
    )
    const round = async (title: string, ballot: Record<string, number>) => {
      const { roundId } = (await (
        await api('POST', ROUND_API.open(ws.id), {
          kind: 'dots',
          taskIds: ['t1', 't2', 't3'].filter((id) => listTasks(fac.board).some((t) => t.id === id)),
          title,
          dotsPerPerson: 3,
          maxPerTask: 3,
        })
      ).json()) as { roundId: string }
      for (const p of people) {
        const res = await bearerFetch(server.url, p.token)(
          'POST',
          ROUND_API.ballot(ws.id, roundId),
          { dots: ballot },
        )
        expect(res.ok).toBe(true)
      }
      return roundId
    }
    // card moves, a chunk per clock step, each move its own log entry
    const burst = async (seed: number) => {
      for (let i = 0; i < BURST; i++) {
        const id = `c${(seed + i) % 9}`
        if (listCards(fac.board).some((c) => c.id === id))
          moveCard(fac.board, id, { x: 40 + ((seed + i) % 7), y: 60 + (i % 5) })
        if ((i + 1) % CHUNK === 0) {
          await saved(fac)
          now += CHUNK_MS
        }
      }
      await saved(fac)
    }
    const step = async (write: () => void | Promise<void>) => {
      now += 60_000
      await write()
      await saved(fac)
    }

    await step(() => {
      for (let i = 0; i < 9; i++)
        addCard(
          fac.board,
          makeCard({ id: `c${i}`, table: tables[i % 3]!, text: `Kaart ${i}: eerste versie` }),
        )
      rewrite(boardRoot(fac.board).statement, 'De inwoner staat centraal.')
      writePrinciple(fac.board, { id: 'pr1', text: 'Iedereen doet mee', order: 1 })
      addTask(fac.board, { id: 't1', title: 'Eén loket', origin: [], author: 'f', created: 1 })
      addTask(fac.board, { id: 't2', title: 'Samen leren', origin: [], author: 'f', created: 2 })
    })
    await burst(0)
    const first = await round('Welke opgaven eerst?', { t1: 2, t2: 1 })
    await step(async () => {
      rewrite(boardRoot(fac.board).statement, 'Samen met de inwoner, dichtbij.')
      writePrinciple(fac.board, { id: 'pr2', text: 'Eerlijk over wat niet lukt', order: 2 })
      addTask(fac.board, { id: 't3', title: 'Data delen', origin: [], author: 'f', created: 3 })
      rewrite(cardBody(fac.board, 'c0')!, 'Kaart 0: herschreven na de eerste ronde')
      await api('POST', ROUND_API.reveal(ws.id, first), {})
    })
    await burst(3)
    const second = await round('Tweede ronde', { t3: 3 })
    await step(async () => {
      deleteCard(fac.board, 'c1')
      addCard(fac.board, makeCard({ id: 'c9', table: tables[1]!, text: 'Kaart 9: laat erbij' }))
      setChosen(fac.control, 't1', true)
      await api('POST', ROUND_API.reveal(ws.id, second), {})
    })
    await burst(5)
    await step(async () => {
      writePrinciple(fac.board, { id: 'pr3', text: 'Klein beginnen', order: 3 })
      await round('Derde ronde, nog open', { t2: 3 })
    })

    const history = decodeHistory(
      new Uint8Array(await (await api('GET', HISTORY_API.history(ws.id))).arrayBuffer()),
    )
    // the replay's own outline: the board's log is at least three segments
    const head = decodeReplayHead(
      new Uint8Array(await (await api('GET', HISTORY_API.replayOutline(ws.id))).arrayBuffer()),
    )
    expect(head.outline.board.length).toBeGreaterThanOrEqual(3)

    const { page, watch } = await openReplayPage(browser(), server.url, ws, track)
    const scrubber = page.getByRole('slider', { name: 'Moment in de bijeenkomst' })
    await scrubber.waitFor()
    const value = async () => Number(await scrubber.inputValue())
    // the bar of the rest loading floats over the board: its going does not move the board
    const board = page.getByTestId('replay-board')
    const top = async () => (await board.boundingBox())!.y
    const topWhileLoading = await top()
    const end = await value()
    const atEnd = await expectMoment(page, history, end)
    expect(atEnd.rounds).toEqual(['revealed', 'revealed', 'open'])

    await scrubber.focus()
    await page.keyboard.press('Home')
    const start = await value()
    expect(start).toBeLessThan(end)
    const atStart = await expectMoment(page, history, start)
    expect(atStart.rounds).toEqual([])

    // forwards a tenth at a time, each step checked: the moments pass through every segment
    const seen = new Set<string>()
    for (let i = 0; i < PAGE_STEPS; i++) {
      await page.keyboard.press('PageUp')
      const shown = await expectMoment(page, history, await value())
      seen.add(JSON.stringify([shown.statement, shown.rounds, shown.results]))
    }
    // the moments stepped on were not all one state
    expect(seen.size).toBeGreaterThanOrEqual(3)

    // and back with the arrow keys, a hundredth at a time, across the last border
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('ArrowLeft')
      await expectMoment(page, history, await value())
    }
    const boardSegments = head.outline.board
    const middle = boardSegments[Math.floor(boardSegments.length / 2)]!
    await scrubber.fill(String((middle.firstTime + middle.lastTime) / 2))
    await expectMoment(page, history, await value())
    await page.keyboard.press('End')
    await expectMoment(page, history, end)
    await page
      .locator('[data-testid="replay-load-status"][data-complete="true"]')
      .waitFor({ state: 'attached' })
    expect(await top()).toBe(topWhileLoading)
    expect(watch.errors).toEqual([])
  })
})
