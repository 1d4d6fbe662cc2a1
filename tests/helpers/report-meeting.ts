/**
 * A meeting worth a report: rich cards at every table, a rich statement, nine candidate tasks with
 * long titles (two merged), a dots round and a scores round with a tie, and tables of 4, 1 and 3
 * voters, so the default per-table anonymity has one table to pool. Used by the report e2e test
 * and the report screenshots.
 */
import type { StipServer } from '../../server/app.ts'
import { ROUND_API } from '../../shared/api.ts'
import { type Block, writeBlocks } from '../../shared/richtext.ts'
import { addCard, boardRoot, cardBody } from '../../shared/schema.ts'
import { addTask, mergeTasks, writePrinciple } from '../../shared/tasks.ts'
import { SEED_TASKS, SEED_VISIONS, makeCard } from '../fixtures/builders.ts'
import { saved } from './clients.ts'
import type { Track } from './lifecycle.ts'
import { bearerFetch, facilitatedWorkshop } from './scenario.ts'
import { joinTable } from './server.ts'

const run = (text: string, ...marks: ('bold' | 'italic')[]) => ({ text, marks })
const para = (...runs: ReturnType<typeof run>[]): Block => ({
  type: 'paragraph',
  runs,
  children: [],
})
const bullets = (...texts: string[]): Block => ({
  type: 'bulletList',
  runs: [],
  children: texts.map((t) => ({ type: 'listItem', runs: [], children: [para(run(t))] })),
})

/** Voters per table, in the template's table order. */
export const REPORT_VOTERS = [4, 1, 3]
export const TASK_IDS = SEED_TASKS.map((_, i) => `task-${i}`)

export async function reportMeeting(server: Pick<StipServer, 'url' | 'wsUrl'>, track: Track) {
  const { ws, info, fac } = await facilitatedWorkshop(server, track, 'Regio Alkmaar: samen verder')
  info.tables.forEach((t, i) => {
    const vision = `v${i}`
    addCard(
      fac.board,
      makeCard({ id: vision, kind: 'vision', table: t.id, x: t.x + 24, y: t.y + 96 }),
    )
    writeBlocks(cardBody(fac.board, vision)!, [
      para(
        run('Over vijf jaar', 'bold'),
        run(' werken we '),
        run('vanzelfsprekend', 'italic'),
        run(' samen:'),
      ),
      bullets(
        Object.values(SEED_VISIONS)[i]!,
        'één loket voor inwoners',
        'gedeelde kennis en data',
      ),
    ])
    for (let k = 0; k < 4; k++) {
      addCard(
        fac.board,
        makeCard({
          id: `n${i}-${k}`,
          kind: 'need',
          table: t.id,
          x: t.x + 24,
          y: t.y + 260,
          text: `${SEED_TASKS[(i + k) % SEED_TASKS.length]} — wat is daarvoor nodig bij ${t.name}?`,
        }),
      )
    }
  })
  writeBlocks(boardRoot(fac.board).statement, [
    para(
      run('Wij kiezen er samen voor om '),
      run('de inwoner centraal', 'bold'),
      run(' te zetten.'),
    ),
    bullets('We delen wat we weten.', 'We leren van elkaar, ook over grenzen van gemeenten heen.'),
  ])
  ;[
    'Kleine stappen, zichtbaar resultaat',
    'Iedereen doet mee',
    'Eerlijk over wat niet lukt',
  ].forEach((text, order) => writePrinciple(fac.board, { id: `pr${order}`, text, order }))
  TASK_IDS.forEach((id, i) =>
    addTask(fac.board, {
      id,
      title: `${SEED_TASKS[i]!}${i % 3 === 0 ? ', met aandacht voor de regio als geheel en alle betrokken partners' : ''}`,
      origin: [`v${i % 3}`],
      author: 'f',
      created: i,
    }),
  )
  addTask(fac.board, {
    id: 'dup-a',
    title: 'Normatief kader (dubbel)',
    origin: [],
    author: 'f',
    created: 20,
  })
  addTask(fac.board, {
    id: 'dup-b',
    title: 'Een gedeeld kader',
    origin: [],
    author: 'f',
    created: 21,
  })
  mergeTasks(fac.board, TASK_IDS[0]!, ['dup-a', 'dup-b'])
  await saved(fac)

  const asFacilitator = bearerFetch(server.url, ws.facilitatorKey)
  const ok = async (res: Promise<Response>) => {
    const r = await res
    if (!r.ok) throw new Error(`${r.status} ${await r.text()}`)
    return r
  }
  const people: { token: string; table: number }[] = []
  let n = 0
  for (const [table, count] of REPORT_VOTERS.entries()) {
    for (let i = 0; i < count; i++) {
      const p = await joinTable(server.url, ws.joinCode, `Deelnemer ${++n}`, info.tables[table]!.id)
      people.push({ token: p.token, table })
    }
  }
  const open = async (body: unknown) =>
    (
      (await (await ok(asFacilitator('POST', ROUND_API.open(ws.id), body))).json()) as {
        roundId: string
      }
    ).roundId
  const vote = (token: string, roundId: string, ballot: unknown) =>
    ok(bearerFetch(server.url, token)('POST', ROUND_API.ballot(ws.id, roundId), ballot))

  const dots = await open({
    kind: 'dots',
    taskIds: TASK_IDS,
    title: 'Welke opgaven pakken we op?',
    dotsPerPerson: 5,
    maxPerTask: 3,
  })
  for (const [i, p] of people.entries()) {
    // the lone voter (table 1) puts everything on the last task: nowhere may that be readable
    const ballot =
      p.table === 1
        ? { [TASK_IDS.at(-1)!]: 3, [TASK_IDS.at(-2)!]: 2 }
        : { [TASK_IDS[i % 4]!]: 3, [TASK_IDS[4 + (i % 3)]!]: 2 }
    await vote(p.token, dots, { dots: ballot })
  }
  await ok(asFacilitator('POST', ROUND_API.reveal(ws.id, dots), {}))

  const scored = TASK_IDS.slice(0, 5)
  const scores = await open({ kind: 'scores', taskIds: scored, title: 'Energie en impact' })
  for (const p of people) {
    // tasks 0 and 1 get the same scores from everyone: a tie the matrix must draw apart
    const s = Object.fromEntries(
      scored.map((id, i) => [
        id,
        i < 2
          ? { energie: 4, impact: 4 }
          : { energie: 1 + i - 2 + (p.table % 2), impact: 5 - i + 2 },
      ]),
    )
    await vote(p.token, scores, { scores: s })
  }
  await ok(asFacilitator('POST', ROUND_API.reveal(ws.id, scores), {}))
  await saved(fac)
  return { ws, info, fac, asFacilitator, dots, scores }
}
