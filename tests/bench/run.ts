/**
 * npm run bench: every workload against ours and a peer, in one run, one process tree.
 *
 *   relay    ours vs the stock @y/websocket-server 0.1.1 and Hocuspocus 3.4.4     (relay.ts)
 *   history  replay seek in a 3-hour log: ours vs Yjs snapshots and from-start;
 *            snapshot save/load through our server                                 (history.ts)
 *   client   1,000 cards in Chromium: ours vs tldraw 5.4.2 and a Tiptap-per-card peer (client.ts)
 *            replay screen scrubbed in Chromium on the 3-hour log (ours only)      (replay-ui.ts)
 *   bundle   the built client's JS, ours vs the peer client                        (bundle.ts)
 *   heavy    12 parallel compare/report on a 10,000-card board: worker vs in-thread (heavy.ts)
 *
 * Servers run on core 0 and this load generator on core 1 (taskset) where there are two cores;
 * Chromium, for the client part, on both (launchClientBrowser).
 * Writes tests/bench/results/latest.json and docs/BENCHMARKS.md; `--doc-only` re-renders the doc;
 * `--only=relay`, `--only=heavy`, `--only=cluster`, `--only=client`, `--only=watch` (the watching row of
 * the client part; BENCH_WATCH_SPLIT=1 and BENCH_WATCH_TRACE=1 print where its busy time went) or
 * `--only=replay` runs that part alone and
 * prints its table.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import type { Browser } from 'playwright-core'
import { launchBrowser } from '../helpers/chromium.ts'
import { APP_DIST, bundle, type BundleResult } from './bundle.ts'
import {
  buildPeer,
  clientOurs,
  clientPeer,
  clientTldraw,
  type ClientResult,
  clientWatch,
} from './client.ts'
import { CORES, PIN, REPO, fsType, procUsage, readVersion } from './env.ts'
import {
  MEETING_HOURS,
  type MeetingLog,
  SEEK_WAYS,
  type SeekResult,
  type SeekWayName,
  measureSeek,
  simulateMeeting,
  snapshotSaveLoad,
} from './history.ts'
import { replayUi } from './replay-ui.ts'
import { type GuardResult, guardCost } from './guard.ts'
import {
  MEASURE_S,
  SERVER_WARMUP_S,
  WARMUP_S,
  boardUpdate,
  coldJoin,
  durableAck,
  fanOut,
} from './relay.ts'
import { LOADGEN_PROCS } from './fanout-pool.ts'
import { type HeavyResult, heavySection, heavyWorkload } from './heavy.ts'
import { type ClusterResult, clusterSection, clusterWorkload } from './cluster.ts'
import { type FloorPan, type FloorResult, panFloorWorkload } from './floor.ts'
import { type ReportHead, type Row, type Section, benchmarksDoc, markdownTable } from './report.ts'
import { type Target, startHocuspocus, startOurs, startYws, stopTarget } from './targets.ts'

const RESULTS = path.join(REPO, 'tests/bench/results/latest.json')
const DOC = path.join(REPO, 'docs/BENCHMARKS.md')
/** The pan floor's second page (tests/bench/floor.ts). */
const PLAIN_BOXES = '1,000 plain text boxes in one transformed layer at the text view'
/** Fixed, so every run replays the same meeting and the same seek times. */
const MEETING_SEED = 20261123
const SEEK_SEED = 7

type Results = Record<string, Record<string, unknown>>

async function relayWorkloads(results: Results, failures: Record<string, string>) {
  const boardBytes = boardUpdate(1000)
  for (const start of [startOurs, startYws, startHocuspocus]) {
    let t: Target
    try {
      t = await start()
    } catch (err) {
      failures[start.name] = (err as Error).message
      console.error(`could not start ${start.name}: ${(err as Error).message}`)
      continue
    }
    console.log(`\n== ${t.name} (pid ${t.pid}, port ${t.port}) ==`)
    const r: Record<string, unknown> = {}
    try {
      await fanOut(t, 30, 10, 10, SERVER_WARMUP_S)
      r.fanout30 = await fanOut(t, 30, 10, 10)
      console.log('30 clients, 10 dragging at 10 Hz', r.fanout30)
      r.fanout100 = await fanOut(t, 100, 100, 10)
      console.log('100 clients, 1,000 updates/s', r.fanout100)
      r.join = await coldJoin(t, boardBytes, 1000)
      console.log('cold join 1,000 cards', r.join)
      if (t.name === 'ours') {
        r.ack = await durableAck(t, 300)
        console.log('durable ack', r.ack)
        r.snapshot = await snapshotSaveLoad(t, boardBytes, 1000)
        console.log('snapshot save/load', r.snapshot)
      }
      r.idleRssMiB = procUsage(t.pid).rss / 1024 / 1024
    } catch (err) {
      r.error = (err as Error).message
      console.error(`${t.name}: ${(err as Error).message}`)
    }
    results[t.name] = r
    await stopTarget(t)
  }
}

