import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { API, HISTORY_API, LIVE, ROUND_API } from '../../shared/api.ts'
import { CloseCode } from '../../shared/protocol.ts'
import {
  addCard,
  cardBody,
  listCards,
  moveCard,
  deleteCard,
  boardRoot,
  boardToJSON,
} from '../../shared/schema.ts'
import { addTask, listTasks } from '../../shared/tasks.ts'
import {
  controlRoots,
  readChosen,
  readPhases,
  setChosen,
  setLocked,
  setPhaseId,
} from '../../shared/control.ts'
import { DocReplay, controlMarkers, decodeHistory } from '../../shared/history.ts'
import type { BoardDiff } from '../../shared/diff.ts'
import { plainText } from '../../shared/richtext.ts'
import { ReportSchema } from '../../shared/report.ts'
import { OTHER_TABLES } from '../../shared/tally-privacy.ts'
import type { WorkshopConnection } from '../../client/sync/connection.ts'
import { joinTable, lookup, startTestServer } from '../helpers/server.ts'
import { bearerFetch, facilitatedWorkshop } from '../helpers/scenario.ts'
import { connectClient, live, saved } from '../helpers/clients.ts'
import { until } from '../helpers/wait.ts'
import { SEED_TASKS, SEED_VISIONS, makeCard } from '../fixtures/builders.ts'
import { useCleanups } from '../helpers/lifecycle.ts'
import { AUTO_SNAPSHOT_EVERY_MS } from '../../server/history/snapshots.ts'
import { DAY_MS, RETENTION_SWEEP_EVERY_MS } from '../../server/history/retention.ts'

const track = useCleanups()

async function organiserSetup(clockStart = 1_700_000_000_000) {
  let now = clockStart
  const clock = { now: () => now }
  const server = await startTestServer({ clock })
  track(() => server.close())
  const { ws, info, fac } = await facilitatedWorkshop(server, track)
  const call = bearerFetch(server.url, ws.facilitatorKey)
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await call(method, path, body)
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
    return res
  }
  return { server, ws, info, fac, api, advance: (ms: number) => (now += ms), clock }
}

const json = async <T>(res: Response) => (await res.json()) as T

