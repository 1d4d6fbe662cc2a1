/**
 * Frame builders for the bad-input suite: real Yjs updates from card edits, and ways to break
 * them. Everything random comes from the seeded Rng so a run can be replayed.
 */
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import { MessageType } from '../../shared/protocol.ts'
import {
  addCard,
  cardBody,
  deleteCard,
  listCards,
  moveCard,
  setCardKind,
} from '../../shared/schema.ts'
import { setPhaseId, writeFollow } from '../../shared/control.ts'
import type { Rng } from './rng.ts'

export const KINDS = ['vision', 'need', 'task', 'note'] as const

export function message(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder()
  write(e)
  return encoding.toUint8Array(e)
}

export const syncUpdate = (update: Uint8Array, sub: number = syncProtocol.messageYjsUpdate) =>
  message((e) => {
    encoding.writeVarUint(e, MessageType.Sync)
    encoding.writeVarUint(e, sub)
    encoding.writeVarUint8Array(e, update)
  })

export const syncStep1 = (stateVector: Uint8Array) =>
  message((e) => {
    encoding.writeVarUint(e, MessageType.Sync)
    encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep1)
    encoding.writeVarUint8Array(e, stateVector)
  })

/** A card as the schema wants it, with a position and a first paragraph. */
export function randomCard(rng: Rng, id: string, table: string | null) {
  return {
    id,
    kind: rng.pick(KINDS),
    table,
    x: rng.range(0, 3000),
    y: rng.range(0, 2000),
    w: 220,
    h: 140,
    author: `fuzz-${rng.int(10)}`,
    created: rng.range(1, 1e9),
    text: `kaart ${id}`,
  }
}

/** One random card edit on `doc` (add, move, retype, type into the body, delete). */
export function randomCardEdit(rng: Rng, doc: Y.Doc, idPrefix: string, tables: string[]): void {
  const cards = listCards(doc)
  const roll = rng.int(10)
  if (cards.length === 0 || roll < 3) {
    addCard(
      doc,
      randomCard(
        rng,
        `${idPrefix}${rng.int(1e9).toString(36)}`,
        tables.length ? rng.pick(tables) : null,
      ),
    )
    return
  }
  const card = rng.pick(cards)
  if (roll < 6) moveCard(doc, card.id, { x: rng.range(-500, 4000), y: rng.range(-500, 3000) })
  else if (roll < 7) setCardKind(doc, card.id, rng.pick(KINDS))
  else if (roll < 9) typeInto(rng, cardBody(doc, card.id))
  else deleteCard(doc, card.id)
}

const WORDS = [
  'loket',
  'inwoner',
  'één',
  'bestuur',
  'vertrouwen',
  '🙂',
  'jaar',
  '<b>x</b>',
  'ß',
  'wijk',
]

/** Inserts a few words into the first paragraph of a body (creating it if needed). */
export function typeInto(rng: Rng, body: Y.XmlFragment | null): void {
  if (!body) return
  let p = body.get(0)
  if (!(p instanceof Y.XmlElement)) {
    p = new Y.XmlElement('paragraph')
    body.insert(0, [p])
  }
  let t = (p as Y.XmlElement).get(0)
  if (!(t instanceof Y.XmlText)) {
    t = new Y.XmlText('')
    ;(p as Y.XmlElement).insert(0, [t])
  }
  const text = t as Y.XmlText
  const at = rng.int(text.length + 1)
  if (rng.bool(0.2) && text.length > 0) text.delete(rng.int(text.length), 1)
  else text.insert(at, `${rng.pick(WORDS)} `, rng.bool(0.3) ? { bold: true } : undefined)
}

/** Real board updates, each produced by a real Y.Doc doing one card edit. */
export function boardUpdatePool(rng: Rng, count: number, tables: string[]): Uint8Array[] {
  const doc = new Y.Doc()
  const pool: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => pool.push(u))
  while (pool.length < count) randomCardEdit(rng, doc, 'fz-', tables)
  pool.push(Y.encodeStateAsUpdate(doc))
  doc.destroy()
  return pool
}

/** Real control updates that never lock the board (phase ids, follow viewport). */
export function controlUpdatePool(rng: Rng, count: number): Uint8Array[] {
  const doc = new Y.Doc()
  const pool: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => pool.push(u))
  while (pool.length < count) {
    if (rng.bool()) setPhaseId(doc, `fase-${rng.int(100)}`)
    else
      writeFollow(doc, {
        active: rng.bool(),
        viewport: { x: rng.range(0, 100), y: rng.range(0, 100), zoom: 1 },
        summon: rng.int(5),
      })
  }
  doc.destroy()
  return pool
}