function historyWorkloads(): {
  meeting: Record<string, number>
  seek: Partial<Record<SeekWayName, SeekResult>>
  log: MeetingLog
} {
  console.log(`\n== history: replay seek in a ${MEETING_HOURS}-hour meeting ==`)
  const log = simulateMeeting(MEETING_SEED)
  const meeting = {
    entries: log.entries.length,
    cardsAtEnd: log.cardsAtEnd,
    logKiB: log.bytes / 1024,
  }
  console.log('meeting', meeting)
  const seek: Partial<Record<SeekWayName, SeekResult>> = {}
  for (const way of Object.keys(SEEK_WAYS) as SeekWayName[]) {
    seek[way] = measureSeek(way, log, SEEK_SEED)
    const { cardCounts: _, ...shown } = seek[way]!
    console.log(way, shown)
  }
  const a = seek.ours?.cardCounts.join()
  if (a !== undefined && a !== seek['from-start']?.cardCounts.join())
    throw new Error('ours and from-start disagree on a seek')
  return { meeting, seek, log }
}

/** The client peers' bundles, keyed like their results. */
type PeerBundles = Partial<Record<'peer client' | 'tldraw', BundleResult | null>>

async function clientWorkloads(results: Results, log: MeetingLog | null): Promise<PeerBundles> {
  const browser = await launchClientBrowser()
  const peerDir = await buildPeer('peer-client')
  const tldrawDir = await buildPeer('peer-tldraw')
  try {
    results.floor = { ...(await panFloorWorkload(browser)) }
    console.log('\n== pan floor: static pages ==', results.floor)
    console.log('\n== Chromium client: 1,000 cards ==')
    const ours = await startOurs(APP_DIST)
    try {
      results.ours!.client = await clientOurs(browser, ours)
      console.log('ours', results.ours!.client)
      results.ours!.watch = await clientWatch(browser, ours, 'inView')
      console.log('ours, watching 30 draggers, their cards in view', results.ours!.watch)
      results.ours!.watchOutOfView = await clientWatch(browser, ours, 'outOfView')
      console.log(
        'ours, watching 30 draggers, their cards out of view',
        results.ours!.watchOutOfView,
      )
      if (log) {
        console.log(`\n== Chromium replay: ${log.entries.length.toLocaleString('en')}-entry log ==`)
        results.ours!.replayUi = await replayUi(browser, ours, log, SEEK_SEED)
        console.log('ours', results.ours!.replayUi)
      }
    } finally {
      await stopTarget(ours)
    }
    const yws = await startYws()
    try {
      results.tldraw = { client: await clientTldraw(browser, yws, tldrawDir) }
      console.log('tldraw', results.tldraw.client)
      results['peer client'] = { client: await clientPeer(browser, yws, peerDir) }
      console.log('peer client', results['peer client'].client)
    } finally {
      await stopTarget(yws)
    }
    return { 'peer client': bundle(peerDir), tldraw: bundle(tldrawDir) }
  } finally {
    await browser.close()
    fs.rmSync(peerDir, { recursive: true, force: true })
    fs.rmSync(tldrawDir, { recursive: true, force: true })
  }
}

interface HistoryFigures {
  meeting: Record<string, number>
  seek: Partial<Record<SeekWayName, Omit<SeekResult, 'cardCounts'>>>
}

