/**
 * The write guard's cost per update, in process: the same stream of a participant's card moves on
 * a 1,000-card board applied twice, once as the relay applies it (judgeUpdate, then the update it
 * returns) and once bare (Y.applyUpdate only, what a relay without a guard does). The fan-out
 * rows measure the whole relay; this one isolates the guard from sockets, SQLite and scheduling.
 */
import { performance } from 'node:perf_hooks'
import * as Y from 'yjs'
import { ClientOwners } from '../../server/relay/client-owners.ts'
import { judgeUpdate, type Writer } from '../../server/relay/write-guard.ts'
import { boardAccess } from '../../shared/permissions.ts'
import { Role } from '../../shared/protocol.ts'
import { addCard, moveCard } from '../../shared/schema.ts'
import { boardUpdate } from './relay.ts'

const MOVES = 3_000
const BOARD_CARDS = 1_000

export interface GuardResult {
  updates: number
  /** judgeUpdate + apply, µs per update */
  guardedP50Us: number
  guardedP99Us: number
  /** apply alone, µs per update */
  bareP50Us: number
  bareP99Us: number
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!
}

/** A participant's own card, then its moves, each its own update as the client sends them. */
function participantStream(board: Uint8Array): Uint8Array[] {
  const writer = new Y.Doc()
  Y.applyUpdate(writer, board)
  const out: Uint8Array[] = []
  writer.on('update', (u: Uint8Array) => out.push(u))
  addCard(writer, {
    id: 'own',
    kind: 'vision',
    table: null,
    x: 0,
    y: 0,
    w: 220,
    h: 140,
    author: 'p-bench',
    created: 0,
    text: 'Mijn kaart',
  })
  for (let i = 1; i <= MOVES; i++)
    moveCard(writer, 'own', { x: i % 900, y: Math.floor(i / 900) * 10 })
  writer.destroy()
  return out
}

export function guardCost(): GuardResult {
  const board = boardUpdate(BOARD_CARDS)
  const stream = participantStream(board)
  const writer: Writer = {
    principal: 'p-bench',
    access: (root) => boardAccess(Role.Participant, root),
    author: 'p-bench',
  }

  const guarded = new Y.Doc()
  Y.applyUpdate(guarded, board)
  const bare = new Y.Doc()
  Y.applyUpdate(bare, board)
  const owners = new ClientOwners(new Map())
  const guardedUs: number[] = []
  const bareUs: number[] = []
  // interleaved, so both sides run with the same JIT and heap state
  for (const u of stream) {
    let t0 = performance.now()
    const verdict = judgeUpdate(guarded, owners, writer, u)
    if (verdict.kind !== 'apply')
      throw new Error(`guard bench: an honest move was judged ${verdict.kind}`)
    owners.claim(verdict.claims, writer.principal)
    Y.applyUpdate(guarded, verdict.update)
    guardedUs.push((performance.now() - t0) * 1000)
    t0 = performance.now()
    Y.applyUpdate(bare, u)
    bareUs.push((performance.now() - t0) * 1000)
  }
  if (!equalState(guarded, bare))
    throw new Error('guard bench: the guarded doc differs from the bare one')
  guarded.destroy()
  bare.destroy()
  return {
    updates: stream.length,
    guardedP50Us: quantile(guardedUs, 0.5),
    guardedP99Us: quantile(guardedUs, 0.99),
    bareP50Us: quantile(bareUs, 0.5),
    bareP99Us: quantile(bareUs, 0.99),
  }
}

function equalState(a: Y.Doc, b: Y.Doc): boolean {
  return Buffer.from(Y.encodeStateVector(a)).equals(Buffer.from(Y.encodeStateVector(b)))
}
