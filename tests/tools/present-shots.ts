/**
 * npx tsx tests/tools/present-shots.ts [out dir]: every projector scene (issue #11 point 1) at
 * 1280×800, 1920×1080 and 1024×768, on a seeded meeting, plus the facilitator's scene controls.
 * For looking at, not for asserting: tests/e2e/present.test.ts asserts.
 */
import fs from 'node:fs'
import path from 'node:path'
import { ROUND_API, ROUTES } from '../../shared/api.ts'
import {
  type Phase,
  PresentScene,
  setChosen,
  setPhaseId,
  writePhases,
} from '../../shared/control.ts'
import { writePresent } from '../../shared/control-actions.ts'
import { addCard, boardRoot } from '../../shared/schema.ts'
import { writeBlocks } from '../../shared/richtext.ts'
import { addTask, writePrinciple } from '../../shared/tasks.ts'
import { DIST, launchBrowser } from '../helpers/chromium.ts'
import {
  createWorkshop,
  joinTable,
  lookup,
  removeTempDirs,
  startTestServer,
} from '../helpers/server.ts'
import { connectClient, live, saved } from '../helpers/clients.ts'
import { bearerFetch } from '../helpers/scenario.ts'
import { SEED_TASKS, SEED_VISIONS, makeCard } from '../fixtures/builders.ts'

const SIZES = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
  { width: 1024, height: 768 },
] as const

const TEXTS = [
  ...Object.values(SEED_VISIONS),
  ...SEED_TASKS,
  'Professionele ondersteuning dichtbij huis, zonder wachtlijsten.',
  'Overheidsdienstverlening die klantcontactmedewerkers ruimte geeft om zelf te beslissen.',
]
const PHASES: Phase[] = [
  { id: 'welkom', name: 'Welkom', minutes: 10 },
  { id: 'ronde', name: 'Tafelronde 1', minutes: 25 },
  { id: 'stemmen', name: 'Stemmen', minutes: 10 },
  { id: 'horizon', name: 'Stip op de horizon', minutes: 20 },
]

async function main() {
  const out = path.resolve(process.argv[2] ?? '/tmp/shots-present11')
  fs.mkdirSync(out, { recursive: true })
  const server = await startTestServer({ staticDir: DIST })
  const ws = await createWorkshop(server.url, 'Regio Alkmaar: opgaven kiezen')
  const info = await lookup(server.url, ws.joinCode)
  const fac = connectClient(server.wsUrl, ws.id, { kind: 'facilitator', key: ws.facilitatorKey })
  await live(fac)
  info.tables.forEach((t, ti) => {
    for (let i = 0; i < 12; i++)
      addCard(
        fac.board,
        makeCard({
          id: `c${ti}-${i}`,
          table: t.id,
          x: t.x + 24,
          y: t.y + 96,
          created: ti * 100 + i,
          text: TEXTS[(i + ti * 5) % TEXTS.length]!,
        }),
      )
  })
  const taskIds = SEED_TASKS.map((_, i) => `task-${i}`)
  taskIds.forEach((id, i) =>
    addTask(fac.board, { id, title: SEED_TASKS[i]!, origin: [], author: 'f', created: i }),
  )
  writePrinciple(fac.board, { id: 'p1', text: 'Iedereen doet mee naar vermogen', order: 1 })
  writePrinciple(fac.board, {
    id: 'p2',
    text: 'Lokaal waar het kan, regionaal waar het moet',
    order: 2,
  })
  writeBlocks(boardRoot(fac.board).statement, [
    {
      type: 'paragraph',
      runs: [
        {
          text: 'In 2030 werkt de regio als één dienstverlener voor inwoners en werkgevers.',
          marks: [],
        },
      ],
      children: [],
    },
  ])
  setChosen(fac.control, taskIds[0]!, true)
  setChosen(fac.control, taskIds[3]!, true)
  writePhases(fac.control, PHASES)
  await saved(fac)
  const people = await Promise.all(
    Array.from({ length: 9 }, (_, i) =>
      joinTable(server.url, ws.joinCode, `P${i}`, info.tables[i % 3]!.id),
    ),
  )
  const asFac = bearerFetch(server.url, ws.facilitatorKey)
  const open = async (kind: 'dots' | 'scores') => {
    const res = await asFac('POST', ROUND_API.open(ws.id), {
      kind,
      taskIds: taskIds.slice(0, 9),
      ...(kind === 'dots' && { dotsPerPerson: 3, maxPerTask: 3 }),
    })
    return ((await res.json()) as { roundId: string }).roundId
  }
  const vote = (who: number, roundId: string, body: unknown) =>
    bearerFetch(server.url, people[who]!.token)('POST', ROUND_API.ballot(ws.id, roundId), body)

  const browser = await launchBrowser()
  const shoot = async (name: string, scene: string, url = ROUTES.present(ws.id, ws.joinCode)) => {
    for (const size of SIZES) {
      const ctx = await browser.newContext({ locale: 'nl-NL', viewport: size })
      const page = await ctx.newPage()
      await page.goto(server.url + url)
      if (scene) await page.locator(`[data-scene="${scene}"]`).first().waitFor()
      else await page.getByTestId('facilitator-panel').waitFor()
      // the QR image and the layout's measuring pass
      await page.waitForLoadState('networkidle')
      const file = path.join(out, `${name}-${size.width}x${size.height}.png`)
      await page.screenshot({ path: file })
      console.log(file)
      await ctx.close()
    }
  }
  try {
    setPhaseId(fac.control, 'welkom')
    await saved(fac)
    await shoot('join', PresentScene.Join)
    setPhaseId(fac.control, 'ronde')
    await saved(fac)
    await shoot('tables', PresentScene.Tables)
    setPhaseId(fac.control, 'stemmen')
    await saved(fac)
    const dots = await open('dots')
    for (let who = 0; who < 5; who++)
      await vote(who, dots, { dots: { [taskIds[who % 4]!]: 2, [taskIds[(who + 3) % 9]!]: 1 } })
    await shoot('voting', PresentScene.Voting)
    for (let who = 5; who < 9; who++)
      await vote(who, dots, { dots: { [taskIds[who % 4]!]: 2, [taskIds[(who + 3) % 9]!]: 1 } })
    await asFac('POST', ROUND_API.reveal(ws.id, dots), {})
    await shoot('results-total', PresentScene.Results)
    writePresent(fac.control, { perTable: true })
    await saved(fac)
    await shoot('results-per-table', PresentScene.Results)
    const scores = await open('scores')
    const sheet = Object.fromEntries(
      taskIds
        .slice(0, 9)
        .map((id, i) => [
          id,
          { energie: i < 2 ? 4 : 1 + (i % 5), impact: i < 2 ? 4 : 5 - (i % 5) },
        ]),
    )
    for (let who = 0; who < 9; who++) await vote(who, scores, { scores: sheet })
    await asFac('POST', ROUND_API.reveal(ws.id, scores), {})
    await shoot('results-matrix', PresentScene.Results)
    setPhaseId(fac.control, 'horizon')
    await saved(fac)
    await shoot('outcome', PresentScene.Outcome)
    writePresent(fac.control, {
      scene: PresentScene.Spotlight,
      spotlight: { kind: 'card', id: 'c1-3' },
    })
    await saved(fac)
    await shoot('spotlight', PresentScene.Spotlight)
    await shoot('facilitator', '', ROUTES.facilitate(ws.id, ws.facilitatorKey))
  } finally {
    await browser.close()
    fac.destroy()
    await server.close()
    removeTempDirs()
  }
}

await main()