/** The relay table; `npm run bench -- --only=relay` prints just this one. */
function relaySection(results: Results): Section {
  const pick = (name: string, key: string, field: string): number | null => {
    const v = (results[name]?.[key] as Record<string, number> | undefined)?.[field]
    return typeof v === 'number' && Number.isFinite(v) ? v : null
  }
  const relay = (
    workload: string,
    unit: string,
    key: string,
    field: string,
    note?: string,
  ): Row => ({
    workload,
    unit,
    ours: pick('ours', key, field),
    peers: {
      'y-websocket': pick('y-websocket', key, field),
      hocuspocus: pick('hocuspocus', key, field),
    },
    ...(note && { note }),
  })
  return {
    title: `Relay (writers are participants, through the write guard; load from ${LOADGEN_PROCS} generator processes)`,
    peers: ['y-websocket', 'hocuspocus'],
    rows: [
      relay('fan-out 30 clients / 10 dragging @10 Hz: latency p50', 'ms', 'fanout30', 'p50'),
      relay('fan-out 30 clients / 10 dragging @10 Hz: latency p99', 'ms', 'fanout30', 'p99'),
      relay('fan-out 30 clients: server CPU', '% of a core', 'fanout30', 'serverCpuPct'),
      relay('fan-out 30 clients: server RSS (max)', 'MiB', 'fanout30', 'serverRssMiB'),
      relay('fan-out 100 clients / 1,000 updates/s: latency p50', 'ms', 'fanout100', 'p50'),
      relay('fan-out 100 clients / 1,000 updates/s: latency p99', 'ms', 'fanout100', 'p99'),
      relay(
        'fan-out 100 clients: delivered in time',
        '%',
        'fanout100',
        'deliveredPct',
        'higher is better',
      ),
      relay('fan-out 100 clients: server CPU', '% of a core', 'fanout100', 'serverCpuPct'),
      relay('fan-out 100 clients: server RSS (max)', 'MiB', 'fanout100', 'serverRssMiB'),
      relay(
        'fan-out 100 clients: load generator, busiest process',
        '% of a core',
        'fanout100',
        'loadGenMaxProcCpuPct',
        'not a server figure',
      ),
      relay('cold join 1,000-card board, 1 joiner (median of 5)', 'ms', 'join', 'one'),
      relay('cold join 1,000-card board, 30 concurrent: p50', 'ms', 'join', 'thirtyP50'),
      relay('cold join 1,000-card board, 30 concurrent: last synced', 'ms', 'join', 'thirtyMax'),
      relay(
        'durable ack latency p50 (fsync, synchronous=FULL)',
        'ms',
        'ack',
        'p50',
        'peers have no durable ack',
      ),
      relay(
        'durable ack latency p99 (fsync, synchronous=FULL)',
        'ms',
        'ack',
        'p99',
        'peers have no durable ack',
      ),
    ],
  }
}

/** The guard alone: judge + apply vs apply only, the same updates, in process. */
function guardSection(g: GuardResult | undefined): Section {
  const row = (workload: string, guarded: keyof GuardResult, bare: keyof GuardResult): Row => ({
    workload,
    unit: 'µs',
    ours: g?.[guarded] ?? null,
    peers: { 'apply only': g?.[bare] ?? null },
  })
  return {
    title: `Write guard per update, in process (${g?.updates.toLocaleString('en') ?? '?'} updates: a participant's card moves on a 1,000-card board)`,
    peers: ['apply only'],
    rows: [
      row('judgeUpdate + apply: p50', 'guardedP50Us', 'bareP50Us'),
      row('judgeUpdate + apply: p99', 'guardedP99Us', 'bareP99Us'),
    ],
  }
}