describe('snapshots', () => {
  it('a snapshot taken under concurrent edits equals the log replayed to its position', async () => {
    const { server, ws, info, fac, api } = await organiserSetup()
    const people = await Promise.all(
      [0, 1, 2].map((i) => joinTable(server.url, ws.joinCode, `P${i}`, info.tables[i]!.id)),
    )
    const writers = people.map((p) =>
      connectClient(server.wsUrl, ws.id, { kind: 'participant', token: p.token }),
    )
    track(() => writers.forEach((w) => w.destroy()))
    await Promise.all(writers.map(live))
    let n = 0
    const timer = setInterval(() => {
      writers.forEach((w, i) =>
        addCard(
          w.board,
          makeCard({ id: `w${i}-${n}`, table: info.tables[i]!.id, text: `kaart ${n}` }),
        ),
      )
      n++
    }, 1)
    track(() => clearInterval(timer))
    const snapIds: string[] = []
    for (let i = 0; i < 10; i++) {
      const meta = await json<{ id: string }>(
        await api('POST', HISTORY_API.snapshots(ws.id), { label: `s${i}` }),
      )
      snapIds.push(meta.id)
    }
    clearInterval(timer)
    await Promise.all(writers.map(saved))
    const h = decodeHistory(
      new Uint8Array(await (await api('GET', HISTORY_API.history(ws.id))).arrayBuffer()),
    )
    for (const id of snapIds) {
      const snap = await json<{ board: string; boardSeq: number }>(
        await api('GET', HISTORY_API.snapshot(ws.id, id)),
      )
      const fromSnap = new Y.Doc()
      Y.applyUpdate(fromSnap, Buffer.from(snap.board, 'base64'))
      const fromLog = new Y.Doc()
      for (const e of h.board) if (e.seq <= snap.boardSeq) Y.applyUpdate(fromLog, e.data)
      expect(boardToJSON(fromSnap)).toEqual(boardToJSON(fromLog))
      expect(listCards(fromSnap).length).toBeGreaterThan(0)
    }
    expect(fac.status.kind).toBe('live')
  })

  it('50 concurrent snapshot saves are all listed and readable', async () => {
    const { ws, api } = await organiserSetup()
    const made = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        api('POST', HISTORY_API.snapshots(ws.id), { label: `gelijktijdig ${i}` }).then(
          json<{ id: string }>,
        ),
      ),
    )
    const list = await json<{ id: string }[]>(await api('GET', HISTORY_API.snapshots(ws.id)))
    expect(new Set(list.map((s) => s.id))).toEqual(new Set(made.map((m) => m.id)))
    for (const m of made) {
      const snap = await json<{ board: string }>(
        await api('GET', HISTORY_API.snapshot(ws.id, m.id)),
      )
      const doc = new Y.Doc()
      Y.applyUpdate(doc, Buffer.from(snap.board, 'base64'))
      expect(boardRoot(doc).tables.size).toBe(3)
    }
  })

  it('compares two snapshots and restores one as new edits that replay shows', async () => {
    const { ws, info, fac, api } = await organiserSetup()
    addCard(
      fac.board,
      makeCard({ id: 'keep', table: info.tables[0]!.id, text: SEED_VISIONS.inwoner }),
    )
    addCard(
      fac.board,
      makeCard({ id: 'gone', table: info.tables[1]!.id, text: 'wordt verwijderd' }),
    )
    await saved(fac)
    const a = await json<{ id: string }>(
      await api('POST', HISTORY_API.snapshots(ws.id), { label: 'voor' }),
    )
    deleteCard(fac.board, 'gone')
    moveCard(fac.board, 'keep', { x: 500, y: 500 })
    addCard(fac.board, makeCard({ id: 'new', table: info.tables[2]!.id, text: 'nieuw' }))
    await saved(fac)
    const diff = await json<BoardDiff>(await api('GET', HISTORY_API.compare(ws.id, a.id, LIVE)))
    expect(diff.cards.added.map((c) => c.id)).toEqual(['new'])
    expect(diff.cards.removed.map((c) => c.id)).toEqual(['gone'])
    expect(diff.cards.changed.map((c) => [c.after.id, c.fields])).toEqual([['keep', ['x', 'y']]])

    await api('POST', HISTORY_API.restore(ws.id, a.id))
    await until(
      'restore arrives live',
      [[fac.board, 'update']],
      () =>
        listCards(fac.board)
          .map((c) => c.id)
          .sort()
          .join() === 'gone,keep',
    )
    expect(plainText(cardBody(fac.board, 'gone')!)).toBe('wordt verwijderd')
    const kinds = (
      await json<{ kind: string }[]>(await api('GET', HISTORY_API.snapshots(ws.id)))
    ).map((s) => s.kind)
    expect(kinds).toEqual(['manual', 'restore'])
  })

  it('takes a snapshot automatically on every phase change', async () => {
    const { server, ws, fac, api } = await organiserSetup()
    let taken = 0
    server.snapshots.on('taken', () => taken++)
    const phases = readPhases(fac.control)
    setPhaseId(fac.control, phases[0]!.id)
    await until('first phase snapshot', [[server.snapshots, 'taken']], () => taken === 1)
    setPhaseId(fac.control, phases[1]!.id)
    await until('second phase snapshot', [[server.snapshots, 'taken']], () => taken === 2)
    const list = await json<{ kind: string; label: string }[]>(
      await api('GET', HISTORY_API.snapshots(ws.id)),
    )
    expect(list.map((s) => [s.kind, s.label])).toEqual([
      ['phase', 'Welkom'],
      ['phase', 'Tafelronde 1'],
    ])
  })
})

