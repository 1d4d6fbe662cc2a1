/**
 * One load-generator process of the fan-out workload (tests/bench/fanout-pool.ts starts several):
 * it holds a share of the clients, moves the cards of its senders and times what its receivers get.
 * Send times are CLOCK_MONOTONIC (process.hrtime), which every process on the machine shares, so a
 * receiver in one process can time an update sent from another.
 */
import * as Y from 'yjs'
import { addCard, cardMap } from '../../shared/schema.ts'
import { closeAll, connectSynced, sendUpdate, type Client } from './wire.ts'
import type { FromWorker, ToWorker, WorkerClient } from './fanout-pool.ts'

const now = () => Number(process.hrtime.bigint()) / 1e6
const MARK = Buffer.from('@@T')

const reply = (m: FromWorker) => process.send!(m)

let measuring = false
const latencies: number[] = []
let sent = 0
let conns: Client[] = []
const timers: NodeJS.Timeout[] = []
const ticks: (() => void)[] = []
let cpu0 = process.cpuUsage()
let wall0 = 0

async function setup(m: Extract<ToWorker, { type: 'setup' }>): Promise<void> {
  conns = []
  for (const plan of m.clients)
    conns.push(
      await connectSynced({ url: plan.url ?? m.url, docName: m.docName, hello: plan.hello }),
    )
  for (const [k, plan] of m.clients.entries()) {
    const c = conns[k]!
    c.onRaw = (data) => {
      if (!measuring) return
      const at0 = now()
      let at = data.indexOf(MARK)
      while (at >= 0) {
        const end = data.indexOf('@@', at + 3)
        if (end < 0) break
        const [sender, ms] = data.toString('latin1', at + 3, end).split(':')
        if (Number(sender) !== plan.index) latencies.push(at0 - Number(ms))
        at = data.indexOf(MARK, end + 2)
      }
    }
    if (plan.sender)
      ticks.push(
        sender(c, plan as WorkerClient & { sender: NonNullable<WorkerClient['sender']> }, m),
      )
  }
}

/** Creates the sender's card (sent once, before timing) and returns its tick. */
function sender(
  c: Client,
  plan: WorkerClient & { sender: NonNullable<WorkerClient['sender']> },
  m: Extract<ToWorker, { type: 'setup' }>,
) {
  const { cardId, author, tableId, slot } = plan.sender
  const doc = new Y.Doc()
  addCard(doc, {
    id: cardId,
    kind: 'need',
    table: tableId,
    x: 0,
    y: 0,
    w: 220,
    h: 140,
    author,
    created: 1,
  })
  sendUpdate(c, Y.encodeStateAsUpdate(doc))
  const card = cardMap(doc, cardId)!
  const pending: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => pending.push(u))
  const tick = () => {
    doc.transact(() => {
      card.set('x', Math.random() * 2000)
      card.set('y', Math.random() * 1500)
      card.set('t', `@@T${plan.index}:${now().toFixed(3)}@@`)
    })
    for (const u of pending.splice(0)) sendUpdate(c, u)
    if (measuring) sent++
  }
  // staggered over the period across all processes, so the load is smooth, as real drags are
  return () => {
    timers.push(
      setTimeout(
        () => timers.push(setInterval(tick, 1000 / m.hz)),
        (1000 / m.hz) * (slot / m.senders),
      ),
    )
  }
}

process.on('message', (m: ToWorker) => {
  const run = async () => {
    switch (m.type) {
      case 'setup':
        await setup(m)
        return reply({ type: 'ready' })
      case 'start':
        for (const start of ticks) start()
        return reply({ type: 'started' })
      case 'measure':
        cpu0 = process.cpuUsage()
        wall0 = now()
        measuring = true
        return reply({ type: 'measuring' })
      case 'stop': {
        for (const t of timers) clearInterval(t)
        const used = process.cpuUsage(cpu0)
        return reply({
          type: 'stopped',
          sent,
          cpuMs: (used.user + used.system) / 1000,
          wallMs: now() - wall0,
        })
      }
      case 'report':
        measuring = false
        closeAll(conns)
        return reply({ type: 'result', latencies: Float64Array.from(latencies) })
    }
  }
  run().catch((err: Error) => reply({ type: 'error', message: err.stack ?? err.message }))
})