function sections(
  results: Results,
  history: HistoryFigures,
  ourBundle: BundleResult | null,
  peerBundles: PeerBundles,
): Section[] {
  const pick = (name: string, key: string, field: string): number | null => {
    const v = (results[name]?.[key] as Record<string, number> | undefined)?.[field]
    return typeof v === 'number' && Number.isFinite(v) ? v : null
  }
  const seek = (workload: string, field: 'loadMs' | 'p50' | 'p95'): Row => ({
    workload,
    unit: 'ms',
    ours: history.seek.ours?.[field] ?? null,
    peers: {
      'yjs-checkpoints': history.seek['yjs-checkpoints']?.[field] ?? null,
      'yjs-snapshots': history.seek['yjs-snapshots']?.[field] ?? null,
      // from-start prepares nothing: every seek pays instead
      'from-start': field === 'loadMs' ? null : (history.seek['from-start']?.[field] ?? null),
    },
  })
  const oursOnly = (workload: string, unit: string, value: number | null, note: string): Row => ({
    workload,
    unit,
    ours: value,
    peers: {},
    note,
  })
  // column name -> results key
  const clientPeers = Object.entries({
    tldraw: 'tldraw',
    'tiptap-per-card': 'peer client',
  } as const)
  const client = (workload: string, unit: string, field: keyof ClientResult): Row => ({
    workload,
    unit,
    ours: pick('ours', 'client', field),
    peers: Object.fromEntries(clientPeers.map(([col, key]) => [col, pick(key, 'client', field)])),
  })
  const clientBundle = (workload: string, field: keyof BundleResult): Row => ({
    workload,
    unit: 'KiB',
    ours: ourBundle?.[field] ?? null,
    peers: Object.fromEntries(
      clientPeers.map(([col, key]) => [col, peerBundles[key]?.[field] ?? null]),
    ),
  })
  const shown = (name: string) => pick(name, 'client', 'cardsShown') ?? '?'
  const clientOf = (name: string) => results[name]?.client as ClientResult | undefined
  const oursClient = clientOf('ours')
  /** A pan row: the view (see tests/bench/client.ts) and, in its name, what each side showed. */
  const panRow = (
    view: 'text' | 'fit',
    field: 'msPerFrame' | 'cpuMsPerFrame' | 'maxFrameMs',
    what: string,
    unit: string,
  ): Row => {
    const pan = (name: string) => clientOf(name)?.[view === 'text' ? 'panText' : 'panFit']
    const o = pan('ours')
    const seen = (name: string) => {
      const p = pan(name)
      return p ? `${p.onScreen} on screen with text at ${(p.scale * 100).toFixed(1)} %` : '?'
    }
    const title =
      view === 'text'
        ? 'pan, text view (the zoom where our cards show text, centred on the board)'
        : 'pan, whole board in view (fitted)'
    const v = (name: string) => {
      const x = pan(name)?.[field]
      return typeof x === 'number' && Number.isFinite(x) ? x : null
    }
    return {
      workload: `${title}: ${what} (ours ${o ? `${seen('ours')}, ${o.drawn ?? '?'} drawn at ${o.detail ?? '?'} detail, card height ${o.cardH ?? '?'} px` : '?'}; tldraw ${seen('tldraw')}; tiptap-per-card ${seen('peer client')}, its one view)`,
      unit,
      ours: v('ours'),
      peers: Object.fromEntries(clientPeers.map(([col, key]) => [col, v(key)])),
    }
  }
  const floorRow = (
    page: keyof FloorResult,
    field: keyof FloorPan,
    what: string,
    measure: string,
  ): Row => {
    const v = (results.floor as FloorResult | undefined)?.[page][field]
    return oursOnly(
      `pan floor, not an app: ${what}, ${measure}`,
      'ms',
      typeof v === 'number' && Number.isFinite(v) ? v : null,
      'a static page panned as the boards are: tests/bench/floor.ts',
    )
  }
  const m = history.meeting
  return [
    relaySection(results),
    guardSection(results.guard as GuardResult | undefined),
    {
      title: `History: ${MEETING_HOURS}-hour meeting, ${m.entries!.toLocaleString('en')} log entries (${m.logKiB!.toFixed(0)} KiB), ${m.cardsAtEnd} cards at the end`,
      peers: ['yjs-checkpoints', 'yjs-snapshots', 'from-start'],
      rows: [
        seek('replay load (ready to seek)', 'loadMs'),
        seek('replay seek p50 (random jumps)', 'p50'),
        seek('replay seek p95 (random jumps)', 'p95'),
      ],
    },
    {
      title: `Replay screen in Chromium, same ${m.entries!.toLocaleString('en')}-entry log (ours only: the peers have no replay screen)`,
      peers: [],
      rows: [
        oursOnly(
          'replay screen load (ready to scrub; the rest of the timeline still loading)',
          'ms',
          pick('ours', 'replayUi', 'loadMs'),
          'navigation until scrubber and board show; target <= 1,500 ms',
        ),
        oursOnly(
          'replay timeline complete (every segment fetched and built)',
          'ms',
          pick('ours', 'replayUi', 'completeMs'),
          'navigation until the screen says so; the scrub rows are measured after it',
        ),
        oursOnly(
          'scrub: input to painted frame p50',
          'ms',
          pick('ours', 'replayUi', 'seekP50'),
          '100 random positions; includes waiting for the frame',
        ),
        oursOnly(
          'scrub: input to painted frame p95',
          'ms',
          pick('ours', 'replayUi', 'seekP95'),
          '100 random positions; includes waiting for the frame',
        ),
        oursOnly(
          'scrub: input to painted frame, worst',
          'ms',
          pick('ours', 'replayUi', 'seekMax'),
          '100 random positions',
        ),
      ],
    },
    {
      title: 'Snapshots (ours only: neither peer server keeps snapshots)',
      peers: [],
      rows: [
        oursOnly(
          'snapshot save p50, 1,000-card board',
          'ms',
          pick('ours', 'snapshot', 'saveP50'),
          'HTTP, both docs, synchronous=FULL',
        ),
        oursOnly(
          'snapshot save p95, 1,000-card board',
          'ms',
          pick('ours', 'snapshot', 'saveP95'),
          'HTTP, both docs, synchronous=FULL',
        ),
        oursOnly(
          'snapshot open p50, 1,000-card board',
          'ms',
          pick('ours', 'snapshot', 'loadP50'),
          'HTTP + decode',
        ),
        oursOnly(
          'snapshot open p95, 1,000-card board',
          'ms',
          pick('ours', 'snapshot', 'loadP95'),
          'HTTP + decode',
        ),
      ],
    },
    {
      title: 'Chromium client and bundle',
      peers: clientPeers.map(([col]) => col),
      rows: [
        client(
          `1,000 cards: mount until the cards in view show their text (ours: landing view, ${pick('ours', 'client', 'cardsShown') ?? '?'} drawn at ${String(oursClient?.detail ?? '?')} detail; tldraw: fitted, ${shown('tldraw')} notes; tiptap-per-card: ${shown('peer client')} editors)`,
          'ms',
          'mountMs',
        ),
        client('1,000 cards: JS heap used after GC', 'MiB', 'heapMiB'),
        panRow('text', 'msPerFrame', 'main-thread time per frame', 'ms'),
        panRow('text', 'cpuMsPerFrame', 'main-thread CPU time per frame', 'ms'),
        panRow('text', 'maxFrameMs', 'worst frame', 'ms'),
        panRow('fit', 'msPerFrame', 'main-thread time per frame', 'ms'),
        panRow('fit', 'cpuMsPerFrame', 'main-thread CPU time per frame', 'ms'),
        panRow('fit', 'maxFrameMs', 'worst frame', 'ms'),
        floorRow('empty', 'msPerFrame', 'an empty canvas', 'main-thread time per frame'),
        floorRow('empty', 'cpuMsPerFrame', 'an empty canvas', 'main-thread CPU time per frame'),
        floorRow('boxes', 'msPerFrame', PLAIN_BOXES, 'main-thread time per frame'),
        floorRow('boxes', 'cpuMsPerFrame', PLAIN_BOXES, 'main-thread CPU time per frame'),
        oursOnly(
          'watching 30 people drag cards in its view: main thread busy (wall time of its tasks)',
          '%',
          pick('ours', 'watch', 'busyPct'),
          'ours only: one card write per person every 50 ms',
        ),
        oursOnly(
          'watching 30 people drag cards in its view: main thread CPU',
          '%',
          pick('ours', 'watch', 'cpuPct'),
          'the same window: time the thread ran on a core',
        ),
        oursOnly(
          'watching 30 people drag cards out of its view: main thread busy (wall time of its tasks)',
          '%',
          pick('ours', 'watchOutOfView', 'busyPct'),
          'the cards further down their columns, below the landing view',
        ),
        oursOnly(
          'watching 30 people drag cards out of its view: main thread CPU',
          '%',
          pick('ours', 'watchOutOfView', 'cpuPct'),
          'the same window: time the thread ran on a core',
        ),
        clientBundle('bundle: first-load JS, gzip', 'firstLoadJsGzipKiB'),
        oursOnly(
          'bundle: join -> board path JS, gzip',
          'KiB',
          ourBundle?.joinBoardJsGzipKiB ?? null,
          'entry, join and board chunks; editor, list, replay and organiser stay out',
        ),
        oursOnly(
          'bundle: join -> board path JS incl. loaded after first paint, gzip',
          'KiB',
          ourBundle?.joinBoardDeferredJsGzipKiB ?? null,
          'plus what the board fetches by itself after painting (the side panel)',
        ),
        clientBundle('bundle: all JS, gzip', 'totalJsGzipKiB'),
      ],
    },
    heavySection(results.heavy as HeavyResult | undefined),
    clusterSection((results.cluster ?? {}) as ClusterResult),
  ]
}