describe('automatic snapshots and retention', () => {
  it('takes an automatic snapshot once the interval has passed and the board was edited, none without edits', async () => {
    const { server, ws, info, fac, api, advance } = await organiserSetup()
    const autos = async () =>
      (
        await json<{ id: string; kind: string }[]>(await api('GET', HISTORY_API.snapshots(ws.id)))
      ).filter((s) => s.kind === 'auto')
    let taken = 0
    server.snapshots.on('taken', (m) => void (m.kind === 'auto' && taken++))
    const edit = async (id: string) => {
      addCard(fac.board, makeCard({ id, table: info.tables[0]!.id, text: id }))
      await saved(fac)
    }
    await edit('a') // starts the interval
    advance(AUTO_SNAPSHOT_EVERY_MS - 1)
    await edit('b')
    expect(await autos()).toEqual([])

    advance(1)
    await edit('c')
    await until('automatic snapshot', [[server.snapshots, 'taken']], () => taken === 1)
    const [first] = await autos()
    const snap = await json<{ board: string }>(
      await api('GET', HISTORY_API.snapshot(ws.id, first!.id)),
    )
    const doc = new Y.Doc()
    Y.applyUpdate(doc, Buffer.from(snap.board, 'base64'))
    expect(
      listCards(doc)
        .map((c) => c.id)
        .sort(),
    ).toEqual(['a', 'b', 'c'])

    // a quiet hour: nothing to record, so nothing is recorded; control changes do not count
    advance(12 * AUTO_SNAPSHOT_EVERY_MS)
    setLocked(fac.control, true)
    await saved(fac)
    expect(await autos()).toHaveLength(1)
    expect(taken).toBe(1)
    // the next edit takes one snapshot, not one per missed interval
    await edit('d')
    await until('second automatic snapshot', [[server.snapshots, 'taken']], () => taken === 2)
    await edit('e')
    expect(await autos()).toHaveLength(2)
  })

  it('the retention sweep deletes workshops older than the retention setting and nothing else', async () => {
    const DAYS = 30
    let now = Date.UTC(2026, 0, 5, 9, 0)
    const sweeps: { fn: () => void; ms: number }[] = []
    const server = await startTestServer({
      clock: { now: () => now },
      retentionDays: DAYS,
      repeat: (fn, ms) => {
        sweeps.push({ fn, ms })
        return () => {}
      },
    })
    track(() => server.close())
    expect(sweeps.map((s) => s.ms)).toEqual([RETENTION_SWEEP_EVERY_MS])

    const made = async (title: string) => {
      const { ws, info, fac } = await facilitatedWorkshop(server, track, title)
      addCard(fac.board, makeCard({ id: `${title}-card`, table: info.tables[0]!.id, text: title }))
      await saved(fac)
      await joinTable(server.url, ws.joinCode, `Deelnemer ${title}`, info.tables[0]!.id)
      await bearerFetch(server.url, ws.facilitatorKey)('POST', HISTORY_API.snapshots(ws.id), {
        label: title,
      })
      return { ws, fac }
    }
    const old = await made('oud')
    now += DAY_MS
    const boundary = await made('grens')
    now += (DAYS - 2) * DAY_MS
    const young = await made('jong')
    now += DAY_MS + 1 // 'oud' is now past the retention by 1 ms; 'grens' exactly at it

    const closed = new Promise<number>((resolve) =>
      old.fac.boardLink.provider.on('connection-close', (e) => resolve(e?.code ?? 0)),
    )
    sweeps[0]!.fn()
    expect(await closed).toBe(CloseCode.WorkshopDeleted)

    const { openSqliteStore } = await import('../../server/store/sqlite.ts')
    const check = openSqliteStore({ dataDir: server.dataDir })
    try {
      expect(check.rowsForWorkshop(old.ws.id)).toEqual({
        workshops: 0,
        participants: 0,
        updates: 0,
        checkpoints: 0,
        ballots: 0,
        snapshots: 0,
        client_owners: 0,
        co_facilitators: 0,
      })
      for (const kept of [boundary, young]) {
        const rows = check.rowsForWorkshop(kept.ws.id)
        expect(rows).toMatchObject({ workshops: 1, participants: 1, snapshots: 1 })
        expect(rows.client_owners).toBeGreaterThan(0)
        expect(rows.updates).toBeGreaterThan(0)
      }
    } finally {
      check.close()
    }
    expect((await fetch(server.url + API.lookup(old.ws.joinCode))).status).toBe(404)
    for (const kept of [boundary, young]) {
      expect((await lookup(server.url, kept.ws.joinCode)).title).toBe(
        kept === young ? 'jong' : 'grens',
      )
      expect(kept.fac.status.kind).toBe('live')
    }
  })
})

describe('snapshots across a server restart', () => {
  it('the first control change after a restart is no phase change unless the phase moved', async () => {
    const first = await startTestServer()
    const { ws, fac } = await facilitatedWorkshop(first, track)
    let before = 0
    first.snapshots.on('taken', () => before++)
    const phases = readPhases(fac.control)
    setPhaseId(fac.control, phases[0]!.id)
    await until('phase snapshot', [[first.snapshots, 'taken']], () => before === 1)
    await saved(fac)
    fac.destroy()
    await first.close()

    const second = await startTestServer({ dataDir: first.dataDir })
    track(() => second.close())
    const list = async () =>
      (
        (await (
          await bearerFetch(second.url, ws.facilitatorKey)('GET', HISTORY_API.snapshots(ws.id))
        ).json()) as { kind: string; label: string }[]
      ).map((s) => [s.kind, s.label])
    const again = connectClient(second.wsUrl, ws.id, {
      kind: 'facilitator',
      key: ws.facilitatorKey,
    })
    track(() => again.destroy())
    await live(again)
    let taken = 0
    second.snapshots.on('taken', () => taken++)
    // a control change that leaves the phase where it was (the board lock)
    setLocked(again.control, true)
    await saved(again)
    expect(await list()).toEqual([['phase', 'Welkom']])
    expect(taken).toBe(0)
    setPhaseId(again.control, phases[1]!.id)
    await until(
      'the real phase change is still seen',
      [[second.snapshots, 'taken']],
      () => taken === 1,
    )
    expect(await list()).toEqual([
      ['phase', 'Welkom'],
      ['phase', 'Tafelronde 1'],
    ])
  })
})

