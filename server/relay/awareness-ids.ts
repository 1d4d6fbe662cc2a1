/**
 * Which socket speaks for which awareness client id, per room. The first id a socket announces
 * becomes its own if no other live socket of the room holds it; from then on that socket can set
 * or remove only that id's state, and no other socket can take the id until it is released (the
 * socket closed). Without this, a socket that names another peer's id in its first message takes
 * over that peer's presence.
 */
import type { Awareness } from 'y-protocols/awareness'
import type { Peer } from './room.ts'

export class AwarenessIds<Socket> {
  private readonly ownerOf = new Map<number, Socket>()
  private readonly idOf = new Map<Socket, number>()

  /**
   * Whether `socket` may speak for `clientId`: true when the id is (now) this socket's own, false
   * when the socket already has another id or another live socket holds this one.
   */
  bind(clientId: number, socket: Socket): boolean {
    const own = this.idOf.get(socket)
    if (own !== undefined) return own === clientId
    const owner = this.ownerOf.get(clientId)
    if (owner !== undefined && owner !== socket) return false
    this.ownerOf.set(clientId, socket)
    this.idOf.set(socket, clientId)
    return true
  }

  /** The id the socket speaks for, if it announced one. */
  idOfSocket(socket: Socket): number | null {
    return this.idOf.get(socket) ?? null
  }

  /** The socket that holds the id, if any. */
  ownerOfId(clientId: number): Socket | null {
    return this.ownerOf.get(clientId) ?? null
  }

  /** Frees the socket's id (on close); returns it so its presence can be removed. */
  release(socket: Socket): number | null {
    const id = this.idOf.get(socket)
    if (id === undefined) return null
    this.idOf.delete(socket)
    if (this.ownerOf.get(id) === socket) this.ownerOf.delete(id)
    return id
  }

  get size(): number {
    return this.ownerOf.size
  }
}

/**
 * One table per live room, found by the room's awareness (a room and its awareness live and die
 * together), so Room needs no field for it. Weak: an evicted room's table goes with it.
 */
const byRoom = new WeakMap<Awareness, AwarenessIds<Peer>>()

export function awarenessIdsOf(room: { awareness: Awareness }): AwarenessIds<Peer> {
  let ids = byRoom.get(room.awareness)
  if (!ids) {
    ids = new AwarenessIds<Peer>()
    byRoom.set(room.awareness, ids)
  }
  return ids
}