async function main() {
  pinToLoadCore()
  const started = performance.now()
  const versions = Object.fromEntries(
    [
      'yjs',
      'ws',
      '@y/websocket-server',
      '@hocuspocus/server',
      'better-sqlite3',
      '@tiptap/react',
      'playwright-core',
    ].map((p) => [p, readVersion(p)]),
  )
  const results: Results = {}
  const failures: Record<string, string> = {}
  await relayWorkloads(results, failures)
  results.guard = { ...guardCost() }
  console.log('write guard per update', results.guard)
  await heavyWorkload().then(
    (r) => void (results.heavy = { ...r }),
    (err: Error) => void (failures.heavy = err.message),
  )
  await clusterWorkload().then(
    (r) => void (results.cluster = { ...r }),
    (err: Error) => void (failures.cluster = err.message),
  )
  const history = historyWorkloads()
  const ourBundle = bundle()
  let peerBundles: PeerBundles = {}
  try {
    peerBundles = await clientWorkloads(results, history.log)
  } catch (err) {
    failures.client = (err as Error).message
    console.error(`client workloads: ${(err as Error).message}`)
  }
  const report: ReportHead & Record<string, unknown> = {
    date: new Date().toISOString(),
    machine: {
      cpus: CORES,
      model: os.cpus()[0]?.model ?? 'unknown',
      memGiB: Math.round(os.totalmem() / 2 ** 30),
      os: `${os.type()} ${os.release()}`,
      pinned: PIN
        ? 'servers on core 0, load generator on core 1 (taskset), Chromium on both'
        : 'not pinned',
      tmpFilesystem: fsType(os.tmpdir()),
      chromium: browserVersion(),
    },
    versions: { node: process.version, ...versions },
    settings: {
      measureSeconds: MEASURE_S,
      warmupSeconds: WARMUP_S,
      serverWarmupSeconds: SERVER_WARMUP_S,
    },
    failures,
    results,
    history: {
      meeting: history.meeting,
      seek: Object.fromEntries(
        Object.entries(history.seek).map(([k, v]) => [k, { ...v, cardCounts: undefined }]),
      ),
    },
    bundle: { ours: ourBundle, ...peerBundles },
    sections: sections(results, history, ourBundle, peerBundles),
    runSeconds: (performance.now() - started) / 1000,
  }
  for (const s of report.sections) console.log(`\n${s.title}\n${markdownTable(s)}`)
  fs.mkdirSync(path.dirname(RESULTS), { recursive: true })
  fs.writeFileSync(RESULTS, JSON.stringify(report, null, 2) + '\n')
  fs.writeFileSync(DOC, benchmarksDoc(report))
  console.log(
    `\nwrote ${path.relative(REPO, RESULTS)} and ${path.relative(REPO, DOC)} in ${(report.runSeconds as number).toFixed(0)} s`,
  )
}