describe('replay', () => {
  it('the replayed board at time t equals the board as it was at t', async () => {
    const { ws, info, fac, api, advance, clock } = await organiserSetup()
    const recorded: { t: number; json: unknown }[] = []
    const record = async () => {
      await saved(fac)
      recorded.push({ t: clock.now(), json: boardToJSON(fac.board) })
      advance(60_000)
    }
    await record()
    const phases = readPhases(fac.control)
    for (let i = 0; i < 12; i++) {
      addCard(
        fac.board,
        makeCard({
          id: `c${i}`,
          table: info.tables[i % 3]!.id,
          text: SEED_TASKS[i % SEED_TASKS.length],
          created: i,
        }),
      )
      if (i % 3 === 2) moveCard(fac.board, `c${i - 1}`, { x: i * 10, y: i * 20 })
      if (i % 4 === 3) deleteCard(fac.board, `c${i - 3}`)
      if (i % 5 === 0) setPhaseId(fac.control, phases[i / 5]!.id)
      await record()
    }
    const h = decodeHistory(
      new Uint8Array(await (await api('GET', HISTORY_API.history(ws.id))).arrayBuffer()),
    )
    const replay = new DocReplay(h.board, 4)
    // seek backwards and forwards, in a scrambled order
    for (const i of [5, 0, 12, 3, 7, 7, 11, 1, 9]) {
      expect(boardToJSON(replay.docAt(recorded[i]!.t))).toEqual(recorded[i]!.json)
    }
    const markers = controlMarkers(h.control).filter((m) => m.kind === 'phase')
    expect(markers.map((m) => m.label)).toEqual(['Welkom', 'Tafelronde 1', 'Tafelronde 2'])
    replay.destroy()
  })
})