/** A broken copy of a real update: bit flips, truncation, splices, inserted or smashed bytes. */
export function mutate(rng: Rng, pool: Uint8Array[]): Uint8Array {
  const a = rng.pick(pool)
  switch (rng.int(6)) {
    case 0: {
      const out = a.slice()
      for (let k = rng.range(1, 4); k > 0 && out.length; k--)
        out[rng.int(out.length)]! ^= 1 << rng.int(8)
      return out
    }
    case 1:
      return a.slice(0, rng.int(a.length))
    case 2: {
      const b = rng.pick(pool)
      const out = new Uint8Array(0)
      const head = a.slice(0, rng.int(a.length + 1))
      const tail = b.slice(rng.int(b.length + 1))
      const joined = new Uint8Array(head.length + tail.length)
      joined.set(head, 0)
      joined.set(tail, head.length)
      return joined.length ? joined : out
    }
    case 3: {
      const at = rng.int(a.length + 1)
      const ins = rng.bytes(rng.range(1, 8))
      const out = new Uint8Array(a.length + ins.length)
      out.set(a.slice(0, at), 0)
      out.set(ins, at)
      out.set(a.slice(at), at + ins.length)
      return out
    }
    case 4: {
      const out = a.slice()
      for (let k = rng.range(1, 3); k > 0 && out.length; k--)
        out[rng.int(out.length)] = rng.pick([0x00, 0x7f, 0x80, 0xff])
      return out
    }
    default: {
      // two real updates back to back in one payload: decodes, but with trailing garbage
      const b = rng.pick(pool)
      const out = new Uint8Array(a.length + b.length)
      out.set(a, 0)
      out.set(b, a.length)
      return out
    }
  }
}

/** A varuint that claims far more bytes than follow. */
export function hugeLength(rng: Rng): Uint8Array {
  return message((e) => {
    encoding.writeVarUint(e, rng.pick([MessageType.Sync, MessageType.Awareness]))
    if (rng.bool()) encoding.writeVarUint(e, rng.pick([0, 1, 2]))
    encoding.writeVarUint(e, rng.pick([2 ** 31 - 1, 2 ** 32 - 1, 2 ** 50, 0x7ffffff, 1e9]))
    encoding.writeUint8Array(e, rng.bytes(rng.int(16)))
  })
}

/** Varints that never end: the continuation bit is set on the last byte. */
export function truncatedVarint(rng: Rng): Uint8Array {
  const prefix = rng.pick([
    [],
    [MessageType.Sync],
    [MessageType.Sync, 2],
    [MessageType.Awareness],
    [MessageType.SaveBarrier],
  ])
  const cont = Array.from({ length: rng.range(1, 10) }, () => 0x80 | rng.int(128))
  return new Uint8Array([...prefix, ...cont])
}

export function unknownType(rng: Rng): Uint8Array {
  if (rng.bool()) {
    // sync with a sub type that does not exist
    return message((e) => {
      encoding.writeVarUint(e, MessageType.Sync)
      encoding.writeVarUint(e, rng.range(3, 1000))
      encoding.writeUint8Array(e, rng.bytes(rng.int(8)))
    })
  }
  const known = new Set<number>([
    MessageType.Sync,
    MessageType.Awareness,
    MessageType.QueryAwareness,
    MessageType.SaveBarrier,
  ])
  let type = rng.pick([2, 4, 19, 20, 21, 22, 23, 25, 127, 128, 300, 2 ** 20, rng.int(2 ** 30)])
  while (known.has(type)) type++
  return message((e) => {
    encoding.writeVarUint(e, type)
    encoding.writeUint8Array(e, rng.bytes(rng.int(8)))
  })
}

/** Awareness updates with thousands of client ids, or one oversized or malformed state. */
export function awarenessAbuse(rng: Rng): Uint8Array {
  return message((e) => {
    encoding.writeVarUint(e, MessageType.Awareness)
    const inner = message((a) => {
      switch (rng.int(4)) {
        case 0: {
          const n = rng.range(1000, 5000)
          encoding.writeVarUint(a, n)
          for (let i = 0; i < n; i++) {
            encoding.writeVarUint(a, rng.int(2 ** 32))
            encoding.writeVarUint(a, rng.int(100))
            encoding.writeVarString(
              a,
              JSON.stringify({ user: { name: `n${i}` }, cursor: { x: i, y: i } }),
            )
          }
          return
        }
        case 1:
          encoding.writeVarUint(a, 1)
          encoding.writeVarUint(a, rng.int(2 ** 32))
          encoding.writeVarUint(a, rng.int(100))
          encoding.writeVarString(
            a,
            JSON.stringify({ user: { name: 'x'.repeat(rng.range(9_000, 300_000)) } }),
          )
          return
        case 2:
          encoding.writeVarUint(a, 1)
          encoding.writeVarUint(a, rng.int(2 ** 32))
          encoding.writeVarUint(a, rng.int(100))
          encoding.writeVarString(a, rng.pick(['{', 'null', '[]', '"s"', '{"user":', '\u0000', '']))
          return
        default:
          encoding.writeVarUint(a, rng.range(2, 10))
          encoding.writeUint8Array(a, rng.bytes(rng.int(40)))
      }
    })
    encoding.writeVarUint8Array(e, inner)
  })
}