function browserVersion(): string {
  try {
    return execFileSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', ['--version'], {
      encoding: 'utf8',
    }).trim()
  } catch {
    return 'missing'
  }
}

/** This process on the load core, the servers on the other (taskset). */
function pinToLoadCore(): void {
  if (PIN) execFileSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' })
}

/**
 * Chromium for the client rows, on every core: a participant's laptop has more than one, and
 * pinned to the load core its renderer, compositor and GPU threads share one, which doubled an
 * empty page's pan cost here (about 8 ms a frame against 4). The servers stay on theirs; they
 * idle while a board pans. The process that starts Chromium is unpinned for the launch only:
 * every Chromium process inherits the affinity its browser process started with.
 */
async function launchClientBrowser(): Promise<Browser> {
  if (!PIN) return launchBrowser()
  const all = `0-${CORES - 1}`
  execFileSync('taskset', ['-cp', all, String(process.pid)], { stdio: 'ignore' })
  try {
    return await launchBrowser()
  } finally {
    pinToLoadCore()
  }
}

if (process.argv.includes('--only=relay')) {
  // the relay workloads alone, printed; latest.json and the doc keep the last full run
  pinToLoadCore()
  const results: Results = {}
  const failures: Record<string, string> = {}
  await relayWorkloads(results, failures)
  const guard = guardCost()
  results.guard = { ...guard }
  for (const s of [relaySection(results), guardSection(guard)])
    console.log(`\n${s.title}\n${markdownTable(s)}`)
  if (Object.keys(failures).length) console.log('failures', failures)
} else if (process.argv.includes('--only=heavy')) {
  // the heavy-routes workload alone, printed; latest.json and the doc keep the last full run
  const s = heavySection(await heavyWorkload())
  console.log(`\n${s.title}\n${markdownTable(s)}`)
} else if (process.argv.includes('--only=cluster')) {
  // the several-instances workloads alone, printed; latest.json and the doc keep the last full run
  pinToLoadCore()
  const s = clusterSection(await clusterWorkload())
  console.log(`\n${s.title}\n${markdownTable(s)}`)
} else if (process.argv.includes('--only=client')) {
  // the Chromium client workloads and the bundle alone, printed; latest.json and the doc keep the last full run
  pinToLoadCore()
  const results: Results = { ours: {} }
  const ourBundle = bundle()
  const peerBundles = await clientWorkloads(results, null)
  const noHistory: HistoryFigures = { meeting: { entries: 0, logKiB: 0, cardsAtEnd: 0 }, seek: {} }
  const client = sections(results, noHistory, ourBundle, peerBundles).find((x) =>
    x.title.startsWith('Chromium client'),
  )!
  console.log(`\n${client.title}\n${markdownTable(client)}`)
} else if (process.argv.includes('--only=watch')) {
  // the watching row alone (no bundle, no peer builds), printed: a quick before/after for the client
  pinToLoadCore()
  const browser = await launchClientBrowser()
  const ours = await startOurs(APP_DIST)
  try {
    for (const placement of ['inView', 'outOfView'] as const)
      console.log(
        `ours, watching 30 draggers, ${placement}`,
        await clientWatch(browser, ours, placement),
      )
  } finally {
    await stopTarget(ours)
    await browser.close()
  }
} else if (process.argv.includes('--only=replay')) {
  // the replay screen alone, printed; latest.json and the doc keep the last full run
  pinToLoadCore()
  const log = simulateMeeting(MEETING_SEED)
  const results: Results = { ours: {} }
  const browser = await launchClientBrowser()
  const ours = await startOurs(APP_DIST)
  try {
    results.ours!.replayUi = await replayUi(browser, ours, log, SEEK_SEED)
    console.log('ours', results.ours!.replayUi)
  } finally {
    await stopTarget(ours)
    await browser.close()
  }
  const meeting = {
    entries: log.entries.length,
    logKiB: log.bytes / 1024,
    cardsAtEnd: log.cardsAtEnd,
  }
  const replay = sections(results, { meeting, seek: {} }, null, {}).find((x) =>
    x.title.startsWith('Replay screen'),
  )!
  console.log(`\n${replay.title}\n${markdownTable(replay)}`)
} else if (process.argv.includes('--doc-only')) {
  // re-render the tables from the raw figures of the last run, without measuring again
  const last = JSON.parse(fs.readFileSync(RESULTS, 'utf8')) as ReportHead & {
    results: Results
    history: HistoryFigures
    bundle: { ours: BundleResult | null } & PeerBundles
  }
  last.sections = sections(last.results, last.history, last.bundle.ours, last.bundle)
  fs.writeFileSync(RESULTS, JSON.stringify(last, null, 2) + '\n')
  fs.writeFileSync(DOC, benchmarksDoc(last))
} else {
  await main()
}
process.exit(0)
