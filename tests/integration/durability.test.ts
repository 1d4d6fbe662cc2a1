import { describe, expect, it } from 'vitest'
import type { WorkshopConnection } from '../../client/sync/connection.ts'
import { addCard, listCards } from '../../shared/schema.ts'
import {
  createWorkshop,
  joinTable,
  lookup,
  startChildServer,
  tempDir,
  type ChildServer,
} from '../helpers/server.ts'
import { connectClient, live, saved } from '../helpers/clients.ts'
import { until } from '../helpers/wait.ts'
import { useCleanups } from '../helpers/lifecycle.ts'

const track = useCleanups()

function killAtEnd(s: ChildServer) {
  track(() => s.kill())
  return s
}

async function workshopWithParticipant(server: ChildServer) {
  const ws = await createWorkshop(server.url)
  const info = await lookup(server.url, ws.joinCode)
  const p = await joinTable(server.url, ws.joinCode, 'Bram', info.tables[0]!.id)
  return { ws, info, token: p.token }
}

function client(server: ChildServer, workshopId: string, token: string): WorkshopConnection {
  const c = connectClient(server.wsUrl, workshopId, { kind: 'participant', token })
  track(() => c.destroy())
  return c
}

const card = (id: string, table: string, created: number) => ({
  id,
  kind: 'vision' as const,
  table,
  x: created,
  y: 0,
  w: 220,
  h: 140,
  author: 'p',
  created,
  text: `kaart ${id}`,
})

describe('durability of acknowledged edits', () => {
  it('a graceful restart (SIGTERM) loses no acknowledged edit', async () => {
    const dataDir = tempDir()
    const first = killAtEnd(await startChildServer(dataDir))
    const { ws, info, token } = await workshopWithParticipant(first)
    const a = client(first, ws.id, token)
    await live(a)
    for (let i = 0; i < 20; i++) addCard(a.board, card(`c${i}`, info.tables[0]!.id, i))
    await saved(a)
    a.destroy()
    await first.kill('SIGTERM')

    const second = killAtEnd(await startChildServer(dataDir))
    const b = client(second, ws.id, token)
    await live(b)
    expect(
      listCards(b.board)
        .map((c) => c.id)
        .sort(),
    ).toEqual(Array.from({ length: 20 }, (_, i) => `c${i}`).sort())
  })

  it('kill -9 while edits stream in loses no edit the server had acknowledged', async () => {
    const STREAM_WINDOW = 200
    const dataDir = tempDir()
    const first = killAtEnd(await startChildServer(dataDir))
    const { ws, info, token } = await workshopWithParticipant(first)
    const a = client(first, ws.id, token)
    await live(a)
    // barrier number after each card: the card is acked once the tracker's ack reaches it
    const barrierOf = new Map<string, number>()
    let i = 0
    // Edits stream without pause but stay within a window ahead of the acks: unbounded, a loaded
    // machine's server falls ever further behind and the 50th ack never comes in time
    const unacked = () =>
      [...barrierOf.values()].filter((b) => b > a.boardLink.tracker.acknowledged)
    const writer = setInterval(() => {
      if (unacked().length >= STREAM_WINDOW) return
      for (let k = 0; k < 5; k++) {
        const id = `k${i++}`
        addCard(a.board, card(id, info.tables[1]!.id, i))
        barrierOf.set(id, a.boardLink.tracker.latest)
      }
    }, 2)
    track(() => clearInterval(writer))
    await until(
      'at least 50 cards acked',
      [[a, 'change']],
      () => a.boardLink.tracker.acknowledged >= 50,
    )
    const ackedAtKill = a.boardLink.tracker.acknowledged
    await first.kill('SIGKILL')
    clearInterval(writer)
    const acked = [...barrierOf].filter(([, b]) => b <= ackedAtKill).map(([id]) => id)
    expect(acked.length).toBeGreaterThanOrEqual(50)

    const second = killAtEnd(await startChildServer(dataDir))
    const reader = client(second, ws.id, token)
    await live(reader)
    const present = new Set(listCards(reader.board).map((c) => c.id))
    const lost = acked.filter((id) => !present.has(id))
    expect(lost).toEqual([])
  })

  it('edits made while the server is down reach it after reconnect and are then saved', async () => {
    const dataDir = tempDir()
    const first = killAtEnd(await startChildServer(dataDir))
    const { ws, info, token } = await workshopWithParticipant(first)
    const a = client(first, ws.id, token)
    await live(a)
    const port = first.port
    await first.kill('SIGKILL')
    await until('offline', [[a, 'change']], () => a.status.kind === 'offline')
    addCard(a.board, card('offline-1', info.tables[2]!.id, 1))
    expect(a.status).toMatchObject({ kind: 'offline', saved: false })
    // same port, so the provider's automatic reconnect finds it
    killAtEnd(await startChildServer(dataDir, port))
    await saved(a)
    const reader = client({ ...first, wsUrl: `ws://127.0.0.1:${port}/ws` }, ws.id, token)
    await live(reader)
    expect(listCards(reader.board).map((c) => c.id)).toContain('offline-1')
  })
})