describe('report, follow-up, export and delete', () => {
  async function votedMeeting() {
    const setup = await organiserSetup()
    const { server, ws, info, fac, api } = setup
    info.tables.forEach((t, i) => {
      addCard(
        fac.board,
        makeCard({
          id: `v${i}`,
          kind: 'vision',
          table: t.id,
          text: Object.values(SEED_VISIONS)[i]!,
        }),
      )
      addCard(
        fac.board,
        makeCard({
          id: `n${i}`,
          kind: 'need',
          table: t.id,
          text: `nodig ${i} <script>alert(1)</script>`,
        }),
      )
    })
    SEED_TASKS.slice(0, 3).forEach((title, i) =>
      addTask(fac.board, { id: `t${i}`, title, origin: [`v${i}`], author: 'f', created: i }),
    )
    await saved(fac)
    const p = await joinTable(server.url, ws.joinCode, 'Karin', info.tables[0]!.id)
    const { roundId } = await json<{ roundId: string }>(
      await api('POST', ROUND_API.open(ws.id), {
        kind: 'dots',
        taskIds: ['t0', 't1', 't2'],
        title: 'Energie en impact',
      }),
    )
    const vote = await fetch(server.url + ROUND_API.ballot(ws.id, roundId), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${p.token}` },
      body: JSON.stringify({ dots: { t1: 2, t2: 1 } }),
    })
    expect(vote.status).toBe(200)
    await api('POST', ROUND_API.reveal(ws.id, roundId))
    setChosen(fac.control, 't1', true)
    await saved(fac)
    return setup
  }

  it('exports the report as JSON, Markdown and printable HTML with tallies and chosen tasks', async () => {
    const { ws, api } = await votedMeeting()
    const report = ReportSchema.parse(
      await json(await api('GET', `${HISTORY_API.report(ws.id)}?format=json`)),
    )
    expect(report.question).toBe(
      'Hoe ziet de toekomst er over 5 jaar uit, en wat is daarvoor nodig?',
    )
    expect(report.tables.map((t) => [t.name, t.visions.length, t.needs.length])).toEqual([
      ['Inwoner', 1, 1],
      ['Management', 1, 1],
      ['Openbaar bestuur', 1, 1],
    ])
    expect(report.tables[0]!.participants).toBe(1)
    const chosen = report.tasks.filter((t) => t.chosen)
    expect(chosen.map((t) => t.title)).toEqual([SEED_TASKS[1]])
    // one voter at Inwoner: in the default per-table mode that table is pooled, its ballot not shown
    expect(chosen[0]!.results[0]).toMatchObject({
      dots: 2,
      byTable: [{ tableId: OTHER_TABLES, table: 'Overige tafels', dots: 2, voters: 1 }],
    })
    expect(report.tables[0]!.visions[0]!.author).toBeNull() // anonymous-with-table: no names

    const md = await (await api('GET', `${HISTORY_API.report(ws.id)}?format=md`)).text()
    expect(md).toContain('## Gekozen opgaven')
    expect(md).toContain('Gezamenlijke deskundigheidsbevordering')
    expect(md).not.toContain('<script>')
    const html = await (await api('GET', `${HISTORY_API.report(ws.id)}?format=html&lang=en`)).text()
    expect(html).toContain('<h2>Chosen tasks</h2>')
    expect(html).toContain('<ol class="bars">')
    expect(html).toContain('&lt;script&gt;')
    expect(html).not.toContain('<script>')
  })

  /** Two tables voting apart (one leaves a task at 0 dots), a scoring round, three phases of known length. */
  async function reportMeeting() {
    const setup = await organiserSetup()
    const { server, ws, info, fac, api, advance } = setup
    // one voter per table: only a named workshop shows such tables apart (tests/integration/k-anonymity)
    await api('PATCH', API.settings(ws.id), { anonymity: 'named' })
    addCard(
      fac.board,
      makeCard({ id: 'v0', kind: 'vision', table: info.tables[0]!.id, text: 'visie inwoner' }),
    )
    addCard(
      fac.board,
      makeCard({ id: 'v1', kind: 'vision', table: info.tables[1]!.id, text: 'visie management' }),
    )
    addTask(fac.board, { id: 't0', title: 'Eén opgave', origin: ['v0'], author: 'f', created: 0 })
    addTask(fac.board, {
      id: 't1',
      title: 'Twee bronnen',
      origin: ['v0', 'v1'],
      author: 'f',
      created: 1,
    })
    const phases = readPhases(fac.control)
    setPhaseId(fac.control, phases[0]!.id)
    await saved(fac)
    advance(12 * 60_000)
    setPhaseId(fac.control, phases[1]!.id)
    await saved(fac)
    advance(65 * 60_000)
    setPhaseId(fac.control, phases[2]!.id)
    await saved(fac)
    const karin = await joinTable(server.url, ws.joinCode, 'Karin', info.tables[0]!.id)
    const bram = await joinTable(server.url, ws.joinCode, 'Bram', info.tables[1]!.id)
    const ballot = async (token: string, roundId: string, body: unknown) => {
      const res = await fetch(server.url + ROUND_API.ballot(ws.id, roundId), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      })
      expect(res.status).toBe(200)
    }
    const dots = await json<{ roundId: string }>(
      await api('POST', ROUND_API.open(ws.id), {
        kind: 'dots',
        taskIds: ['t0', 't1'],
        title: 'Stippen',
      }),
    )
    await ballot(karin.token, dots.roundId, { dots: { t1: 2 } })
    await ballot(bram.token, dots.roundId, { dots: { t0: 1 } })
    await api('POST', ROUND_API.reveal(ws.id, dots.roundId))
    const scores = await json<{ roundId: string }>(
      await api('POST', ROUND_API.open(ws.id), {
        kind: 'scores',
        taskIds: ['t0'],
        title: 'Scores',
      }),
    )
    await ballot(karin.token, scores.roundId, { scores: { t0: { energie: 4, impact: 2 } } })
    await api('POST', ROUND_API.reveal(ws.id, scores.roundId))
    await saved(fac)
    const get = async (format: string, lang: string) =>
      (await api('GET', `${HISTORY_API.report(ws.id)}?format=${format}&lang=${lang}`)).text()
    return { ...setup, get }
  }

  it('Markdown: per-table results with 0 dots written out, criteria by label, phase durations, right plurals (nl and en)', async () => {
    const { get } = await reportMeeting()
    const nl = await get('md', 'nl')
    expect(nl).toContain(
      '- Stippen: 1 stip (per perspectief: Inwoner: 0 stippen; Management: 1 stip)',
    )
    expect(nl).toContain(
      '- Stippen: 2 stippen (per perspectief: Inwoner: 2 stippen; Management: 0 stippen)',
    )
    expect(nl).not.toMatch(/: ;|: \)/)
    expect(nl).toContain(
      '- Scores: Energie 4, Impact 2 (per perspectief: Inwoner: Energie 4, Impact 2)',
    )
    expect(nl).not.toContain('energie 4')
    expect(nl).toContain('Eén opgave (uit 1 kaart)')
    expect(nl).toContain('Twee bronnen (uit 2 kaarten)')
    expect(nl).toContain('### Tafel Inwoner · 1 deelnemer')
    expect(nl).toContain('### Tafel Openbaar bestuur · 0 deelnemers')
    expect(nl).toContain(
      '- Scores (scores geven): 1 stemmer (Inwoner: 1; Management: 0; Openbaar bestuur: 0)',
    )
    expect(nl).toMatch(/: Welkom \(12 min\)/)
    expect(nl).toMatch(/: Tafelronde 1 \(1 uur 5 min\)/)
    expect(nl).toMatch(/: Tafelronde 2 \(loopt nog\)/)
    expect(nl).not.toMatch(/\b1 (kaarten|stippen|deelnemers|stemmers)\b/)

    const en = await get('md', 'en')
    expect(en).toContain('- Stippen: 2 dots (per perspective: Citizen: 2 dots; Management: 0 dots)')
    expect(en).toContain('- Scores: Energy 4, Impact 2')
    expect(en).toContain('Eén opgave (from 1 card)')
    expect(en).toContain('### Table Citizen · 1 participant')
    expect(en).toMatch(/: Welcome \(12 min\)/)
    expect(en).toMatch(/: Table round 1 \(1 h 5 min\)/)
    expect(en).toMatch(/: Table round 2 \(still running\)/)
    expect(en).not.toMatch(/\b1 (cards|dots|participants|voters)\b/)
  })

  it('printable HTML: a tally per table (perspective) for every revealed round, criteria by label, phase durations', async () => {
    const { get } = await reportMeeting()
    const html = await get('html', 'nl')
    const tallies = html.match(/<table class="tally">[\s\S]*?<\/table>/g) ?? []
    expect(tallies).toHaveLength(2)
    const [dots, scores] = tallies as [string, string]
    expect(dots).toContain('<caption>Stippen: per perspectief</caption>')
    expect(dots).toContain('<th scope="col">Inwoner<br><small>1 stemmer</small></th>')
    expect(dots).toContain('<th scope="col">Management<br><small>1 stemmer</small></th>')
    expect(dots).toContain('<th scope="col">Openbaar bestuur<br><small>0 stemmers</small></th>')
    expect(dots).toContain(
      '<tr><th scope="row">Twee bronnen</th><td>2 stippen</td><td>2 stippen</td><td>0 stippen</td><td>–</td></tr>',
    )
    expect(scores).toContain(
      '<tr><th scope="row">Eén opgave</th><td>Energie 4, Impact 2</td><td>Energie 4, Impact 2</td><td>–</td><td>–</td></tr>',
    )
    expect(html).toContain('Scores — 1 stemmer: Energie (gemiddelde score)')
    expect(html).not.toContain('energie 4')
    expect(html).toMatch(/Welkom <span class="duration">\(12 min\)<\/span>/)
    expect(html).toMatch(/Tafelronde 1 <span class="duration">\(1 uur 5 min\)<\/span>/)
    expect(html).toMatch(/Tafelronde 2 <span class="duration">\(loopt nog\)<\/span>/)
    expect(html).not.toMatch(/\b1 (kaarten|stippen|deelnemers|stemmers)\b/)
    const en = await get('html', 'en')
    expect(en).toContain('<caption>Stippen: per perspective</caption>')
    expect(en).toContain('<th scope="col">Citizen<br><small>1 voter</small></th>')
    expect(en).toContain('(1 h 5 min)')
  })

  it('JSON follows the chosen language: default names, perspectives, round and criterion labels; typed text as typed', async () => {
    const { get } = await reportMeeting()
    const nl = ReportSchema.parse(JSON.parse(await get('json', 'nl')))
    const en = ReportSchema.parse(JSON.parse(await get('json', 'en')))
    expect([nl.language, en.language, en.workshopLanguage]).toEqual(['nl', 'en', 'nl'])
    expect(en.question).toBe(
      'What does the future look like in 5 years, and what is needed for it?',
    )
    expect(en.tables.map((t) => [t.name, t.perspectiveLabel])).toEqual([
      ['Citizen', 'Citizen'],
      ['Management', 'Management'],
      ['Public administration', 'Public administration'],
    ])
    expect(nl.tables.map((t) => t.name)).toEqual(['Inwoner', 'Management', 'Openbaar bestuur'])
    expect(en.rounds.map((r) => [r.title, r.kindLabel, r.statusLabel])).toEqual([
      ['Stippen', 'dot voting', 'result revealed'],
      ['Scores', 'scoring', 'result revealed'],
    ])
    expect(nl.rounds.map((r) => r.statusLabel)).toEqual(['uitslag getoond', 'uitslag getoond'])
    expect(en.rounds[1]!.criteria).toEqual([
      { id: 'energie', label: 'Energy' },
      { id: 'impact', label: 'Impact' },
    ])
    expect(en.phases.map((p) => [p.label, p.durationMs])).toEqual([
      ['Welcome', 12 * 60_000],
      ['Table round 1', 65 * 60_000],
      ['Table round 2', null],
    ])
    expect(
      en.tasks
        .find((t) => t.id === 't1')!
        .results[0]!.byTable.map((b) => [b.table, b.perspectiveLabel, b.dots]),
    ).toEqual([
      ['Citizen', 'Citizen', 2],
      ['Management', 'Management', 0],
    ])
    expect(en.tasks.map((t) => t.title)).toEqual(['Eén opgave', 'Twee bronnen'])
    expect(en.rounds[0]!.votersByTable.map((v) => v.voters)).toEqual([1, 1, 0])
  })

  it('starts a follow-up workshop from a snapshot, each card keeping its origin, the chosen tasks still chosen', async () => {
    const { server, ws, api } = await votedMeeting()
    const snap = await json<{ id: string }>(
      await api('POST', HISTORY_API.snapshots(ws.id), { label: 'einde' }),
    )
    const next = await json<{ id: string; joinCode: string; facilitatorKey: string }>(
      await api('POST', HISTORY_API.followUp(ws.id, snap.id), {
        title: 'Vervolgbijeenkomst 8 februari',
      }),
    )
    const c = connectClient(server.wsUrl, next.id, {
      kind: 'facilitator',
      key: next.facilitatorKey,
    })
    track(() => c.destroy())
    await live(c)
    const cards = listCards(c.board)
    expect(cards).toHaveLength(6)
    expect(cards.every((x) => x.origin?.workshop === ws.id && x.origin.snapshot === snap.id)).toBe(
      true,
    )
    expect(listTasks(c.board).map((t) => t.id)).toEqual(['t0', 't1', 't2'])
    expect(readChosen(c.control)).toEqual(['t1'])
    expect((await lookup(server.url, next.joinCode)).title).toBe('Vervolgbijeenkomst 8 februari')
  })

  it('the data export holds the whole log and every snapshot state, keeps unrevealed ballots secret, names only when named', async () => {
    const { server } = await organiserSetup()
    const created = await fetch(server.url + API.workshops, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Met namen', anonymity: 'named' }),
    })
    const ws = await json<{ id: string; joinCode: string; facilitatorKey: string }>(created)
    const info = await lookup(server.url, ws.joinCode)
    const fac = connectClient(server.wsUrl, ws.id, { kind: 'facilitator', key: ws.facilitatorKey })
    track(() => fac.destroy())
    await live(fac)
    const call = bearerFetch(server.url, ws.facilitatorKey)
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await call(method, path, body)
      expect(res.ok, `${method} ${path}`).toBe(true)
      return res
    }
    addCard(fac.board, makeCard({ id: 'a', table: info.tables[0]!.id, text: 'eerste' }))
    addTask(fac.board, { id: 't0', title: SEED_TASKS[0], origin: ['a'], author: 'f', created: 0 })
    addTask(fac.board, { id: 't1', title: SEED_TASKS[1], origin: [], author: 'f', created: 1 })
    await saved(fac)
    await api('POST', HISTORY_API.snapshots(ws.id), { label: 'midden' })
    moveCard(fac.board, 'a', { x: 300, y: 200 })
    addCard(fac.board, makeCard({ id: 'b', table: info.tables[1]!.id, text: 'tweede' }))
    await saved(fac)

    const people = [
      await joinTable(server.url, ws.joinCode, 'Karin', info.tables[0]!.id),
      await joinTable(server.url, ws.joinCode, 'Bram', info.tables[1]!.id),
    ]
    const { roundId } = await json<{ roundId: string }>(
      await api('POST', ROUND_API.open(ws.id), { kind: 'dots', taskIds: ['t0', 't1'] }),
    )
    for (const [i, p] of people.entries()) {
      const vote = await fetch(server.url + ROUND_API.ballot(ws.id, roundId), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${p.token}` },
        body: JSON.stringify({ dots: { [`t${i}`]: 2 } }),
      })
      expect(vote.status).toBe(200)
    }
    await saved(fac)

    interface Exported {
      participants: { name?: string }[]
      rounds: { id: string; status: string; ballotCount: number; revealed: boolean }[]
      ballots: { roundId: string; ballot: unknown }[]
      snapshots: { id: string; label: string; boardSeq: number; board: string; control: string }[]
      log: Record<'board' | 'control', { doc: string; seq: number; time: number; data: string }[]>
    }
    const exportNow = async () => json<Exported>(await api('GET', HISTORY_API.export(ws.id)))
    const secret = (e: Exported) => JSON.stringify({ ...e, log: null, snapshots: null })

    for (const step of ['open', 'closed'] as const) {
      if (step === 'closed') await api('POST', ROUND_API.close(ws.id, roundId))
      const e = await exportNow()
      expect(e.rounds).toEqual([{ id: roundId, status: step, ballotCount: 2, revealed: false }])
      expect(e.ballots).toEqual([])
      expect(secret(e)).not.toMatch(/"t[01]":\s*2/)
    }
    await api('POST', ROUND_API.reveal(ws.id, roundId))
    await saved(fac)
    const e = await exportNow()
    expect(e.rounds[0]).toMatchObject({ status: 'revealed', ballotCount: 2, revealed: true })
    expect(e.ballots.map((b) => b.ballot)).toEqual(
      expect.arrayContaining([
        { dots: { t0: 2 }, scores: {} },
        { dots: { t1: 2 }, scores: {} },
      ]),
    )
    expect(e.participants.map((p) => p.name).sort()).toEqual(['Bram', 'Karin'])

    // the log rebuilds both docs as they are now; seq and time come with every entry
    for (const [doc, live] of [
      ['board', fac.board],
      ['control', fac.control],
    ] as const) {
      const entries = e.log[doc]
      expect(entries.length).toBeGreaterThan(0)
      expect(
        entries.every(
          (x, i) =>
            x.doc === doc && (i === 0 || x.seq > entries[i - 1]!.seq) && Number.isFinite(x.time),
        ),
      ).toBe(true)
      const rebuilt = new Y.Doc()
      for (const x of entries) Y.applyUpdate(rebuilt, Buffer.from(x.data, 'base64'))
      const read = (d: Y.Doc) => (doc === 'board' ? boardToJSON(d) : (controlRoots(d), d.toJSON()))
      expect(read(rebuilt)).toEqual(read(live))
    }
    // every snapshot with its stored states, equal to what the snapshot route gives
    const snapshots = e.snapshots.filter((x) => x.label === 'midden')
    expect(snapshots).toHaveLength(1)
    const stored = await json<{ board: string; control: string }>(
      await api('GET', HISTORY_API.snapshot(ws.id, snapshots[0]!.id)),
    )
    expect([snapshots[0]!.board, snapshots[0]!.control]).toEqual([stored.board, stored.control])
    const atSnap = new Y.Doc()
    Y.applyUpdate(atSnap, Buffer.from(snapshots[0]!.board, 'base64'))
    expect(listCards(atSnap).map((c) => [c.id, c.x])).toEqual([['a', 24]])
  })

  it('exports everything stored, then deletion leaves nothing in the database and closes sockets', async () => {
    const { server, ws, fac, api } = await votedMeeting()
    await api('POST', HISTORY_API.snapshots(ws.id), { label: 'x' })
    const exported = await json<{
      participants: { name?: string; tableId: string }[]
      ballots: unknown[]
      rounds: { tally?: { voters: number } }[]
      board: { yjsState: string }
    }>(await api('GET', HISTORY_API.export(ws.id)))
    // anonymous-with-table: the participant is there, the name is not, and the ballot only in the tally
    expect(exported.participants.map((p) => [p.name, p.tableId])).toEqual([
      [undefined, expect.any(String)],
    ])
    expect(JSON.stringify(exported)).not.toContain('Karin')
    // no ballot per person in the anonymous modes (issue #11 point 5): the pooled tallies stand for them
    expect(exported.ballots).toEqual([])
    expect(exported.rounds[0]!.tally).toMatchObject({ voters: 1 })
    expect(JSON.stringify(exported)).not.toContain('tokenHash')
    const closed = new Promise<number>((resolve) =>
      fac.boardLink.provider.on('connection-close', (e) => resolve(e?.code ?? 0)),
    )
    await api('DELETE', HISTORY_API.workshop(ws.id))
    expect(await closed).toBe(CloseCode.WorkshopDeleted)
    await until('rooms gone', [[server.rooms, 'change']], () => server.rooms.size === 0)
    const { openSqliteStore } = await import('../../server/store/sqlite.ts')
    const check = openSqliteStore({ dataDir: server.dataDir })
    const rows = check.rowsForWorkshop(ws.id)
    check.close()
    expect(rows).toEqual({
      workshops: 0,
      participants: 0,
      updates: 0,
      checkpoints: 0,
      ballots: 0,
      snapshots: 0,
      client_owners: 0,
      co_facilitators: 0,
    })
    // nor as bytes: free pages are zeroed and the WAL is folded in and emptied
    const fs = await import('node:fs')
    const path = await import('node:path')
    const files = fs.readdirSync(server.dataDir).filter((f) => f.startsWith('stip.db'))
    expect(files).toContain('stip.db')
    for (const f of files) {
      const bytes = fs.readFileSync(path.join(server.dataDir, f))
      expect(bytes.includes('Karin'), `name in ${f}`).toBe(false)
      expect(bytes.includes('naar vermogen deelnemen'), `card text in ${f}`).toBe(false)
    }
    expect(
      (
        await fetch(server.url + HISTORY_API.export(ws.id), {
          headers: { authorization: `Bearer ${ws.facilitatorKey}` },
        })
      ).status,
    ).toBe(404)
  })
})

// keep the helper type referenced for readers of this file
export type { WorkshopConnection }
